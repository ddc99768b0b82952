package io.reelsense.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import io.reelsense.data.ImdbCorpus;
import io.reelsense.data.ImdbReader;
import io.reelsense.data.Review;
import io.reelsense.data.SampleData;
import io.reelsense.model.ReviewClassifier;
import io.reelsense.model.ReviewPrediction;
import io.reelsense.model.ReviewScores;
import io.reelsense.model.bundle.BundleManifest;
import io.reelsense.model.bundle.Bundles;
import io.reelsense.model.encoder.Devices;
import io.reelsense.model.tokenizer.Truncation;
import io.reelsense.model.weights.NamedTensor;
import io.reelsense.text.CleaningProfile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fine-tunes a tiny random BERT (word-level vocabulary of the sample's 2,000 most frequent words)
 * on the committed sample: 640 of its training reviews, 4 epochs of 20 steps (and a 1-epoch run for
 * the determinism and resume checks).
 */
class FineTunerTest {

  @TempDir static Path tmp;

  private static ImdbCorpus corpus;
  private static FineTuner.Base base;
  private static FineTuner.Result straight;
  private static FineTuner.Result shortRun;

  private static int engineThreads;

  /**
   * Two intra-op threads while this class trains, whatever the machine has: PyTorch's CPU kernels
   * then split their work between threads, and the runs must still repeat bit for bit.
   */
  @BeforeAll
  static void trainOnce() throws Exception {
    Engine.getEngine(Devices.ENGINE);
    engineThreads = JniUtils.getNumThreads();
    JniUtils.setNumThreads(2);
    corpus = ImdbReader.read(ImdbReader.locate(SampleData.dir()));
    base = TinyBert.base(corpus.train(), 2000, tmp);
    straight = train(tmp.resolve("straight"), options(4, 0), false);
    shortRun = train(tmp.resolve("short"), options(1, 0), false);
  }

  @AfterAll
  static void restoreThreads() {
    JniUtils.setNumThreads(engineThreads);
  }

  /** {@code epochs} epochs of 20 steps (640 reviews, batches of 32). */
  static FineTuneOptions options(int epochs, int stopAfter) {
    return options(epochs, stopAfter, Truncation.head(128), 0);
  }

  static FineTuneOptions options(
      int epochs, int stopAfter, Truncation truncation, int serveMaxLength) {
    return new FineTuneOptions(
        BaselineOptions.Task.BOTH,
        CleaningProfile.LIGHT,
        epochs,
        32,
        1e-2f,
        0.01f,
        0.1f,
        1.0f,
        0.1f,
        truncation,
        serveMaxLength,
        42,
        640,
        200,
        200,
        100,
        5,
        0,
        stopAfter);
  }

  static FineTuner.Result train(Path dir, FineTuneOptions o, boolean resume) throws Exception {
    FineTuner tuner =
        new FineTuner(
            base,
            o,
            Device.cpu(),
            dir,
            Progress.NONE,
            new PrintWriter(new StringWriter()),
            () -> false);
    return tuner.run(corpus, resume);
  }

  @Test
  void lossFallsAndAccuracyIsWellAboveChance() {
    assertThat(straight.completed()).isTrue();
    List<double[]> loss = straight.state().loss();
    assertThat(loss).hasSizeGreaterThan(4);
    // the mean of the first two logging windows against that of the last two
    double first = (loss.get(0)[1] + loss.get(1)[1]) / 2;
    double last = (loss.get(loss.size() - 1)[1] + loss.get(loss.size() - 2)[1]) / 2;
    assertThat(last).isLessThan(first * 0.9);
    // chance: 0.5 for sentiment, 1/8 for the 8 star classes
    assertThat(straight.validation().accuracy()).isGreaterThan(0.65);
    assertThat(straight.test().accuracy()).isGreaterThan(0.65);
    assertThat(straight.test().ratingAccuracy()).isGreaterThan(0.2);
    assertThat(straight.state().validation()).hasSize(4);
    // each epoch's row has the mean loss of its 20 steps (2.08 = ln 2 + ln 8 at chance), falling
    List<Double> epochLoss = new ArrayList<>();
    for (Map<String, Object> row : straight.state().validation()) {
      assertThat(row).containsEntry("train_loss_steps", 20);
      epochLoss.add(((Number) row.get("train_loss")).doubleValue());
    }
    assertThat(epochLoss.get(0)).isBetween(1.0, 3.0);
    assertThat(epochLoss.get(3)).isLessThan(epochLoss.get(0));
    assertThat(straight.metrics())
        .containsKeys("test_accuracy", "test_f1", "val_accuracy", "test_mae")
        .containsEntry("n_fit", 640)
        .containsEntry("n_test", 200);
  }

  @Test
  void theSameSeedGivesTheSameModel() throws Exception {
    FineTuner.Result again = train(tmp.resolve("again"), options(1, 0), false);
    assertSameTensors(again.heads(), shortRun.heads());
    assertSameTensors(again.encoder().tensors(), shortRun.encoder().tensors());
    assertThat(again.metrics().get("test_accuracy"))
        .isEqualTo(shortRun.metrics().get("test_accuracy"));
    assertThat(again.metrics().get("val_accuracy"))
        .isEqualTo(shortRun.metrics().get("val_accuracy"));
  }

  @Test
  void aResumedRunEndsWhereAnUninterruptedOneEnds() throws Exception {
    Path dir = tmp.resolve("resumed");
    FineTuner.Result stopped = train(dir, options(1, 7), false);
    assertThat(stopped.completed()).isFalse();
    assertThat(stopped.state().step()).isEqualTo(7);
    assertThat(FineTuneCheckpoint.exists(dir.resolve(FineTuner.LAST))).isTrue();
    // the checkpoint's arguments win over the ones given now (epochs 4), except when to stop
    FineTuner.Result resumed = train(dir, options(4, 0), true);
    assertThat(resumed.completed()).isTrue();
    assertThat(resumed.state().step()).isEqualTo(20);
    // Most resumed runs end bit for bit where the uninterrupted run ends; now and then one ends up
    // to 2e-3 away (cause not found: CHANGELOG, "Known problems"). The bound still tells models
    // trained apart: the 4-epoch run is more than ten times farther from the 1-epoch one.
    double drift =
        Math.max(
            maxDifference(resumed.heads(), shortRun.heads()),
            maxDifference(resumed.encoder().tensors(), shortRun.encoder().tensors()));
    double apart =
        Math.max(
            maxDifference(straight.heads(), shortRun.heads()),
            maxDifference(straight.encoder().tensors(), shortRun.encoder().tensors()));
    assertThat(drift).isLessThanOrEqualTo(RESUME_TOLERANCE);
    assertThat(apart).isGreaterThan(10 * RESUME_TOLERANCE);
  }

  /** How far a resumed run may end from the uninterrupted one, per weight. */
  private static final double RESUME_TOLERANCE = 5e-3;

  private static double maxDifference(Map<String, NamedTensor> a, Map<String, NamedTensor> b) {
    assertThat(a.keySet()).containsExactlyElementsOf(b.keySet());
    double max = 0;
    for (String name : a.keySet()) {
      float[] x = a.get(name).data();
      float[] y = b.get(name).data();
      assertThat(x).as(name).hasSameSizeAs(y);
      for (int i = 0; i < x.length; i++) {
        max = Math.max(max, Math.abs(x[i] - y[i]));
      }
    }
    return max;
  }

  @Test
  void theBundleScoresAsTheTrainerDid() throws Exception {
    Path dir = tmp.resolve("bundle");
    FineTuneOptions o = options(4, 0);
    BundleManifest manifest =
        FineTuneBundles.write(
            dir, base, o, straight, straight.metrics(), o.asMap(), Map.of("sample", "x"));
    assertThat(manifest.kind()).isEqualTo(Bundles.ENCODER_KIND);
    assertThat(manifest.tasks()).containsExactly("sentiment", "rating");
    List<Review> test = FineTuner.data(corpus, o).test();
    List<String> texts = test.stream().map(Review::text).toList();
    List<ReviewPrediction> predicted;
    try (ReviewClassifier classifier = Bundles.load(dir)) {
      predicted = classifier.classify(texts);
    }
    int[] labels = predicted.stream().mapToInt(ReviewPrediction::label).toArray();
    int[] stars = predicted.stream().mapToInt(ReviewPrediction::rating).toArray();
    assertThat(labels).containsExactly(straight.test().predictedLabels());
    assertThat(stars).containsExactly(straight.test().predictedStars());
  }

  @Test
  void anEnsembleReadsTheScoresTheRunStoredInsteadOfScoringAgain() throws Exception {
    FineTuneOptions o = options(4, 0);
    Path dir = tmp.resolve("stored-bundle");
    FineTuneBundles.write(
        dir, base, o, straight, straight.metrics(), o.asMap(), Map.of("sample", "x"));
    Path cache = tmp.resolve("scores");
    MemberScores.storeFineTuned(cache, dir, corpus, 42, straight);
    EnsembleTrainer.Options eo =
        new EnsembleTrainer.Options(
            42, 200, 200, EnsembleTrainer.Combination.AVERAGE, 0.5, Device.cpu(), cache);
    EnsembleTrainer.Result read =
        EnsembleTrainer.train(corpus, List.of(dir), List.of("ft"), eo, Progress.NONE);
    assertThat(read.test().predictedLabels()).containsExactly(straight.test().predictedLabels());
    assertThat(read.test().predictedStars()).containsExactly(straight.test().predictedStars());

    // stored scores that say "positive" for every test review: the ensemble takes them as they are
    List<ReviewScores> allPositive =
        straight.testScores().stream()
            .map(s -> new ReviewScores(1.0, s.ratingClasses(), s.rating()))
            .toList();
    FineTuner.Result doctored =
        new FineTuner.Result(
            true,
            straight.state(),
            straight.encoder(),
            straight.heads(),
            straight.validation(),
            straight.test(),
            straight.metrics(),
            straight.validationScores(),
            allPositive);
    MemberScores.storeFineTuned(cache, dir, corpus, 42, doctored);
    EnsembleTrainer.Result fromCache =
        EnsembleTrainer.train(corpus, List.of(dir), List.of("ft"), eo, Progress.NONE);
    assertThat(fromCache.test().predictedLabels()).containsOnly(1);
  }

  @Test
  void trainedOnShortCutsItIsScoredAndServedAtTheServeLength() throws Exception {
    FineTuneOptions o = options(1, 0, Truncation.head(16), 128);
    FineTuner.Result run = train(tmp.resolve("serve"), o, false);
    Path dir = tmp.resolve("serve-bundle");
    BundleManifest manifest =
        FineTuneBundles.write(dir, base, o, run, run.metrics(), o.asMap(), Map.of("sample", "x"));
    assertThat(manifest.maxLength()).isEqualTo(128);
    assertThat(manifest.training())
        .containsEntry("max_length", 16)
        .containsEntry("serve_max_length", 128);
    List<String> texts = FineTuner.data(corpus, o).test().stream().map(Review::text).toList();
    try (ReviewClassifier classifier = Bundles.load(dir)) {
      int[] labels =
          classifier.classify(texts).stream().mapToInt(ReviewPrediction::label).toArray();
      assertThat(labels).containsExactly(run.test().predictedLabels());
    }
  }

  /** The same tensors, bit for bit. */
  private static void assertSameTensors(Map<String, NamedTensor> a, Map<String, NamedTensor> b) {
    assertThat(a.keySet()).containsExactlyElementsOf(b.keySet());
    for (String name : a.keySet()) {
      assertThat(a.get(name).data()).as(name).containsExactly(b.get(name).data());
    }
  }
}
