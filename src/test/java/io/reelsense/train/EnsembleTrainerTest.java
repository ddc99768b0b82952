package io.reelsense.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import io.reelsense.data.ImdbCorpus;
import io.reelsense.data.ImdbReader;
import io.reelsense.data.OutOfDomainSets;
import io.reelsense.data.Review;
import io.reelsense.data.SampleData;
import io.reelsense.data.StratifiedSplit;
import io.reelsense.model.ReviewPrediction;
import io.reelsense.model.ReviewScores;
import io.reelsense.model.ScoringClassifier;
import io.reelsense.model.bundle.Bundles;
import io.reelsense.model.encoder.Pooling;
import io.reelsense.model.encoder.TinyEncoders;
import io.reelsense.model.ensemble.EnsembleClassifier;
import io.reelsense.model.tokenizer.Truncation;
import io.reelsense.model.weights.BertConfig;
import io.reelsense.text.CleaningProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ensembles of the TF-IDF baseline and a small frozen encoder, fitted on the sample. */
class EnsembleTrainerTest {

  @TempDir Path tmp;

  private final ImdbCorpus corpus = ImdbReader.read(ImdbReader.locate(SampleData.dir()));

  /** A TF-IDF baseline and a tiny frozen encoder, both rating, fitted on the sample. */
  private List<Path> members() throws Exception {
    BaselineTrainer.Result baseline =
        BaselineTrainer.train(corpus, BaselineOptions.defaults(), Progress.NONE);
    Path tfidf = tmp.resolve("tfidf-lr");
    Bundles.writeBaseline(
        tfidf, baseline.model(), "tfidf-lr", CleaningProfile.NONE, Map.of(), Map.of(), Map.of());

    List<String> words = TinyEncoders.WORDS;
    BertConfig config = TinyEncoders.config(TinyEncoders.vocabulary(words).size(), 16, 1, 32);
    FrozenEncoderTrainer.Base base =
        new FrozenEncoderTrainer.Base(
            "tiny-random",
            "tiny-random-2",
            TinyEncoders.randomCheckpoint(config, 3, 1.0, 0.02),
            TinyEncoders.tokenizerJson(words, tmp),
            Pooling.MEAN,
            false,
            "");
    FrozenEncoderOptions options =
        new FrozenEncoderOptions(
            "tiny-random",
            BaselineOptions.Task.BOTH,
            CleaningProfile.LIGHT,
            Truncation.head(32),
            64,
            new double[] {1},
            42,
            0,
            0,
            0,
            1,
            "cpu",
            tmp.resolve("cache"));
    FrozenEncoderTrainer.Result enc =
        FrozenEncoderTrainer.train(corpus, base, options, Device.cpu(), Progress.NONE);
    Path encoder = tmp.resolve("enc");
    Bundles.writeEncoder(encoder, enc.model(), CleaningProfile.LIGHT, Map.of(), Map.of(), Map.of());

    return List.of(tfidf, encoder);
  }

  private EnsembleTrainer.Options options(EnsembleTrainer.Combination combination) {
    return new EnsembleTrainer.Options(
        42, 0, 300, combination, 0.1, Device.cpu(), tmp.resolve("cache"));
  }

  /** The bundle written from {@code result} predicts what the trainer measured on test. */
  private void assertServesTheTrainersPredictions(
      EnsembleTrainer.Result result, EnsembleTrainer.Options o) throws Exception {
    Path dir = tmp.resolve("ensemble-" + o.combination().label());
    Bundles.writeEnsemble(
        dir,
        result.members(),
        result.stack(),
        result.metrics(),
        o.asMap(result.members()),
        Map.of());
    List<Review> some = FrozenEncoderTrainer.shuffledTest(corpus, 42).subList(0, 50);
    try (ScoringClassifier ens =
        (ScoringClassifier) Bundles.load(dir, List.of("sentiment", "rating"), "cpu")) {
      List<ReviewPrediction> p = ens.classify(some.stream().map(Review::text).toList());
      for (int i = 0; i < some.size(); i++) {
        assertThat(p.get(i).label()).isEqualTo(result.test().predictedLabels()[i]);
        assertThat(p.get(i).rating()).isEqualTo(result.test().predictedStars()[i]);
      }
    }
  }

  @Test
  void stackingHeadsAreCrossValidatedOnValidationAndTheBundleServesTheSamePredictions()
      throws Exception {
    List<Path> bundles = members();
    EnsembleTrainer.Options o = options(EnsembleTrainer.Combination.STACKING);
    EnsembleTrainer.Result result =
        EnsembleTrainer.train(corpus, bundles, EnsembleTrainer.names(bundles), o, Progress.NONE);
    Map<String, Object> m = result.metrics();
    assertThat(m.get("combination")).isEqualTo("stacking");
    assertThat(result.stack().dimension()).isEqualTo(2 * 9);
    assertThat(result.stack().tasks()).containsExactly("sentiment", "rating");
    assertThat(EnsembleTrainer.STACKING_C).contains((double) m.get("stacking_sentiment_C"));
    assertThat(EnsembleTrainer.STACKING_C).contains((double) m.get("stacking_rating_C"));
    // out-of-fold validation predictions, one per validation review, and they learned
    assertThat(result.validation().predictedLabels())
        .hasSize(StratifiedSplit.of(corpus.train()).validation().size());
    assertThat((double) m.get("val_accuracy")).isGreaterThan(0.7);
    assertThat((double) m.get("test_accuracy")).isGreaterThan(0.7);
    assertThat(result.members()).allSatisfy(s -> assertThat(s.sentimentWeight()).isEqualTo(1.0));
    assertThat(o.asMap(result.members()))
        .containsEntry("combination", "stacking")
        .containsEntry("stacking_C_grid", List.of(0.01, 0.1, 1.0, 10.0));
    assertServesTheTrainersPredictions(result, o);
  }

  /** Short labeled texts of another domain: restaurant sentences, half of them positive. */
  private static OutOfDomainSets.LabeledSet outOfDomain(OutOfDomainSets.SetInfo info, int n) {
    String[] good = {"tasty noodles and friendly staff", "lovely patio, fresh bread", "superb"};
    String[] bad = {"cold soup, rude waiter", "greasy fries and a long wait", "never again"};
    List<Review> reviews = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      int label = i % 2;
      String text = (label == 1 ? good : bad)[i % 3] + " " + i;
      reviews.add(new Review(info.name() + "_" + i, info.name(), label, null, null, text));
    }
    return new OutOfDomainSets.LabeledSet(info, reviews);
  }

  @Test
  void coverageFeaturesAndTheTuningMixAreServedAsTrained() throws Exception {
    List<Path> bundles = members();
    OutOfDomainSets.SetInfo yelp = OutOfDomainSets.SETS.get(2);
    OutOfDomainSets.SetInfo amazon = OutOfDomainSets.SETS.get(0);
    assertThat(yelp.role()).isEqualTo(OutOfDomainSets.Role.TUNING);
    assertThat(amazon.role()).isEqualTo(OutOfDomainSets.Role.REPORTED);
    EnsembleTrainer.Options o =
        new EnsembleTrainer.Options(
            42,
            0,
            300,
            EnsembleTrainer.Combination.STACKING,
            0.1,
            Device.cpu(),
            tmp.resolve("cache"),
            true,
            TuningMix.OUT_OF_DOMAIN,
            List.of(outOfDomain(amazon, 50), outOfDomain(yelp, 120)));
    EnsembleTrainer.Result result =
        EnsembleTrainer.train(corpus, bundles, EnsembleTrainer.names(bundles), o, Progress.NONE);
    Map<String, Object> m = result.metrics();
    // the TF-IDF member's four coverage features follow the 2 x 9 features of the scores
    assertThat(result.stack().dimension()).isEqualTo(2 * 9 + EnsembleClassifier.COVERAGE_WIDTH);
    assertThat(m.get("stack_coverage_members")).isEqualTo(List.of("tfidf-lr"));
    assertThat(result.members())
        .extracting(Bundles.MemberSource::coverage)
        .containsExactly(true, false);
    // the reported set is never fitted on; the tuning set is, and validation stays IMDb's
    assertThat(m.get("n_tuning")).isEqualTo(120);
    assertThat(result.validation().predictedLabels())
        .hasSize(StratifiedSplit.of(corpus.train()).validation().size());
    assertThat((double) m.get("val_accuracy")).isGreaterThan(0.7);
    assertThat((double) m.get("tuning_accuracy")).isBetween(0.0, 1.0);
    assertThat(o.asMap(result.members()))
        .containsEntry("stack_coverage", true)
        .containsEntry("tuning_mix", "out-of-domain")
        .containsEntry("tuning_sets", List.of("yelp"));

    // reloaded, the bundle computes the coverage features as the trainer did: its predictions and
    // test figures are the trainer's
    Path dir = tmp.resolve("ensemble-coverage");
    Bundles.writeEnsemble(
        dir, result.members(), result.stack(), m, o.asMap(result.members()), Map.of());
    assertThat(Files.readString(dir.resolve("manifest.json"))).contains("\"stackCoverage\" : true");
    List<Review> test = FrozenEncoderTrainer.shuffledTest(corpus, 42).subList(0, 300);
    try (ScoringClassifier ens =
        (ScoringClassifier) Bundles.load(dir, List.of("sentiment", "rating"), "cpu")) {
      List<ReviewPrediction> p = ens.classify(test.stream().map(Review::text).toList());
      int right = 0;
      for (int i = 0; i < test.size(); i++) {
        assertThat(p.get(i).label()).isEqualTo(result.test().predictedLabels()[i]);
        assertThat(p.get(i).rating()).isEqualTo(result.test().predictedStars()[i]);
        right += p.get(i).label() == test.get(i).label() ? 1 : 0;
      }
      assertThat(io.reelsense.metrics.Scores.round((double) right / test.size()))
          .isEqualTo(m.get("test_accuracy"));
    }
  }

  @Test
  void coverageNeedsStackingAndTheTuningMixItsSet() {
    assertThatThrownBy(
            () ->
                new EnsembleTrainer.Options(
                    42,
                    0,
                    0,
                    EnsembleTrainer.Combination.AVERAGE,
                    0.1,
                    Device.cpu(),
                    tmp,
                    true,
                    TuningMix.IMDB,
                    List.of()))
        .hasMessageContaining("stacking");
    OutOfDomainSets.SetInfo amazon = OutOfDomainSets.SETS.get(0);
    // a mix of reported sets only is refused: they may never be fitted on
    assertThatThrownBy(
            () ->
                new EnsembleTrainer.Options(
                    42,
                    0,
                    0,
                    EnsembleTrainer.Combination.STACKING,
                    0.1,
                    Device.cpu(),
                    tmp,
                    false,
                    TuningMix.OUT_OF_DOMAIN,
                    List.of(outOfDomain(amazon, 10))))
        .hasMessageContaining("marked for tuning");
    assertThat(TuningMix.parse("out-of-domain")).isEqualTo(TuningMix.OUT_OF_DOMAIN);
    assertThatThrownBy(() -> TuningMix.parse("yelp")).hasMessageContaining("imdb or out-of-domain");
  }

  @Test
  void weightsAreFittedOnValidationAndTheBundleServesTheSamePredictions() throws Exception {
    List<Path> bundles = members();
    EnsembleTrainer.Options o = options(EnsembleTrainer.Combination.AVERAGE);
    EnsembleTrainer.Result result =
        EnsembleTrainer.train(corpus, bundles, EnsembleTrainer.names(bundles), o, Progress.NONE);
    Map<String, Object> m = result.metrics();
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> members = (Map<String, Map<String, Object>>) m.get("members");
    // the grid holds each member alone, so validation can only get better
    for (Map<String, Object> member : members.values()) {
      assertThat((double) m.get("val_accuracy"))
          .isGreaterThanOrEqualTo((double) member.get("val_accuracy"));
    }
    assertThat((double) m.get("test_accuracy")).isGreaterThan(0.7);
    assertThat(m.get("n_test")).isEqualTo(300);
    assertThat(result.members())
        .extracting(Bundles.MemberSource::name)
        .containsExactly("tfidf-lr", "enc");

    // the TF-IDF member's scores are cached; a second ensemble reads them and agrees
    List<String> valTexts =
        StratifiedSplit.of(corpus.train()).validation().stream().map(Review::text).toList();
    assertThat(
            MemberScores.cache(tmp.resolve("cache"), bundles.get(0), "validation", valTexts).file())
        .isRegularFile();
    long cached;
    try (var files = Files.list(tmp.resolve("cache"))) {
      cached = files.count();
    }
    EnsembleTrainer.Result again =
        EnsembleTrainer.train(corpus, bundles, EnsembleTrainer.names(bundles), o, Progress.NONE);
    assertThat(again.test().predictedLabels()).containsExactly(result.test().predictedLabels());
    assertThat(again.metrics().get("val_accuracy")).isEqualTo(m.get("val_accuracy"));
    try (var files = Files.list(tmp.resolve("cache"))) {
      assertThat(files.count()).isEqualTo(cached);
    }
    assertThat(result.stack()).isNull();
    assertServesTheTrainersPredictions(result, o);
  }

  @Test
  void memberScoresPackIntoOneVectorAndBack() {
    ReviewScores s =
        new ReviewScores(
            0.75, Evaluation.STAR_CLASSES, new double[] {0, 0, 0, 0.5, 0, 0.25, 0.25, 0});
    float[] v = MemberScores.pack(s, true);
    assertThat(v).hasSize(MemberScores.dimension(true)).startsWith(0.75f, 0, 0, 0, 0.5f);
    ReviewScores back = MemberScores.unpack(v);
    assertThat(back.positive()).isEqualTo(0.75);
    assertThat(back.toPrediction()).isEqualTo(s.toPrediction());
    assertThat(MemberScores.unpack(MemberScores.pack(s, false)).hasRating()).isFalse();
  }

  @Test
  void theWeightGridCoversTheSimplex() {
    List<double[]> grid = EnsembleTrainer.simplex(3, 0.5);
    assertThat(grid).hasSize(6);
    for (double[] w : grid) {
      assertThat(w[0] + w[1] + w[2]).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
    }
    assertThat(EnsembleTrainer.names(List.of(Path.of("a/model"), Path.of("b/model"))))
        .containsExactly("model", "model-2");
  }

  @Test
  void anAverageOfMoreThanFiveMembersIsRefusedBeforeAnyScoring() {
    // paths that do not exist: the refusal comes before any bundle is read
    List<Path> six = Collections.nCopies(6, tmp.resolve("missing"));
    EnsembleTrainer.Options o = options(EnsembleTrainer.Combination.AVERAGE);
    assertThatThrownBy(
            () -> EnsembleTrainer.train(corpus, six, EnsembleTrainer.names(six), o, Progress.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("average weighs at most 5 bundles")
        .hasMessageContaining("got 6");
  }
}
