package io.reelsense.model.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reelsense.model.ReviewClassifier;
import io.reelsense.model.ReviewPrediction;
import io.reelsense.model.ReviewScores;
import io.reelsense.model.ScoringClassifier;
import io.reelsense.model.encoder.EncoderClassifier;
import io.reelsense.model.encoder.EncoderModel;
import io.reelsense.model.encoder.TinyEncoders;
import io.reelsense.model.tokenizer.Truncation;
import io.reelsense.text.CleaningProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncoderBundleTest {

  private static final List<String> TEXTS =
      List.of(
          "The film was great and I loved it!",
          "<b>Awful</b> acting, boring plot.",
          "",
          "it is not a good movie . not good , not wonderful , the plot is bad and the acting is"
              + " awful and boring , i hated it .");

  @TempDir Path tmp;

  private Path write(EncoderModel model) throws Exception {
    Path dir = tmp.resolve("bundle");
    Bundles.writeEncoder(
        dir,
        model,
        CleaningProfile.LIGHT,
        Map.of("test_accuracy", 0.5),
        Map.of("epochs", 3),
        Map.of("aclImdb_v1.tar.gz", "00"));
    return dir;
  }

  @Test
  void writeThenLoadScoresLikeTheModelItWasWrittenFrom() throws Exception {
    EncoderModel model = TinyEncoders.tinyModel(tmp, Truncation.headTail(12, 3), true);
    Path dir = write(model);

    BundleManifest manifest = Bundles.readManifest(dir);
    assertThat(manifest.kind()).isEqualTo("encoder");
    assertThat(manifest.tasks()).containsExactly("sentiment", "rating");
    assertThat(manifest.maxLength()).isEqualTo(12);
    assertThat(manifest.truncation()).isEqualTo("head+tail");
    assertThat(manifest.cleaning()).isEqualTo("light");
    assertThat(manifest.encoder().headTokens()).isEqualTo(3);
    assertThat(manifest.encoder().pooling()).isEqualTo("mean");
    assertThat(manifest.files())
        .containsKeys(
            "encoder/config.json",
            "encoder/model.safetensors",
            "encoder/tokenizer.json",
            "sentiment.bin.gz",
            "rating.bin.gz");

    List<ReviewScores> expected;
    try (EncoderClassifier direct =
        EncoderClassifier.of(
            "direct", model, CleaningProfile.LIGHT.cleaner()::clean, Device.cpu(), 2)) {
      expected = direct.score(TEXTS);
    }
    try (ReviewClassifier loaded = Bundles.load(dir, List.of("rating"), "cpu")) {
      assertThat(loaded).isInstanceOf(ScoringClassifier.class);
      assertThat(loaded.modelId()).startsWith("encoder@").endsWith("/tiny-random");
      List<ReviewScores> actual = ((ScoringClassifier) loaded).score(TEXTS);
      assertThat(actual).hasSize(TEXTS.size());
      for (int i = 0; i < TEXTS.size(); i++) {
        assertThat(actual.get(i).positive()).isCloseTo(expected.get(i).positive(), within());
        assertThat(actual.get(i).rating()).hasSize(8);
        for (int k = 0; k < 8; k++) {
          assertThat(actual.get(i).rating()[k]).isCloseTo(expected.get(i).rating()[k], within());
        }
      }
      List<ReviewPrediction> predictions = loaded.classify(TEXTS);
      assertThat(predictions).extracting(ReviewPrediction::rating).allMatch(r -> r >= 1 && r <= 10);
      // texts score the same alone as in a batch
      ReviewPrediction alone = loaded.classify(List.of(TEXTS.get(3))).get(0);
      assertThat(alone.positiveProbability())
          .isCloseTo(predictions.get(3).positiveProbability(), within());
    }
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-5);
  }

  @Test
  void readEncoderGivesBackWeightsTokenizerAndSettings() throws Exception {
    EncoderModel model = TinyEncoders.tinyModel(tmp, Truncation.tail(10), false);
    Path dir = write(model);
    EncoderModel back = Bundles.readEncoder(dir);
    assertThat(back.checkpoint().config()).isEqualTo(model.checkpoint().config());
    assertThat(back.checkpoint().tensors()).isEqualTo(model.checkpoint().tensors());
    assertThat(back.tokenizerJson()).isEqualTo(model.tokenizerJson());
    assertThat(back.truncation()).isEqualTo(Truncation.tail(10));
    assertThat(back.pooling()).isEqualTo(model.pooling());
    assertThat(back.normalize()).isTrue();
    assertThat(back.frozen()).isFalse();
    assertThat(back.base()).isEqualTo("tiny-random");
    assertThat(back.heads().tasks()).containsExactly("sentiment");
    assertThat(back.heads().rating()).isNull();
  }

  @Test
  void aMissingHeadIsRefusedNamingTheTask() throws Exception {
    Path dir = write(TinyEncoders.tinyModel(tmp, Truncation.head(16), false));
    assertThatThrownBy(() -> Bundles.load(dir, List.of("rating"), "cpu"))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("not rating");
  }

  @Test
  void anAlteredWeightFileIsRefusedNamingIt() throws Exception {
    Path dir = write(TinyEncoders.tinyModel(tmp, Truncation.head(16), false));
    Path weights = dir.resolve("encoder/model.safetensors");
    byte[] bytes = Files.readAllBytes(weights);
    bytes[bytes.length - 1] ^= 1;
    Files.write(weights, bytes);
    assertThatThrownBy(() -> Bundles.load(dir, List.of(), "cpu"))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("model.safetensors")
        .hasMessageContaining("sha256");
  }

  @Test
  void otherVersionsKindsAndPathsAreRefused() throws Exception {
    Path dir = write(TinyEncoders.tinyModel(tmp, Truncation.head(16), false));
    assertThatThrownBy(() -> Bundles.loadBaseline(dir))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("not a TF-IDF baseline");

    ObjectMapper json = new ObjectMapper();
    Path manifest = dir.resolve("manifest.json");
    ObjectNode original = (ObjectNode) json.readTree(manifest.toFile());

    ObjectNode newer = original.deepCopy().put("formatVersion", Bundles.FORMAT_VERSION + 1);
    json.writeValue(manifest.toFile(), newer);
    assertThatThrownBy(() -> Bundles.load(dir))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("format version " + (Bundles.FORMAT_VERSION + 1))
        .hasMessageContaining("reads versions 1 to " + Bundles.FORMAT_VERSION);

    // a bundle of the format before stacking ensembles loads as it is
    json.writeValue(manifest.toFile(), original.deepCopy().put("formatVersion", 1));
    try (ReviewClassifier c = Bundles.load(dir)) {
      assertThat(c.classify(List.of("a fine film"))).hasSize(1);
    }

    ObjectNode kind = original.deepCopy().put("kind", "gpt");
    json.writeValue(manifest.toFile(), kind);
    assertThatThrownBy(() -> Bundles.load(dir))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("kind 'gpt'")
        .hasMessageContaining("encoder");

    ObjectNode escape = original.deepCopy();
    ((ObjectNode) escape.get("files")).put("../outside.bin", "00");
    json.writeValue(manifest.toFile(), escape);
    assertThatThrownBy(() -> Bundles.load(dir, List.of(), "cpu"))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("outside the bundle");

    json.writeValue(manifest.toFile(), original);
    assertThatThrownBy(() -> Bundles.load(dir, List.of(), "gpu:7"))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("gpu:7");
  }
}
