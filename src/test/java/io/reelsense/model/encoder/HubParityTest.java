package io.reelsense.model.encoder;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelsense.model.tokenizer.BertTokenizer;
import io.reelsense.model.tokenizer.Truncation;
import io.reelsense.model.weights.Architecture;
import io.reelsense.model.weights.BertCheckpoint;
import io.reelsense.model.weights.HfCheckpoint;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RoBERTa and DistilBERT read from a hub directory against an independent reference: the fixtures
 * under {@code hf/} were written by {@code src/test/python/hf_reference.py}, which builds the
 * tokenizers and the forward passes itself in plain torch (float64). Checks the token ids, every
 * layer's hidden states (padding positions included) and the classification logits.
 */
class HubParityTest {

  static final double TOLERANCE = 1e-4;

  static Path fixture(String name) throws Exception {
    return Path.of(HubParityTest.class.getResource("/hf/" + name + "/config.json").toURI())
        .getParent();
  }

  @ParameterizedTest
  @CsvSource({"tiny-roberta, ROBERTA", "tiny-distilbert, DISTILBERT", "tiny-bert, BERT"})
  void matchesTheReference(String name, Architecture architecture) throws Exception {
    Path dir = fixture(name);
    JsonNode expected = new ObjectMapper().readTree(dir.resolve("parity.json").toFile());
    BertCheckpoint checkpoint = HfCheckpoint.read(dir);
    assertThat(checkpoint.config().architecture()).isEqualTo(architecture);

    List<String> texts = new ArrayList<>();
    expected.get("texts").forEach(t -> texts.add(t.asText()));
    List<long[]> ids;
    try (InputStream in = Files.newInputStream(dir.resolve("tokenizer.json"));
        BertTokenizer tokenizer = BertTokenizer.fromTokenizerJson(in)) {
      ids = tokenizer.encodeAll(texts, Truncation.head(checkpoint.config().maxLength()));
    }
    for (int i = 0; i < texts.size(); i++) {
      JsonNode row = expected.get("input_ids").get(i);
      JsonNode mask = expected.get("attention_mask").get(i);
      List<Long> want = new ArrayList<>();
      for (int t = 0; t < row.size(); t++) {
        if (mask.get(t).asInt() == 1) {
          want.add(row.get(t).asLong());
        }
      }
      assertThat(ids.get(i)).as("ids of '%s'", texts.get(i)).containsExactly(toArray(want));
    }

    HubClassificationHead head = HubClassificationHead.of(checkpoint).orElseThrow();
    try (BertEncoder encoder = BertEncoder.load(checkpoint, Device.cpu());
        NDManager scope = encoder.newBatchManager()) {
      BertEncoder.PaddedBatch batch = encoder.pad(scope, ids);
      long[] padded = batch.ids().toLongArray();
      int k = 0;
      for (JsonNode row : expected.get("input_ids")) {
        for (JsonNode id : row) {
          assertThat(padded[k++]).as("padded id %d", k - 1).isEqualTo(id.asLong());
        }
      }
      List<NDArray> states = encoder.hiddenStates(batch);
      JsonNode want = expected.get("hidden_states");
      assertThat(states).hasSize(want.size());
      int h = checkpoint.config().hiddenSize();
      float[] last = null;
      for (int l = 0; l < states.size(); l++) {
        float[] got = states.get(l).toFloatArray();
        double diff = maxDiff(got, want.get(l));
        System.out.printf(
            "%s %s: max |diff| %.3g%n", name, l == 0 ? "embeddings" : "layer " + l, diff);
        assertThat(diff).as("%s hidden state %d", name, l).isLessThanOrEqualTo(TOLERANCE);
        last = got;
      }
      int s = Math.toIntExact(batch.ids().getShape().get(1));
      List<float[]> logits = new ArrayList<>();
      for (int b = 0; b < texts.size(); b++) {
        float[] first = new float[h];
        System.arraycopy(last, b * s * h, first, 0, h);
        logits.add(head.logits(first));
      }
      double diff = 0;
      for (int b = 0; b < texts.size(); b++) {
        JsonNode row = expected.get("logits").get(b);
        for (int j = 0; j < row.size(); j++) {
          diff = Math.max(diff, Math.abs(logits.get(b)[j] - row.get(j).asDouble()));
        }
        assertThat(logits.get(b)).hasSize(row.size());
      }
      System.out.printf("%s logits: max |diff| %.3g%n", name, diff);
      assertThat(diff).as("%s logits", name).isLessThanOrEqualTo(TOLERANCE);
    }
  }

  private static long[] toArray(List<Long> values) {
    return values.stream().mapToLong(Long::longValue).toArray();
  }

  /** Largest |got - want| over the flattened rows of {@code want}. */
  private static double maxDiff(float[] got, JsonNode want) {
    double max = 0;
    int i = 0;
    for (JsonNode row : want) {
      for (JsonNode v : row) {
        max = Math.max(max, Math.abs(got[i++] - v.asDouble()));
      }
    }
    assertThat(i).isEqualTo(got.length);
    return max;
  }
}
