package io.reelsense.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reelsense.data.SampleData;
import io.reelsense.train.Comparison;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --compare} and the fine-tuning options' errors, on the committed sample. */
class TrainCompareCommandTest {

  @TempDir Path tmp;

  @Test
  void compareWritesOneTableForEveryModel() throws Exception {
    Path out = tmp.resolve("cmp");
    TrainCommandTest.Run r =
        TrainCommandTest.run(
            "train",
            "--compare",
            "tfidf-lr,tfidf-nb",
            "--task",
            "sentiment",
            "--max-train",
            "800",
            "--val-limit",
            "200",
            "--test-limit",
            "300",
            "--data",
            SampleData.dir().toString(),
            "--out",
            out.toString(),
            "--no-progress",
            "--threads",
            "2",
            "--json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode json = r.json();
    assertThat(json.get("models")).hasSize(2);
    JsonNode lr = json.get("models").get(0);
    assertThat(lr.get("model").asText()).isEqualTo("tfidf-lr");
    assertThat(lr.get("n_fit").asInt()).isEqualTo(800);
    assertThat(lr.get("n_test").asInt()).isEqualTo(300);
    assertThat(lr.get("test_accuracy").asDouble()).isGreaterThan(0.65);
    assertThat(lr.get("parameters").asLong()).isPositive();
    assertThat(lr.get("examples_per_second").asDouble()).isPositive();
    assertThat(json.get("models").get(1).get("model").asText()).isEqualTo("tfidf-nb");
    assertThat(out.resolve(Comparison.HTML)).exists();
    assertThat(Files.readString(out.resolve(Comparison.HTML)))
        .contains("tfidf-lr", "tfidf-nb", "test accuracy", Comparison.CHART);
    assertThat(out.resolve(Comparison.CHART)).exists();
    assertThat(Json.MAPPER.readTree(out.resolve(Comparison.JSON).toFile()).get("models"))
        .hasSize(2);
    assertThat(out.resolve("tfidf-lr").resolve("manifest.json")).exists();
    assertThat(r.out()).contains("| tfidf-lr |");
    assertThat(fieldNames(json)).containsExactly("models", "html", "json");
    assertThat(fieldNames(lr))
        .containsExactly(
            "model",
            "test_accuracy",
            "test_f1",
            "val_accuracy",
            "val_f1",
            "n_fit",
            "n_val",
            "n_test",
            "features",
            "fit_on",
            "train_seconds",
            "seconds_clean",
            "seconds_vectorize",
            "seconds_heads",
            "seconds_validate",
            "seconds_test",
            "examples_per_second",
            "parameters",
            "kind",
            "bundle",
            "report");
    JsonNode file = Json.MAPPER.readTree(out.resolve(Comparison.JSON).toFile());
    assertThat(fieldNames(file)).containsExactly("arguments", "models");
    assertThat(fieldNames(file.get("arguments")))
        .containsExactly(
            "task",
            "cleaning",
            "epochs",
            "batch_size",
            "optimizer",
            "learning_rate",
            "weight_decay",
            "schedule",
            "warmup_ratio",
            "max_grad_norm",
            "dropout",
            "max_length",
            "truncation",
            "padding",
            "seed",
            "validation_share",
            "max_train",
            "max_val",
            "max_test",
            "eval_batch_size",
            "models");
    assertThat(fieldNames(file.get("models").get(0))).isEqualTo(fieldNames(lr));
  }

  static java.util.List<String> fieldNames(JsonNode node) {
    java.util.List<String> keys = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(keys::add);
    return keys;
  }

  /**
   * The original study's loop in small: BERT, RoBERTa and DistilBERT (the tiny hub fixtures) under
   * the same arguments, one report with accuracy, F1, time, memory and the loss curves.
   */
  @Test
  void theStudysThreeArchitecturesCompareUnderTheSameArguments() throws Exception {
    List<String> dirs = new ArrayList<>();
    for (String name : List.of("tiny-bert", "tiny-roberta", "tiny-distilbert")) {
      dirs.add(DoctorCommandTest.fixture(name).toString());
    }
    Path out = tmp.resolve("study");
    TrainCommandTest.Run r =
        TrainCommandTest.run(
            "train",
            "--compare",
            String.join(",", dirs),
            "--task",
            "sentiment",
            "--epochs",
            "1",
            "--batch-size",
            "8",
            "--lr",
            "2e-5",
            "--max-length",
            "20",
            "--truncation",
            "head+tail",
            "--log-every",
            "2",
            "--device",
            "cpu",
            "--max-train",
            "48",
            "--val-limit",
            "16",
            "--test-limit",
            "16",
            "--data",
            SampleData.dir().toString(),
            "--out",
            out.toString(),
            "--no-progress",
            "--threads",
            "2",
            "--json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode models = r.json().get("models");
    assertThat(models).hasSize(3);
    for (int i = 0; i < 3; i++) {
      JsonNode m = models.get(i);
      assertThat(m.get("model").asText()).isEqualTo(dirs.get(i));
      assertThat(m.get("n_fit").asInt()).isEqualTo(48);
      assertThat(m.get("n_test").asInt()).isEqualTo(16);
      assertThat(m.get("test_accuracy").asDouble()).isBetween(0.0, 1.0);
      assertThat(m.has("test_f1")).isTrue();
      // seconds are rounded to tenths: six tiny steps may take less than 0.05 s
      assertThat(m.get("train_seconds").asDouble()).isGreaterThanOrEqualTo(0.0);
      assertThat(m.get("examples_per_second").asDouble()).isPositive();
      assertThat(m.get("peak_rss_mb").asLong()).isPositive();
      // 48 reviews in batches of 8: 6 steps, a loss point every 2
      assertThat(m.get("loss")).hasSize(3);
      // each bundle in a folder named after its directory, never inside the model's directory
      Path bundle = Path.of(m.get("bundle").asText());
      assertThat(bundle.getParent()).isEqualTo(out);
      assertThat(bundle.getFileName().toString())
          .isEqualTo(Path.of(dirs.get(i)).getFileName().toString());
      assertThat(Path.of(dirs.get(i)).resolve("manifest.json")).doesNotExist();
    }
    String html = Files.readString(out.resolve(Comparison.HTML));
    assertThat(html).contains("peak memory (MB)", Comparison.LOSS_CHART, "Training loss");
    assertThat(out.resolve(Comparison.LOSS_CHART)).exists();
    JsonNode arguments =
        Json.MAPPER.readTree(out.resolve(Comparison.JSON).toFile()).get("arguments");
    assertThat(arguments.toString()).contains("2.0E-5").contains("head+tail");
  }

  @Test
  void anUnknownModelInTheComparisonIsNamed() {
    TrainCommandTest.Run r =
        TrainCommandTest.run(
            "train", "--compare", "tfidf-lr,gpt-7", "--out", tmp.resolve("x").toString());
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.err()).contains("gpt-7").contains("minilm-l6").contains("tfidf-lr");
  }

  @Test
  void resumingWithoutACheckpointSaysWhereItLooked() {
    TrainCommandTest.Run r =
        TrainCommandTest.run(
            "train",
            "--model",
            "minilm-l6",
            "--resume",
            tmp.toString(),
            "--data",
            SampleData.dir().toString(),
            "--out",
            tmp.resolve("y").toString());
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.err()).contains("--resume").contains("no checkpoint");
  }

  @Test
  void badFineTuningArgumentsAreRefused() {
    TrainCommandTest.Run r =
        TrainCommandTest.run(
            "train",
            "--model",
            "minilm-l6",
            "--warmup-ratio",
            "1.5",
            "--data",
            SampleData.dir().toString(),
            "--out",
            tmp.resolve("z").toString());
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.err()).contains("warm-up ratio");
  }
}
