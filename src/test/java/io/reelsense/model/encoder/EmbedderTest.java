package io.reelsense.model.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.reelsense.model.TestModels;
import io.reelsense.model.TextEmbedder;
import io.reelsense.model.tokenizer.Truncation;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbedderTest {

  private static final List<String> TEXTS =
      List.of(
          "A masterpiece of quiet, patient storytelling.",
          "Terrible.",
          "The plot was thin but the actors clearly had fun, and so did I.",
          "Worst sequel ever made<br /><br />Save your money.",
          "Loved it");

  @Test
  void theTanhGeluOfGoogleBertIsTheApproximationNotTheExactForm() {
    try (NDManager m = NDManager.newBaseManager(Device.cpu(), Devices.ENGINE)) {
      NDArray y =
          BertLayerBlock.geluTanh(new NDList(m.create(new float[] {1f, -0.5f}))).singletonOrThrow();
      // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))); the exact erf form gives 0.841345 and
      // -0.154269, which this tolerance tells apart
      assertThat(y.toFloatArray()).containsExactly(new float[] {0.841192f, -0.154286f}, within());
    }
  }

  private static org.assertj.core.data.Offset<Float> within() {
    return org.assertj.core.data.Offset.offset(2e-6f);
  }

  @Test
  void embedsInInputOrderWhateverTheBatching() throws Exception {
    PretrainedModel model = ModelCatalog.get("minilm-l6");
    Path jar = TestModels.jarHolding(model.weightsEntry());
    Encoders.Loaded loaded = Encoders.load(model, jar);
    List<float[]> one;
    List<float[]> batched;
    try (TextEmbedder e =
        Encoders.embedder(
            loaded, Device.cpu(), new Encoders.Options(Truncation.head(128), 1, ""))) {
      assertThat(e.modelId()).isEqualTo("minilm-l6");
      assertThat(e.dimension()).isEqualTo(384);
      one = e.embed(TEXTS);
    }
    try (TextEmbedder e =
        Encoders.embedder(
            Encoders.load(model, jar),
            Device.cpu(),
            new Encoders.Options(Truncation.head(128), 3, ""))) {
      batched = e.embed(TEXTS);
    }
    assertThat(batched).hasSize(TEXTS.size());
    for (int i = 0; i < TEXTS.size(); i++) {
      assertThat(norm(batched.get(i))).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
      assertThat(OnnxParityTest.maxAbsDiff(one.get(i), batched.get(i))).isLessThan(1e-5);
    }
    // the two negative reviews are closer to each other than to the praise
    assertThat(cosine(batched.get(1), batched.get(3)))
        .isGreaterThan(cosine(batched.get(1), batched.get(0)));
  }

  @Test
  void aMissingJarTellsHowToPullIt() {
    PretrainedModel model = ModelCatalog.get("bge-small");
    assertThatThrownBy(() -> Encoders.load(model, Path.of("/nonexistent/bge.jar")))
        .hasMessageContaining("reelsense models pull bge-small");
  }

  @Test
  void unknownModelsAndDevicesAreNamed() {
    assertThatThrownBy(() -> ModelCatalog.get("gpt-7"))
        .hasMessageContaining("gpt-7")
        .hasMessageContaining("bge-small, minilm-l6, e5-small");
    assertThatThrownBy(() -> Devices.parse("tpu")).hasMessageContaining("auto, cpu, gpu");
    assertThat(Devices.parse("cpu")).isEqualTo(Device.cpu());
  }

  private static double norm(float[] v) {
    double s = 0;
    for (float x : v) {
      s += x * x;
    }
    return Math.sqrt(s);
  }

  private static double cosine(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s / norm(a) / norm(b);
  }
}
