package io.reelsense.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reelsense.data.ImdbReader;
import io.reelsense.data.Review;
import io.reelsense.data.SampleData;
import io.reelsense.model.ReviewClassifier;
import io.reelsense.model.ReviewPrediction;
import io.reelsense.model.bundle.BundleManifest;
import io.reelsense.model.bundle.Bundles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trains on the committed sample (2,000 train + 1,000 test reviews) through the CLI. */
class TrainCommandTest {

  @TempDir static Path tmp;

  private static Path bundle;
  private static JsonNode trained;
  private static String trainedOut;

  record Run(int exitCode, String out, String err) {
    JsonNode json() throws Exception {
      String[] lines = out.strip().split("\n");
      return Json.MAPPER.readTree(lines[lines.length - 1]);
    }
  }

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  private static String[] train(Path out, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "train",
                "--data",
                SampleData.dir().toString(),
                "--out",
                out.toString(),
                "--no-progress",
                "--threads",
                "2",
                "--json"));
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }

  @BeforeAll
  static void trainOnTheSample() throws Exception {
    bundle = tmp.resolve("lr");
    Run r = run(train(bundle, "--ngram", "1,1", "--C", "1"));
    assertThat(r.exitCode()).as(r.err()).isZero();
    trained = r.json();
    trainedOut = r.out();
  }

  @Test
  void baselineJsonKeysAndSummaryStayAsScriptsReadThem() {
    List<String> keys = new ArrayList<>();
    trained.fieldNames().forEachRemaining(keys::add);
    assertThat(keys)
        .containsExactly(
            "test_accuracy",
            "test_f1",
            "val_accuracy",
            "val_f1",
            "test_rating_accuracy",
            "test_mae",
            "test_rating_macro_f1",
            "test_rating_implied_accuracy",
            "val_rating_accuracy",
            "val_mae",
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
            "model",
            "cleaning",
            "bundle",
            "report");
    // the figures are rounded to 5 decimals, the seconds to one
    double mae = trained.get("test_mae").asDouble();
    assertThat(Math.round(mae * 1e5) / 1e5).isEqualTo(mae);
    double seconds = trained.get("train_seconds").asDouble();
    assertThat(Math.round(seconds * 10) / 10.0).isEqualTo(seconds);
    List<String> manifestKeys = new ArrayList<>(Bundles.readManifest(bundle).metrics().keySet());
    assertThat(manifestKeys).containsExactlyElementsOf(keys.subList(0, 21));
    String[] lines = trainedOut.split("\n");
    assertThat(lines[0])
        .matches("tfidf-lr, cleaning none, fitted on 1600 reviews, \\d+ features, \\d+\\.\\d s");
    assertThat(lines[1])
        .matches(
            "sentiment  validation accuracy 0\\.\\d{4}   test accuracy 0\\.\\d{4}   test F1"
                + " 0\\.\\d{4}");
    assertThat(lines[2])
        .matches(
            "rating     test accuracy 0\\.\\d{4}   MAE \\d\\.\\d{3} stars   macro-F1 0\\.\\d{4}"
                + "   accuracy of 'rating >= 7' 0\\.\\d{4}");
    assertThat(lines[3])
        .isEqualTo("bundle " + bundle + "   report " + bundle.resolve("report.html"));
  }

  @Test
  void baselineLearnsBothTasksOnTheSample() {
    // chance: 0.5 for sentiment, 1/8 for rating
    assertThat(trained.get("val_accuracy").asDouble()).isGreaterThan(0.7);
    assertThat(trained.get("test_accuracy").asDouble()).isGreaterThan(0.7);
    assertThat(trained.get("test_f1").asDouble()).isGreaterThan(0.7);
    assertThat(trained.get("test_rating_accuracy").asDouble()).isGreaterThan(0.2);
    assertThat(trained.get("test_mae").asDouble()).isLessThan(2.5);
    assertThat(trained.get("n_fit").asInt()).isEqualTo(1600);
    assertThat(trained.get("n_val").asInt()).isEqualTo(400);
    assertThat(trained.get("n_test").asInt()).isEqualTo(1000);
    assertThat(bundle.resolve("report.html")).isRegularFile();
    assertThat(bundle.resolve("confusion-sentiment.png")).isRegularFile();
    assertThat(bundle.resolve("confusion-rating.png")).isRegularFile();
    assertThat(bundle.resolve("rating-per-class.png")).isRegularFile();
  }

  @Test
  void manifestRecordsArgumentsChecksumsAndMetrics() {
    BundleManifest m = Bundles.readManifest(bundle);
    assertThat(m.kind()).isEqualTo("tfidf-lr");
    assertThat(m.tasks()).containsExactly("sentiment", "rating");
    assertThat(m.cleaning()).isEqualTo("none");
    assertThat(m.training()).containsEntry("C", 1.0).containsEntry("seed", 42);
    assertThat(m.data()).containsKey("aclImdb_v1.tar.gz");
    assertThat(m.data().get("aclImdb_v1.tar.gz")).hasSize(64);
    assertThat(m.metrics().get("test_accuracy")).isEqualTo(trained.get("test_accuracy").asDouble());
  }

  @Test
  void evaluateOnTheTestSplitGivesTheTrainingFigure() throws Exception {
    Run r =
        run(
            "evaluate",
            "--model",
            bundle.toString(),
            "--split",
            "test",
            "--data",
            SampleData.dir().toString(),
            "--json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode j = r.json();
    assertThat(j.get("n").asInt()).isEqualTo(1000);
    assertThat(j.get("accuracy").asDouble())
        .isCloseTo(
            trained.get("test_accuracy").asDouble(), org.assertj.core.api.Assertions.within(1e-5));
    assertThat(j.get("mae").asDouble())
        .isCloseTo(
            trained.get("test_mae").asDouble(), org.assertj.core.api.Assertions.within(1e-5));
  }

  @Test
  void evaluateSuiteReadsItsArchiveFromDataFirstAndChecksItsPinnedChecksum() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("suite"));
    Files.writeString(dir.resolve(io.reelsense.data.OutOfDomainSets.ARCHIVE), "not the archive");
    Run r =
        run(
            "evaluate",
            "--model",
            bundle.toString(),
            "--suite",
            "out-of-domain",
            "--data",
            dir.toString());
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.err()).contains("not the pinned " + io.reelsense.data.OutOfDomainSets.SHA256);
    Run both =
        run(
            "evaluate",
            "--model",
            bundle.toString(),
            "--suite",
            "out-of-domain",
            "--split",
            "test");
    assertThat(both.exitCode()).isNotZero();
    assertThat(both.err()).contains("--suite scores its own sets: leave out --input, --split");
  }

  @Test
  void evaluateOnTheValidationSplitGivesTheTrainingFigure() throws Exception {
    Run r = evaluateSplit("val");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.json().get("n").asInt()).isEqualTo(400);
    assertThat(r.json().get("accuracy").asDouble())
        .isCloseTo(
            trained.get("val_accuracy").asDouble(), org.assertj.core.api.Assertions.within(1e-5));
    Run first = evaluateSplit("val", "--limit", "50");
    assertThat(first.json().get("n").asInt()).isEqualTo(50);
    assertThat(first.json().get("input").asText()).isEqualTo("IMDb val (first 50)");
    // the test split comes sorted by label: --limit draws from all of it
    Run drawn = evaluateSplit("test", "--limit", "60");
    assertThat(drawn.json().get("n").asInt()).isEqualTo(60);
    assertThat(drawn.json().get("input").asText()).isEqualTo("IMDb test (60 drawn with seed 42)");
    assertThat(drawn.json().get("recall").asDouble()).isGreaterThan(0.3);
  }

  /** {@code evaluate --json} of the sample's bundle on an IMDb split of the sample. */
  private static Run evaluateSplit(String split, String... more) throws Exception {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "evaluate",
                "--model",
                bundle.toString(),
                "--split",
                split,
                "--data",
                SampleData.dir().toString(),
                "--json"));
    args.addAll(List.of(more));
    return run(args.toArray(String[]::new));
  }

  @Test
  void evaluateAndClassifyReadAPlainTextTabLabelFile() throws Exception {
    Path file = tmp.resolve("mine.txt");
    List<Review> test = ImdbReader.readSplit(SampleData.dir(), "test").subList(0, 60);
    StringBuilder sb = new StringBuilder();
    for (Review r : test) {
      sb.append(r.text().replace('\t', ' ').replace('\n', ' '))
          .append('\t')
          .append(r.label())
          .append('\n');
    }
    Files.writeString(file, sb);
    Run e = run("evaluate", "--model", bundle.toString(), "--input", file.toString(), "--json");
    assertThat(e.exitCode()).as(e.err()).isZero();
    assertThat(e.json().get("n").asInt()).isEqualTo(60);
    assertThat(e.json().get("accuracy").asDouble()).isGreaterThan(0.6);

    Path predictions = tmp.resolve("out/predictions.jsonl");
    Run c =
        run(
            "classify",
            "--model",
            bundle.toString(),
            "--input",
            file.toString(),
            "--output",
            predictions.toString(),
            "--json");
    assertThat(c.exitCode()).as(c.err()).isZero();
    List<String> lines = Files.readAllLines(predictions);
    assertThat(lines).hasSize(60);
    JsonNode first = Json.MAPPER.readTree(lines.get(0));
    assertThat(first.get("label").asText()).isIn("positive", "negative");
    assertThat(first.get("positive_probability").asDouble()).isBetween(0.0, 1.0);
    assertThat(first.get("rating").asInt()).isIn(1, 2, 3, 4, 7, 8, 9, 10);
    // the bundle's own classifier agrees with what classify wrote, line by line in input order
    // (classify scores the reviews shortest first)
    try (ReviewClassifier classifier = Bundles.load(bundle)) {
      for (int i = 0; i < test.size(); i++) {
        ReviewPrediction p = classifier.classify(List.of(test.get(i).text())).get(0);
        assertThat(Json.MAPPER.readTree(lines.get(i)).get("positive_probability").asDouble())
            .as("line %d", i + 1)
            .isCloseTo(p.positiveProbability(), org.assertj.core.api.Assertions.within(1e-9));
      }
    }
  }

  @Test
  void sameSeedGivesTheSameModelAndNaiveBayesLearnsToo() throws Exception {
    Run again = run(train(tmp.resolve("lr-again"), "--ngram", "1,1", "--C", "1"));
    JsonNode j = again.json();
    for (String key : List.of("test_accuracy", "val_accuracy", "test_mae", "features")) {
      assertThat(j.get(key)).as(key).isEqualTo(trained.get(key));
    }
    Run nb =
        run(
            train(
                tmp.resolve("nb"),
                "--model",
                "tfidf-nb",
                "--task",
                "sentiment",
                "--fit-on",
                "all"));
    assertThat(nb.exitCode()).as(nb.err()).isZero();
    assertThat(nb.json().get("test_accuracy").asDouble()).isGreaterThan(0.7);
    assertThat(nb.json().get("n_fit").asInt()).isEqualTo(2000);
    assertThat(nb.json().get("n_val").asInt()).isEqualTo(400);
    assertThat(nb.json().has("test_mae")).isFalse();
    assertThat(Bundles.readManifest(tmp.resolve("nb")).tasks()).containsExactly("sentiment");
  }

  @Test
  void userMistakesAreOneLineErrors() {
    Run badProfile = run(train(tmp.resolve("x"), "--profile", "extreme"));
    assertThat(badProfile.exitCode()).isEqualTo(1);
    assertThat(badProfile.err()).contains("--profile: unknown cleaning profile 'extreme'");
    Run badNgram = run(train(tmp.resolve("x"), "--ngram", "2,1"));
    assertThat(badNgram.err()).contains("--ngram");
    Run noBundle = run("evaluate", "--model", tmp.resolve("missing").toString(), "--split", "test");
    assertThat(noBundle.exitCode()).isEqualTo(1);
    assertThat(noBundle.err()).contains("is not a directory").doesNotContain("REELSENSE_DEBUG");
  }
}
