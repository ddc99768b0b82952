package io.reelsense.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reelsense.model.encoder.ModelCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code doctor} and {@code models add}, through the command line. */
class DoctorCommandTest {

  @TempDir Path dir;

  @AfterEach
  void forgetUserModels() {
    System.clearProperty("reelsense.models");
  }

  static Path fixture(String name) throws Exception {
    return Path.of(DoctorCommandTest.class.getResource("/hf/" + name + "/config.json").toURI())
        .getParent();
  }

  @Test
  void doctorSaysWhatRunsTheModelsAndWhatIsMissing() throws Exception {
    System.setProperty("reelsense.models", dir.resolve("models").toString());
    Path data = Files.createDirectories(dir.resolve("data"));
    ModelsCommandTest.Run r =
        ModelsCommandTest.run(
            "doctor",
            "--repo",
            dir.resolve("repo").toString(),
            "--data",
            data.toString(),
            "--json");
    assertThat(r.code()).isZero();
    JsonNode json = r.json();
    // the test class path holds the CPU libtorch jar, as the default build's target/lib does
    assertThat(json.get("build").asText()).isEqualTo("cpu");
    assertThat(json.at("/libtorch/source").asText()).isEqualTo("bundled jar");
    assertThat(json.at("/libtorch/flavor").asText()).isEqualTo("cpu");
    assertThat(json.at("/libtorch/location").asText()).contains("pytorch-native-cpu");
    assertThat(json.at("/cuda/seenBy").asText()).isIn("nvidia-smi", "/proc/driver/nvidia", "none");
    assertThat(json.get("threads").asInt()).isPositive();
    assertThat(json.get("models").findValuesAsText("name"))
        .containsExactly("bert-base-uncased", "bge-small", "minilm-l6", "e5-small");
    assertThat(json.get("models").findValuesAsText("present")).containsOnly("false");
    assertThat(json.at("/data/present").asBoolean()).isFalse();
    assertThat(json.get("advice").toString())
        .contains("reelsense models pull bge-small")
        .contains("no data");
    assertThat(r.out()).contains("libtorch").contains("to do");
  }

  @Test
  void modelsAddRegistersAHubDirectoryThatDoctorThenLists() throws Exception {
    System.setProperty("reelsense.models", dir.resolve("models").toString());
    ModelsCommandTest.Run r =
        ModelsCommandTest.run(
            "models", "add", "tiny-distilbert", fixture("tiny-distilbert").toString(), "--json");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.json().get("architecture").asText()).isEqualTo("distilbert");
    assertThat(r.json().get("layers").asInt()).isEqualTo(2);
    assertThat(ModelCatalog.get("tiny-distilbert").directory())
        .isEqualTo(fixture("tiny-distilbert").toAbsolutePath().normalize());

    ModelsCommandTest.Run doctor =
        ModelsCommandTest.run("doctor", "--repo", dir.toString(), "--json");
    assertThat(doctor.json().get("models").findValuesAsText("name")).contains("tiny-distilbert");
  }

  @Test
  void modelsAddRefusesWhatIsNotAModel() throws Exception {
    System.setProperty("reelsense.models", dir.resolve("models").toString());
    ModelsCommandTest.Run taken =
        ModelsCommandTest.run("models", "add", "bge-small", fixture("tiny-roberta").toString());
    assertThat(taken.code()).isNotZero();
    assertThat(taken.err()).contains("catalog model").doesNotContain("\tat ");

    Path empty = Files.createDirectories(dir.resolve("empty"));
    Files.copy(fixture("tiny-roberta").resolve("config.json"), empty.resolve("config.json"));
    ModelsCommandTest.Run noWeights =
        ModelsCommandTest.run("models", "add", "broken", empty.toString());
    assertThat(noWeights.code()).isNotZero();
    assertThat(noWeights.err()).contains("model.safetensors").doesNotContain("\tat ");
    assertThat(ModelCatalog.isEncoder("broken")).isFalse();

    ModelsCommandTest.Run missing =
        ModelsCommandTest.run("models", "add", "gone", dir.resolve("nowhere").toString());
    assertThat(missing.code()).isNotZero();
    assertThat(missing.err()).contains("not a directory");
  }
}
