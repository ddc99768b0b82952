package io.reelsense.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench gpu --device cpu --quick}: the JSON file's shape, on the tiny hub models. */
class BenchGpuCommandTest {

  @TempDir Path dir;

  @Test
  void quickRunOnTheCpuWritesEveryPartWithFp16SkippedForItsReason() throws Exception {
    Path out = dir.resolve("check/bench.json");
    String roberta = DoctorCommandTest.fixture("tiny-roberta").toString();
    String distil = DoctorCommandTest.fixture("tiny-distilbert").toString();
    ModelsCommandTest.Run r =
        ModelsCommandTest.run(
            "bench",
            "gpu",
            "--device",
            "cpu",
            "--quick",
            "--model",
            roberta + "," + distil,
            "--train-model",
            distil,
            "--reviews",
            "12",
            "--out",
            out.toString(),
            "--json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode json = Json.MAPPER.readTree(Files.readString(out));
    assertThat(json).isEqualTo(r.json());
    assertThat(json.get("quick").asBoolean()).isTrue();
    assertThat(json.get("device").asText()).isEqualTo("cpu()");
    assertThat(json.at("/doctor/build").asText()).isEqualTo("cpu");
    assertThat(json.at("/doctor/libtorch/flavor").asText()).isEqualTo("cpu");

    JsonNode cells = json.get("encoders");
    // 2 models x 2 precisions x 2 batch sizes x 2 lengths
    assertThat(cells).hasSize(16);
    List<String> ran = new ArrayList<>();
    for (JsonNode c : cells) {
      if (c.get("precision").asText().equals("fp16")) {
        assertThat(c.get("skipped").asText()).contains("fp16 runs only on a GPU");
        assertThat(c.get("passes").asInt()).isZero();
      } else {
        assertThat(c.get("skipped").asText()).isEmpty();
        assertThat(c.get("passes").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(c.get("sequencesPerSecond").asDouble()).isPositive();
        assertThat(c.get("tokensPerSecond").asDouble())
            .isCloseTo(
                c.get("sequencesPerSecond").asDouble() * c.get("tokens").asInt(),
                org.assertj.core.data.Percentage.withPercentage(1e-6));
        ran.add(c.get("model").asText() + " " + c.get("batch").asInt() + "x" + c.get("tokens"));
      }
    }
    assertThat(ran)
        .containsExactly(
            roberta + " 1x8",
            roberta + " 1x16",
            roberta + " 4x8",
            roberta + " 4x16",
            distil + " 1x8",
            distil + " 1x16",
            distil + " 4x8",
            distil + " 4x16");

    JsonNode training = json.get("training");
    assertThat(training.get("model").asText()).isEqualTo(distil);
    assertThat(training.get("steps").asInt()).isEqualTo(2);
    assertThat(training.get("tokens").asInt()).isEqualTo(16);
    assertThat(training.get("stepsPerSecond").asDouble()).isPositive();
    assertThat(Double.isFinite(training.get("lastLoss").asDouble())).isTrue();

    JsonNode stream = json.get("stream");
    assertThat(stream.get("reviews").asInt()).isEqualTo(12);
    assertThat(stream.get("scored").asInt()).isEqualTo(12);
    assertThat(stream.get("deadLettered").asInt()).isZero();
    assertThat(stream.get("reviewsPerSecond").asDouble()).isPositive();
    assertThat(json.get("notes").toString()).contains("untrained sentiment head");
    assertThat(r.out()).contains("steps/s").contains("reviews/s");
  }
}
