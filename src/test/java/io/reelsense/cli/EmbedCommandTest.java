package io.reelsense.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import io.reelsense.model.TestModels;
import io.reelsense.model.TextEmbedder;
import io.reelsense.model.encoder.Encoders;
import io.reelsense.model.encoder.ModelCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbedCommandTest {

  @TempDir Path dir;

  private Path repoWithMiniLm() throws Exception {
    Path jar = ModelCatalog.localJar(ModelCatalog.get("minilm-l6"), dir.resolve("repo"));
    Files.createDirectories(jar.getParent());
    Files.createSymbolicLink(jar, TestModels.jarHolding(TestModels.MINILM));
    return dir.resolve("repo");
  }

  @Test
  void writesOneNormalizedVectorPerLineInInputOrder() throws Exception {
    Path repo = repoWithMiniLm();
    List<String> texts =
        List.of("A wonderful, moving film.", "", "Dreadful<br /><br />acting.", "Meh.");
    Path input = Files.write(dir.resolve("in.txt"), texts);

    ModelsCommandTest.Run r =
        ModelsCommandTest.run(
            "embed",
            "--model",
            "minilm-l6",
            "--input",
            input.toString(),
            "--repo",
            repo.toString(),
            "--device",
            "cpu",
            "--batch-size",
            "3",
            "--json");

    assertThat(r.code()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines).hasSize(texts.size() + 1);
    JsonNode summary = r.json();
    assertThat(summary.get("texts").asInt()).isEqualTo(4);
    assertThat(summary.get("dimension").asInt()).isEqualTo(384);
    try (TextEmbedder e =
        Encoders.embedder("minilm-l6", repo, Device.cpu(), Encoders.Options.defaults())) {
      List<float[]> expected = e.embed(texts);
      for (int i = 0; i < texts.size(); i++) {
        float[] v = Json.MAPPER.readValue(lines.get(i), float[].class);
        assertThat(v).hasSize(384);
        assertThat(v).containsExactly(expected.get(i), org.assertj.core.data.Offset.offset(1e-6f));
      }
    }
  }

  @Test
  void aModelThatIsNotLocalTellsHowToPullIt() throws Exception {
    Path input = Files.write(dir.resolve("in.txt"), List.of("x"));
    ModelsCommandTest.Run r =
        ModelsCommandTest.run(
            "embed",
            "--model",
            "bge-small",
            "--input",
            input.toString(),
            "--repo",
            dir.toString(),
            "--device",
            "cpu");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("reelsense models pull bge-small");
  }

  @Test
  void badOptionsAreUserErrors() throws Exception {
    Path input = Files.write(dir.resolve("in.txt"), List.of("x"));
    assertThat(
            ModelsCommandTest.run(
                    "embed",
                    "--model",
                    "minilm-l6",
                    "--input",
                    input.toString(),
                    "--truncation",
                    "middle")
                .err())
        .contains("head, tail or head+tail");
    assertThat(
            ModelsCommandTest.run("embed", "--model", "minilm-l6", "--input", "/nonexistent.txt")
                .err())
        .contains("--input /nonexistent.txt: no such file");
  }

  @Test
  void fp16OnTheCpuAndBf16AreRefusedInOneLine() throws Exception {
    Path input = Files.write(dir.resolve("in.txt"), List.of("x"));
    String model = DoctorCommandTest.fixture("tiny-roberta").toString();
    ModelsCommandTest.Run fp16 =
        ModelsCommandTest.run(
            "embed",
            "--model",
            model,
            "--input",
            input.toString(),
            "--device",
            "cpu",
            "--precision",
            "fp16");
    assertThat(fp16.code()).isNotZero();
    assertThat(fp16.err()).contains("fp16 runs only on a GPU").doesNotContain("\tat ");
    ModelsCommandTest.Run bf16 =
        ModelsCommandTest.run(
            "embed", "--model", model, "--input", input.toString(), "--precision", "bf16");
    assertThat(bf16.code()).isNotZero();
    assertThat(bf16.err()).contains("bf16").contains("not available").doesNotContain("\tat ");
  }
}
