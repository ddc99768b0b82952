package io.reelsense.model.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelsense.model.ReviewScores;
import io.reelsense.model.encoder.EncoderClassifier;
import io.reelsense.model.encoder.EncoderModel;
import io.reelsense.model.encoder.HubClassificationHead;
import io.reelsense.model.encoder.Pooling;
import io.reelsense.model.encoder.TinyEncoders;
import io.reelsense.model.tokenizer.Truncation;
import io.reelsense.model.weights.Architecture;
import io.reelsense.model.weights.BertCheckpoint;
import io.reelsense.model.weights.HfCheckpoint;
import io.reelsense.model.weights.Safetensors;
import io.reelsense.text.CleaningProfile;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sentiment head written into a BERT bundle's {@code encoder/} under BERT's own names. */
class HubHeadExportTest {

  @TempDir Path tmp;

  private static final List<String> TEXTS =
      List.of("the film was great", "awful boring plot", "i loved it !", "not good , not bad");

  private Path write(EncoderModel model, String name) throws Exception {
    Path dir = tmp.resolve(name);
    Bundles.writeEncoder(dir, model, CleaningProfile.NONE, Map.of(), Map.of(), Map.of());
    return dir;
  }

  private static EncoderModel withPooling(EncoderModel m, Pooling pooling, boolean normalize) {
    return new EncoderModel(
        m.base(),
        m.checkpoint(),
        m.tokenizerJson(),
        pooling,
        normalize,
        m.truncation(),
        m.prefix(),
        m.frozen(),
        m.heads());
  }

  @Test
  void aClsBundlesBertEncoderCarriesItsSentimentHeadAsBertForSequenceClassification()
      throws Exception {
    EncoderModel tiny =
        withPooling(TinyEncoders.tinyModel(tmp, Truncation.head(16), true), Pooling.CLS, false);
    Path dir = write(tiny, "cls");
    Path hub = dir.resolve(Bundles.ENCODER_DIR);
    assertThat(
            new ObjectMapper()
                .readTree(hub.resolve(HfCheckpoint.CONFIG).toFile())
                .at("/architectures/0")
                .asText())
        .isEqualTo("BertForSequenceClassification");
    assertThat(Safetensors.read(hub.resolve(HfCheckpoint.WEIGHTS)).keySet())
        .contains(
            "bert.pooler.dense.weight",
            "bert.pooler.dense.bias",
            "classifier.weight",
            "classifier.bias");
    BertCheckpoint reread = HfCheckpoint.read(hub);
    HubClassificationHead head = HubClassificationHead.of(reread).orElseThrow();
    assertThat(head.architecture()).isEqualTo(Architecture.BERT);
    try (EncoderClassifier c = Bundles.loadEncoder(dir, Device.cpu(), 4)) {
      List<ReviewScores> scores = c.score(TEXTS);
      List<float[]> first = c.pooled(TEXTS);
      for (int i = 0; i < TEXTS.size(); i++) {
        float[] logits = head.logits(first.get(i));
        double positive = 1 / (1 + Math.exp(logits[0] - logits[1]));
        assertThat(positive).isCloseTo(scores.get(i).positive(), within(1e-5));
      }
    }
  }

  @Test
  void aHeadOverMeanPooledOrNormalizedVectorsIsNotExported() throws Exception {
    for (boolean normalize : new boolean[] {false, true}) {
      EncoderModel tiny =
          withPooling(
              TinyEncoders.tinyModel(tmp, Truncation.head(16), false), Pooling.MEAN, normalize);
      Path hub = write(tiny, "mean-" + normalize).resolve(Bundles.ENCODER_DIR);
      assertThat(HubClassificationHead.of(HfCheckpoint.read(hub))).isEmpty();
      assertThat(Safetensors.read(hub.resolve(HfCheckpoint.WEIGHTS)).keySet())
          .noneMatch(n -> n.startsWith("classifier."));
    }
  }
}
