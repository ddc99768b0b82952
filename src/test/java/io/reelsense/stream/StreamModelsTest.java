package io.reelsense.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reelsense.model.bundle.Bundles;
import io.reelsense.model.encoder.EncoderClassifier;
import io.reelsense.model.encoder.TinyEncoders;
import io.reelsense.model.tokenizer.Truncation;
import io.reelsense.stream.review.ReviewScorer;
import io.reelsense.text.CleaningProfile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which encoder the stream's {@code model.embedder} stands for, and the errors when it is absent.
 */
class StreamModelsTest {

  @TempDir Path tmp;

  private Path manifest(String name, String json) throws Exception {
    Path dir = tmp.resolve(name);
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("manifest.json"), json);
    return dir;
  }

  private static Optional<String> resolve(Path bundle, String embedder) {
    Map<String, String> m = new java.util.HashMap<>();
    if (bundle != null) {
      m.put(ReelsenseConfig.BUNDLE, bundle.toString());
    }
    if (embedder != null) {
      m.put(ReelsenseConfig.EMBEDDER, embedder);
    }
    return StreamModels.resolve(ReelsenseConfig.of(m)).map(StreamModels.Choice::name);
  }

  private Path tinyEncoderBundle() throws Exception {
    Path dir = tmp.resolve("encoder-bundle");
    Bundles.writeEncoder(
        dir,
        TinyEncoders.tinyModel(tmp, Truncation.head(16), false),
        CleaningProfile.LIGHT,
        Map.of(),
        Map.of(),
        Map.of());
    return dir;
  }

  @Test
  void autoIsTheBundlesOwnEncoderElseBgeSmallAndNoneIsOff() throws Exception {
    Path baseline =
        manifest(
            "baseline", "{\"formatVersion\":1,\"kind\":\"tfidf-lr\",\"tasks\":[\"sentiment\"]}");
    Path encoder = tinyEncoderBundle();
    String base = Bundles.readManifest(encoder).encoder().base();

    assertThat(resolve(baseline, null)).contains("bge-small");
    assertThat(resolve(null, "auto")).contains("bge-small");
    assertThat(resolve(encoder, null)).contains("the bundle's own encoder (" + base + ")");
    assertThat(resolve(encoder, "E5-Small")).as("an explicit name wins").contains("e5-small");
    assertThat(resolve(encoder, "none")).isEmpty();
    assertThat(StreamModels.bundleEncoder(tmp.resolve("missing"))).isEmpty();
  }

  @Test
  void autoMeansTheSameDefaultEncoderForReviewsAndFilms() throws Exception {
    String before = System.getProperty("maven.repo.local");
    System.setProperty("maven.repo.local", tmp.resolve("empty-repo").toString());
    try {
      StringWriter err = new StringWriter();
      assertThat(StreamModels.films(ReelsenseConfig.of(Map.of()), new PrintWriter(err))).isNull();
      assertThat(err.toString())
          .isEqualTo(
              "note: films topic off: "
                  + StreamModels.DEFAULT_ENCODER
                  + " is not in the local Maven repository (reelsense models pull "
                  + StreamModels.DEFAULT_ENCODER
                  + ")"
                  + System.lineSeparator());
      assertThat(resolve(null, null)).contains(StreamModels.DEFAULT_ENCODER);
      assertThat(
              StreamModels.films(
                  ReelsenseConfig.of(Map.of(ReelsenseConfig.FILMS_ENCODER, "none")),
                  new PrintWriter(err)))
          .isNull();
    } finally {
      if (before == null) {
        System.clearProperty("maven.repo.local");
      } else {
        System.setProperty("maven.repo.local", before);
      }
    }
  }

  @Test
  void anEncoderBundleEmbedsWithItsOwnEncoder() throws Exception {
    Path dir = tinyEncoderBundle();
    ReelsenseConfig config = ReelsenseConfig.of(Map.of(ReelsenseConfig.BUNDLE, dir.toString()));
    List<String> texts = List.of("a wonderful film , i loved it !", "boring plot and bad acting .");
    List<float[]> expected;
    float[] expectedAlone;
    try (EncoderClassifier reference = (EncoderClassifier) Bundles.load(dir)) {
      expected = reference.pooled(texts);
      // alone, the text is padded to its own length: the same vector up to the last bits, and on
      // some CPUs not bit for bit, so the reference is encoded alone too
      expectedAlone = reference.pooled(List.of(texts.get(1))).get(0);
    }
    try (ReviewScorer scorer = StreamModels.scorer(config, Bundles.load(dir))) {
      assertThat(scorer.embedderId()).contains(Bundles.readManifest(dir).encoder().base());
      assertThat(scorer.classify(texts)).hasSize(2);
      List<float[]> vectors = scorer.embed(texts);
      for (int i = 0; i < texts.size(); i++) {
        assertThat(vectors.get(i)).containsExactly(expected.get(i));
      }
      // a list of its own is encoded afresh
      assertThat(scorer.embed(List.of(texts.get(1))).get(0)).containsExactly(expectedAlone);
      // one pass gives the heads' predictions and the same vectors as embeddings
      ReviewScorer.Scores scores = scorer.score(texts);
      assertThat(scores.predictions()).isEqualTo(scorer.classify(texts));
      assertThat(scores.embedNanos()).isZero();
      for (int i = 0; i < texts.size(); i++) {
        assertThat(scores.vectors().get(i)).containsExactly(expected.get(i));
      }
    }
  }

  @Test
  void anUnknownNameListsTheCatalog() {
    assertThatThrownBy(() -> resolve(null, "bge-smal"))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("model.embedder=bge-smal")
        .hasMessageContaining("bge-small, minilm-l6, e5-small")
        .hasMessageContaining("--embedder none");
  }

  @Test
  void aMissingJarNamesTheCommandThatFetchesIt() throws Exception {
    String before = System.getProperty("maven.repo.local");
    System.setProperty("maven.repo.local", tmp.resolve("empty-repo").toString());
    try {
      ReelsenseConfig config = ReelsenseConfig.of(Map.of(ReelsenseConfig.EMBEDDER, "minilm-l6"));
      assertThatThrownBy(() -> StreamModels.check(config))
          .isInstanceOf(ConfigError.class)
          .hasMessageContaining("empty-repo")
          .hasMessageContaining("`reelsense models pull minilm-l6`")
          .hasMessageContaining("--embedder none");

    } finally {
      if (before == null) {
        System.clearProperty("maven.repo.local");
      } else {
        System.setProperty("maven.repo.local", before);
      }
    }
  }

  @Test
  void theMaxLengthIsAConfigurationKeyWithinTheModelsWindow() {
    assertThat(ReelsenseConfig.of(Map.of()).embedderMaxLength()).isEqualTo(128);
    assertThat(
            ReelsenseConfig.of(Map.of(ReelsenseConfig.EMBEDDER_MAX_LENGTH, "64"))
                .embedderMaxLength())
        .isEqualTo(64);
    assertThatThrownBy(
            () -> ReelsenseConfig.of(Map.of(ReelsenseConfig.EMBEDDER_MAX_LENGTH, "1024")))
        .hasMessageContaining("model.embedder.max.length=1024");
  }
}
