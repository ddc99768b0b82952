package io.reelsense.model.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reelsense.data.Review;
import io.reelsense.model.ReviewClassifier;
import io.reelsense.model.ReviewPrediction;
import io.reelsense.model.baseline.BaselineClassifier;
import io.reelsense.model.baseline.BaselineModel;
import io.reelsense.model.baseline.SparseVector;
import io.reelsense.model.baseline.TfidfVectorizer;
import io.reelsense.text.CleaningProfile;
import io.reelsense.train.LinearTrainers;
import io.reelsense.train.TinyReviews;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundlesTest {

  @TempDir Path tmp;

  private static BaselineModel tinyModel(boolean sentiment, boolean rating) {
    List<Review> train = TinyReviews.make(400, "train", 1);
    TfidfVectorizer.Fitted f =
        TfidfVectorizer.fit(
            train.stream().map(Review::text).toList(),
            new TfidfVectorizer.Config(1, 2, 1, 0, true, Set.of()));
    List<SparseVector> x = f.vectors();
    int dim = f.vectorizer().dimension();
    return new BaselineModel(
        f.vectorizer(),
        sentiment
            ? LinearTrainers.logisticRegression(
                x, train.stream().mapToInt(Review::label).toArray(), dim, 1.0, 1)
            : null,
        rating
            ? LinearTrainers.logisticRegression(
                x, train.stream().mapToInt(Review::rating).toArray(), dim, 1.0, 2)
            : null);
  }

  private Path write(BaselineModel model) throws Exception {
    Path dir = tmp.resolve("bundle");
    Bundles.writeBaseline(
        dir,
        model,
        "tfidf-lr",
        CleaningProfile.LIGHT,
        Map.of("test_accuracy", 0.9),
        Map.of("C", 1.0),
        Map.of("aclImdb_v1.tar.gz", "00"));
    return dir;
  }

  @Test
  void roundTripGivesIdenticalPredictionsWithBothHeads() throws Exception {
    BaselineModel model = tinyModel(true, true);
    Path dir = write(model);
    List<String> texts = TinyReviews.make(40, "test", 7).stream().map(Review::text).toList();
    BaselineClassifier before =
        new BaselineClassifier("x", CleaningProfile.LIGHT.cleaner()::clean, model);
    try (ReviewClassifier after = Bundles.load(dir)) {
      List<ReviewPrediction> a = before.classify(texts);
      List<ReviewPrediction> b = after.classify(texts);
      assertThat(b).isEqualTo(a);
      assertThat(b).allSatisfy(p -> assertThat(p.rating()).isIn(1, 2, 3, 4, 7, 8, 9, 10));
      assertThat(after.modelId()).startsWith("tfidf-lr@");
    }
    BundleManifest m = Bundles.readManifest(dir);
    assertThat(m.formatVersion()).isEqualTo(Bundles.FORMAT_VERSION);
    assertThat(m.tasks()).containsExactly("sentiment", "rating");
    assertThat(m.labels().get("rating")).containsExactly("1", "2", "3", "4", "7", "8", "9", "10");
    assertThat(m.cleaning()).isEqualTo("light");
    assertThat(m.files()).containsKeys("vectorizer.bin.gz", "sentiment.bin.gz", "rating.bin.gz");
    assertThat(m.codeVersion()).isNotBlank();
    assertThat(m.created()).endsWith("Z");
  }

  @Test
  void ratingOnlyBundleDerivesTheLabelFromStars() throws Exception {
    Path dir = write(tinyModel(false, true));
    try (ReviewClassifier c = Bundles.load(dir)) {
      for (ReviewPrediction p : c.classify(List.of("great superb loved", "awful dull worst"))) {
        assertThat(p.label()).isEqualTo(p.rating() >= 7 ? 1 : 0);
        assertThat(p.positiveProbability()).isBetween(0.0, 1.0);
      }
    }
  }

  @Test
  void sentimentOnlyBundleReportsNoRating() throws Exception {
    Path dir = write(tinyModel(true, false));
    assertThatThrownBy(() -> Bundles.load(dir, List.of("rating")))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("trained for [sentiment], not rating");
    try (ReviewClassifier c = Bundles.load(dir)) {
      ReviewPrediction p = c.classify(List.of("great superb loved")).get(0);
      assertThat(p.label()).isEqualTo(1);
      assertThat(p.rating()).isZero();
      assertThat(p.ratingProbability()).isZero();
    }
  }

  @Test
  void otherFormatVersionFailsNamingTheManifest() throws Exception {
    Path dir = write(tinyModel(true, false));
    Path manifest = dir.resolve("manifest.json");
    Files.writeString(
        manifest,
        Files.readString(manifest)
            .replace("\"formatVersion\" : " + Bundles.FORMAT_VERSION, "\"formatVersion\" : 99"));
    assertThatThrownBy(() -> Bundles.load(dir))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining(manifest.toString())
        .hasMessageContaining("format version 99");
  }

  @Test
  void missingOrDamagedFilesFailNamingTheFile() throws Exception {
    Path dir = write(tinyModel(true, false));
    Path head = dir.resolve("sentiment.bin.gz");
    byte[] bytes = Files.readAllBytes(head);
    bytes[bytes.length / 2] ^= 1;
    Files.write(head, bytes);
    assertThatThrownBy(() -> Bundles.load(dir))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining(head.toString())
        .hasMessageContaining("sha256");
    Files.delete(head);
    assertThatThrownBy(() -> Bundles.load(dir))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("missing " + head);
    Files.delete(dir.resolve("manifest.json"));
    assertThatThrownBy(() -> Bundles.load(dir))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("no manifest.json");
    assertThatThrownBy(() -> Bundles.load(tmp.resolve("nowhere")))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("is not a directory");
  }

  @Test
  void unknownKindOrCleaningProfileFailsClearly() throws Exception {
    Path dir = write(tinyModel(true, false));
    Path manifest = dir.resolve("manifest.json");
    String original = Files.readString(manifest);
    Files.writeString(manifest, original.replace("\"tfidf-lr\"", "\"word2vec\""));
    assertThatThrownBy(() -> Bundles.load(dir))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("kind 'word2vec'");
    Files.writeString(manifest, original.replace("\"light\"", "\"extreme\""));
    assertThatThrownBy(() -> Bundles.load(dir))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("unknown cleaning profile 'extreme'");
  }
}
