package io.reelsense.model.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reelsense.data.Review;
import io.reelsense.model.ReviewScores;
import io.reelsense.model.ScoringClassifier;
import io.reelsense.model.baseline.BaselineModel;
import io.reelsense.model.baseline.LinearHeads;
import io.reelsense.model.baseline.LinearModel;
import io.reelsense.model.baseline.SparseVector;
import io.reelsense.model.baseline.TfidfVectorizer;
import io.reelsense.model.encoder.TinyEncoders;
import io.reelsense.model.ensemble.EnsembleClassifier;
import io.reelsense.model.tokenizer.Truncation;
import io.reelsense.text.CleaningProfile;
import io.reelsense.train.LinearTrainers;
import io.reelsense.train.TinyReviews;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnsembleBundleTest {

  @TempDir Path tmp;

  private static final List<String> TEXTS =
      List.of("a great film, loved it", "awful and boring plot", "");

  /** What the bundle in {@code dir} scores {@link #TEXTS} on its own. */
  private static List<ReviewScores> scores(Path dir) {
    try (ScoringClassifier c = (ScoringClassifier) Bundles.load(dir, List.of(), "cpu")) {
      return c.score(TEXTS);
    }
  }

  private Path baseline() throws Exception {
    List<Review> train = TinyReviews.make(300, "train", 1);
    TfidfVectorizer.Fitted f =
        TfidfVectorizer.fit(
            train.stream().map(Review::text).toList(),
            new TfidfVectorizer.Config(1, 1, 1, 0, true, Set.of()));
    List<SparseVector> x = f.vectors();
    int dim = f.vectorizer().dimension();
    BaselineModel model =
        new BaselineModel(
            f.vectorizer(),
            LinearTrainers.logisticRegression(
                x, train.stream().mapToInt(Review::label).toArray(), dim, 1.0, 1),
            LinearTrainers.logisticRegression(
                x, train.stream().mapToInt(Review::rating).toArray(), dim, 1.0, 2));
    Path dir = tmp.resolve("tfidf");
    Bundles.writeBaseline(
        dir, model, "tfidf-lr", CleaningProfile.NONE, Map.of(), Map.of(), Map.of());
    return dir;
  }

  private Path encoder() throws Exception {
    Path dir = tmp.resolve("enc");
    Bundles.writeEncoder(
        dir,
        TinyEncoders.tinyModel(tmp, Truncation.head(16), true),
        CleaningProfile.LIGHT,
        Map.of(),
        Map.of(),
        Map.of());
    return dir;
  }

  @Test
  void theEnsembleAveragesItsMembersWithTheirWeights() throws Exception {
    Path a = baseline();
    Path b = encoder();
    Path dir = tmp.resolve("ens");
    Bundles.writeEnsemble(
        dir,
        List.of(
            new Bundles.MemberSource("tfidf", a, 0.75, 0.5),
            new Bundles.MemberSource("enc", b, 0.25, 0.5)),
        null,
        Map.of("test_accuracy", 0.5),
        Map.of(),
        Map.of());
    BundleManifest manifest = Bundles.readManifest(dir);
    assertThat(manifest.kind()).isEqualTo("ensemble");
    assertThat(manifest.tasks()).containsExactly("sentiment", "rating");
    assertThat(manifest.members())
        .extracting(EnsembleMember::kind)
        .containsExactly("tfidf-lr", "encoder");
    assertThat(manifest.files())
        .containsKeys("members/tfidf/manifest.json", "members/enc/manifest.json");

    List<ReviewScores> sa = scores(a);
    List<ReviewScores> sb = scores(b);
    try (ScoringClassifier ens = (ScoringClassifier) Bundles.load(dir, List.of("rating"), "cpu")) {
      List<ReviewScores> s = ens.score(TEXTS);
      for (int i = 0; i < TEXTS.size(); i++) {
        assertThat(s.get(i).positive())
            .isCloseTo(0.75 * sa.get(i).positive() + 0.25 * sb.get(i).positive(), within());
        for (int k = 0; k < 8; k++) {
          assertThat(s.get(i).rating()[k])
              .isCloseTo(0.5 * sa.get(i).rating()[k] + 0.5 * sb.get(i).rating()[k], within());
        }
      }
      assertThat(ens.classify(TEXTS)).hasSize(3);
    }

    Path only = tmp.resolve("only-a");
    Bundles.writeEnsemble(
        only,
        List.of(
            new Bundles.MemberSource("tfidf", a, 1, 1), new Bundles.MemberSource("enc", b, 0, 0)),
        null,
        Map.of(),
        Map.of(),
        Map.of());
    try (ScoringClassifier ens = (ScoringClassifier) Bundles.load(only, List.of(), "cpu")) {
      assertThat(ens.score(TEXTS)).isEqualTo(sa);
    }
  }

  @Test
  void aStackedEnsembleScoresWithItsHeadsOverTheMembersScores() throws Exception {
    Path a = baseline();
    Path b = encoder();
    List<ReviewScores> sa = scores(a);
    List<ReviewScores> sb = scores(b);
    // heads that trust the first member's log-odds and the second member's star log-probabilities
    int width = EnsembleClassifier.stackWidth(true);
    float[][] sentimentRow = new float[1][2 * width];
    sentimentRow[0][0] = 1;
    float[][] ratingRows = new float[8][2 * width];
    for (int k = 0; k < 8; k++) {
      ratingRows[k][width + 1 + k] = 2;
    }
    int[] stars = {1, 2, 3, 4, 7, 8, 9, 10};
    LinearHeads stack =
        new LinearHeads(
            new LinearModel(
                new int[] {0, 1}, LinearModel.Link.LOGISTIC, sentimentRow, new double[1]),
            new LinearModel(stars, LinearModel.Link.SOFTMAX, ratingRows, new double[8]));
    Path dir = tmp.resolve("stacked");
    BundleManifest manifest =
        Bundles.writeEnsemble(
            dir,
            List.of(
                new Bundles.MemberSource("tfidf", a, 1, 1),
                new Bundles.MemberSource("enc", b, 1, 1)),
            stack,
            Map.of(),
            Map.of(),
            Map.of());
    assertThat(manifest.tasks()).containsExactly("sentiment", "rating");
    assertThat(manifest.files()).containsKeys(Bundles.SENTIMENT_FILE, Bundles.RATING_FILE);
    try (EnsembleClassifier ens = (EnsembleClassifier) Bundles.load(dir, List.of(), "cpu")) {
      assertThat(ens.stack()).isNotNull();
      List<ReviewScores> s = ens.score(TEXTS);
      for (int i = 0; i < TEXTS.size(); i++) {
        // log-odds through a sigmoid with weight 1: the first member's own probability
        double p = Math.min(1 - 1e-6, Math.max(1e-6, sa.get(i).positive()));
        assertThat(s.get(i).positive()).isCloseTo(p, Offset.offset(1e-5));
        // softmax of 2 log p: the second member's distribution squared, renormalized
        double z = 0;
        for (double q : sb.get(i).rating()) {
          z += squared(q);
        }
        for (int k = 0; k < 8; k++) {
          assertThat(s.get(i).rating()[k])
              .isCloseTo(squared(sb.get(i).rating()[k]) / z, Offset.offset(1e-5));
        }
      }
    }

    // heads over the wrong number of features: the bundle is refused on load, naming the mismatch
    LinearHeads narrow =
        new LinearHeads(
            new LinearModel(
                new int[] {0, 1},
                LinearModel.Link.LOGISTIC,
                new float[][] {{1, 1, 1}},
                new double[1]),
            null);
    Path bad = tmp.resolve("narrow");
    Bundles.writeEnsemble(
        bad,
        List.of(
            new Bundles.MemberSource("tfidf", a, 1, 1), new Bundles.MemberSource("enc", b, 1, 1)),
        narrow,
        Map.of(),
        Map.of(),
        Map.of());
    assertThatThrownBy(() -> Bundles.load(bad, List.of(), "cpu"))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("stacking heads read 3 features, 2 members give 2");
  }

  private static double squared(double p) {
    double q = Math.min(1 - 1e-6, Math.max(1e-6, p));
    return q * q;
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-6);
  }

  @Test
  void anAlteredMemberOrANestedEnsembleIsRefused() throws Exception {
    Path a = baseline();
    Path b = encoder();
    Path dir = tmp.resolve("ens");
    List<Bundles.MemberSource> members =
        List.of(new Bundles.MemberSource("a", a, 1, 1), new Bundles.MemberSource("b", b, 1, 0));
    Bundles.writeEnsemble(dir, members, null, Map.of(), Map.of(), Map.of());
    assertThatThrownBy(
            () ->
                Bundles.writeEnsemble(
                    tmp.resolve("nested"),
                    List.of(new Bundles.MemberSource("e", dir, 1, 1)),
                    null,
                    Map.of(),
                    Map.of(),
                    Map.of()))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("itself an ensemble");

    Path head = dir.resolve("members/a/sentiment.bin.gz");
    byte[] bytes = Files.readAllBytes(head);
    bytes[bytes.length / 2] ^= 1;
    Files.write(head, bytes);
    assertThatThrownBy(() -> Bundles.load(dir, List.of(), "cpu"))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("sentiment.bin.gz");
  }

  /**
   * An ensemble bundle written by the code before coverage features existed (src/test/resources/
   * ensemble-v1: two TF-IDF members of 150 terms trained on the committed sample, stacked) and what
   * that code scored on a few texts: it loads and scores the same today.
   */
  @Test
  void anEnsembleWrittenBeforeCoverageFeaturesLoadsAndScoresAsItDid() throws Exception {
    Path fixture = Path.of(getClass().getResource("/ensemble-v1").toURI());
    List<String> texts = Files.readAllLines(fixture.resolve("texts.txt"));
    List<String> expected = Files.readAllLines(fixture.resolve("expected-main.jsonl"));
    assertThat(Files.readString(fixture.resolve("bundle/manifest.json")))
        .doesNotContain("stackCoverage");
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    try (EnsembleClassifier c = (EnsembleClassifier) Bundles.load(fixture.resolve("bundle"))) {
      assertThat(c.coverage()).containsExactly(false, false);
      List<ReviewScores> scores = c.score(texts.subList(0, expected.size()));
      for (int i = 0; i < expected.size(); i++) {
        var row = mapper.readTree(expected.get(i));
        assertThat(scores.get(i).positive()).isEqualTo(row.get("positive_probability").asDouble());
        assertThat(scores.get(i).toPrediction().rating()).isEqualTo(row.get("rating").asInt());
      }
    }
  }

  @Test
  void aStackedEnsembleRecordsWhichMembersCoverageItsHeadsRead() throws Exception {
    Path a = baseline();
    Path b = encoder();
    int dim = 2 * 9 + EnsembleClassifier.COVERAGE_WIDTH;
    // the sentiment head reads only the TF-IDF member's log-odds times its coverage
    float[][] sentimentRow = new float[1][dim];
    sentimentRow[0][2 * 9] = 1;
    LinearHeads heads =
        new LinearHeads(
            new LinearModel(
                new int[] {0, 1}, LinearModel.Link.LOGISTIC, sentimentRow, new double[1]),
            new LinearModel(
                new int[] {1, 2, 3, 4, 7, 8, 9, 10},
                LinearModel.Link.SOFTMAX,
                new float[8][dim],
                new double[8]));
    Path dir = tmp.resolve("ens-coverage");
    Bundles.writeEnsemble(
        dir,
        List.of(
            new Bundles.MemberSource("tfidf", a, 1, 1, true),
            new Bundles.MemberSource("enc", b, 1, 1)),
        heads,
        Map.of(),
        Map.of(),
        Map.of());
    String manifest = Files.readString(dir.resolve(Bundles.MANIFEST));
    assertThat(manifest).containsOnlyOnce("\"stackCoverage\" : true");
    try (EnsembleClassifier c = (EnsembleClassifier) Bundles.load(dir);
        io.reelsense.model.baseline.BaselineClassifier tfidf =
            (io.reelsense.model.baseline.BaselineClassifier) Bundles.load(a)) {
      assertThat(c.coverage()).containsExactly(true, false);
      List<ReviewScores> scores = c.score(TEXTS);
      for (int i = 0; i < TEXTS.size(); i++) {
        double p =
            Math.min(
                1 - 1e-6, Math.max(1e-6, tfidf.score(TEXTS.subList(i, i + 1)).get(0).positive()));
        float z = (float) Math.log(p / (1 - p));
        double feature = (float) (tfidf.coverage(TEXTS.get(i)).fraction() * z);
        assertThat(scores.get(i).positive())
            .isCloseTo(1 / (1 + Math.exp(-feature)), Offset.offset(1e-6));
      }
      assertThat(tfidf.coverage(TEXTS.get(0)).fraction()).isGreaterThan(0);
    }
    // only a TF-IDF member has a vocabulary to cover a text
    assertThatThrownBy(
            () ->
                Bundles.writeEnsemble(
                    tmp.resolve("bad"),
                    List.of(
                        new Bundles.MemberSource("tfidf", a, 1, 1),
                        new Bundles.MemberSource("enc", b, 1, 1, true)),
                    heads,
                    Map.of(),
                    Map.of(),
                    Map.of()))
        .hasMessageContaining("TF-IDF baseline");
  }
}
