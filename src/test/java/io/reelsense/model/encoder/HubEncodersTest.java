package io.reelsense.model.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelsense.model.encoder.PretrainedModel.Format;
import io.reelsense.model.tokenizer.Truncation;
import io.reelsense.model.weights.Architecture;
import io.reelsense.model.weights.BertCheckpoint;
import io.reelsense.model.weights.BertConfig;
import io.reelsense.model.weights.CheckpointException;
import io.reelsense.model.weights.HfCheckpoint;
import io.reelsense.model.weights.Safetensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RoBERTa and DistilBERT hub directories as encoders like any other: named by their path or by a
 * registered name, trained one step (forward and backward through every weight), written back in
 * the hub's format and read again unchanged.
 */
class HubEncodersTest {

  @TempDir Path tmp;

  @AfterEach
  void forgetUserModels() {
    System.clearProperty("reelsense.models");
  }

  @ParameterizedTest
  @CsvSource({"tiny-roberta", "tiny-distilbert"})
  void aDirectoryIsAModelName(String name) throws Exception {
    Path dir = HubParityTest.fixture(name);
    PretrainedModel model = ModelCatalog.get(dir.toString());
    assertThat(model.format()).isEqualTo(Format.HUB_DIRECTORY);
    assertThat(ModelCatalog.get(model.name())).isEqualTo(model);
    assertThat(ModelCatalog.isEncoder(dir.toString())).isTrue();
    assertThat(ModelCatalog.isPresent(model, tmp)).isTrue();
    Encoders.Loaded loaded = Encoders.load(model, ModelCatalog.localJar(model));
    try (var tokenizer = loaded.tokenizer()) {
      assertThat(loaded.checkpoint().config().vocabSize())
          .isGreaterThanOrEqualTo(tokenizer.vocabSize());
    }
    assertThat(Encoders.tokenizerJson(model, dir))
        .isEqualTo(Files.readString(dir.resolve("tokenizer.json")));
  }

  @Test
  void modelsAddRegistersADirectoryUnderAName() throws Exception {
    System.setProperty("reelsense.models", tmp.resolve("models").toString());
    assertThat(ModelCatalog.isEncoder("my-roberta")).isFalse();
    Path dir = HubParityTest.fixture("tiny-roberta");
    ModelCatalog.register("My-RoBERTa", dir);
    PretrainedModel model = ModelCatalog.get("my-roberta");
    assertThat(model.name()).isEqualTo("my-roberta");
    assertThat(model.directory()).isEqualTo(dir.toAbsolutePath().normalize());
    assertThat(ModelCatalog.userModels()).containsExactly(model);
    assertThatThrownBy(() -> ModelCatalog.register("bge-small", dir))
        .hasMessageContaining("catalog model");
    assertThatThrownBy(() -> ModelCatalog.register("../up", dir))
        .hasMessageContaining("must be letters");
    assertThatThrownBy(() -> ModelCatalog.get("no-such-model"))
        .hasMessageContaining("added: my-roberta")
        .hasMessageContaining("models add");
  }

  @Test
  void aPickledCheckpointIsRefusedWithAClearMessage() throws Exception {
    Path dir = tmp.resolve("pickled");
    Files.createDirectories(dir);
    Files.copy(
        HubParityTest.fixture("tiny-roberta").resolve("config.json"), dir.resolve("config.json"));
    Files.write(dir.resolve("pytorch_model.bin"), new byte[] {(byte) 0x80, 2});
    assertThatThrownBy(() -> Encoders.loadDirectory(dir))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("pytorch_model.bin is a Python pickle")
        .hasMessageContaining("safe_serialization=True");
  }

  @Test
  void aMissingSinusoidalTableIsComputedAsDistilBertDoes() throws Exception {
    BertCheckpoint read = HfCheckpoint.read(HubParityTest.fixture("tiny-distilbert"));
    assertThat(read.config().sinusoidalPositions()).isTrue();
    String name = "embeddings.position_embeddings.weight";
    Map<String, io.reelsense.model.weights.NamedTensor> without =
        new java.util.HashMap<>(read.tensors());
    without.remove(name);
    Path out = tmp.resolve("no-positions");
    HfCheckpoint.write(new BertCheckpoint(read.config(), without), out, Map.of());
    try (Safetensors st = Safetensors.open(out.resolve(HfCheckpoint.WEIGHTS))) {
      assertThat(st.entries()).doesNotContainKey("distilbert." + name);
    }
    float[] computed = HfCheckpoint.read(out).tensor(name).data();
    float[] stored = read.tensor(name).data();
    assertThat(computed).hasSameSizeAs(stored);
    for (int i = 0; i < stored.length; i++) {
      assertThat(computed[i]).as("value %d", i).isCloseTo(stored[i], within(1e-6f));
    }
  }

  @Test
  void configsOfTheFamilyAreCheckedForWhatEachArchitectureNeeds() {
    assertThatThrownBy(
            () ->
                new BertConfig(
                    30,
                    8,
                    1,
                    2,
                    16,
                    16,
                    2,
                    1e-12,
                    BertConfig.GELU,
                    Architecture.DISTILBERT,
                    0,
                    false))
        .hasMessageContaining("distilbert takes no token type");
    assertThatThrownBy(
            () ->
                new BertConfig(
                    30, 8, 1, 2, 16, 2, 1, 1e-5, BertConfig.GELU, Architecture.ROBERTA, 1, false))
        .hasMessageContaining("leaves no room after the padding index");
    assertThatThrownBy(
            () ->
                new BertConfig(
                    30, 8, 1, 2, 16, 16, 1, 1e-5, BertConfig.GELU, Architecture.ROBERTA, 30, false))
        .hasMessageContaining("outside the vocabulary");
    BertConfig roberta =
        new BertConfig(
            30, 8, 1, 2, 16, 514, 1, 1e-5, BertConfig.GELU, Architecture.ROBERTA, 1, false);
    assertThat(roberta.maxLength()).isEqualTo(512);
  }

  @ParameterizedTest
  @CsvSource({"tiny-roberta, ROBERTA", "tiny-distilbert, DISTILBERT"})
  void writesBackTheHubFormat(String name, Architecture architecture) throws Exception {
    Path dir = HubParityTest.fixture(name);
    BertCheckpoint read = HfCheckpoint.read(dir);
    Path out = tmp.resolve("out");
    HfCheckpoint.write(read, out, Map.of());
    // the same tensors under the same hub names, and the architecture's own config keys
    try (Safetensors original = Safetensors.open(dir.resolve(HfCheckpoint.WEIGHTS));
        Safetensors written = Safetensors.open(out.resolve(HfCheckpoint.WEIGHTS))) {
      assertThat(written.entries().keySet())
          .containsExactlyInAnyOrderElementsOf(original.entries().keySet());
    }
    JsonNode want = new ObjectMapper().readTree(dir.resolve("config.json").toFile());
    JsonNode got = new ObjectMapper().readTree(out.resolve("config.json").toFile());
    List<String> keys =
        architecture == Architecture.DISTILBERT
            ? List.of(
                "model_type",
                "vocab_size",
                "dim",
                "n_layers",
                "n_heads",
                "hidden_dim",
                "max_position_embeddings",
                "sinusoidal_pos_embds",
                "activation",
                "pad_token_id")
            : List.of(
                "model_type",
                "vocab_size",
                "hidden_size",
                "num_hidden_layers",
                "num_attention_heads",
                "intermediate_size",
                "max_position_embeddings",
                "type_vocab_size",
                "layer_norm_eps",
                "hidden_act",
                "pad_token_id");
    for (String key : keys) {
      assertThat(got.get(key)).as(key).isEqualTo(want.get(key));
    }
    assertThat(got.path("architectures").get(0)).isEqualTo(want.path("architectures").get(0));
    assertThat(HfCheckpoint.read(out)).isEqualTo(read);
  }

  @ParameterizedTest
  @CsvSource({"tiny-roberta", "tiny-distilbert"})
  void trainsOneStepThenExportsAndReloadsEqual(String name) throws Exception {
    Path dir = HubParityTest.fixture(name);
    Encoders.Loaded loaded = Encoders.loadDirectory(dir);
    BertCheckpoint trained;
    float[] before;
    float[] after;
    try (var tokenizer = loaded.tokenizer();
        BertEncoder encoder = BertEncoder.load(loaded.checkpoint(), Device.cpu(), 0.1f)) {
      List<long[]> ids =
          tokenizer.encodeAll(List.of("The film was great!", "Not bad"), Truncation.head(16));
      encoder.setTrainable(true);
      try (NDManager scope = encoder.newBatchManager()) {
        BertEncoder.PaddedBatch batch = encoder.pad(scope, ids);
        before = encoder.forward(batch.ids(), batch.typeIds(), batch.mask()).toFloatArray();
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          NDArray hidden = encoder.forward(batch.ids(), batch.typeIds(), batch.mask(), true);
          collector.backward(hidden.square().mean());
        }
        // every weight got a gradient; one plain gradient step moves them all
        for (Map.Entry<String, Parameter> e : encoder.namedParameters().entrySet()) {
          NDArray w = e.getValue().getArray();
          NDArray g = w.getGradient();
          assertThat(g.abs().sum().getFloat()).as("gradient of %s", e.getKey()).isPositive();
          w.subi(g.mul(0.5f));
          g.close();
        }
        after = encoder.forward(batch.ids(), batch.typeIds(), batch.mask()).toFloatArray();
        trained = encoder.toCheckpoint();
      }
    }
    assertThat(after).isNotEqualTo(before);

    Path out = tmp.resolve("trained");
    Encoders.writeDirectory(trained, Encoders.tokenizerJson(loaded.model(), dir), out);
    Encoders.Loaded back = Encoders.loadDirectory(out);
    back.tokenizer().close();
    assertThat(back.checkpoint().config()).isEqualTo(trained.config());
    assertThat(back.checkpoint().tensors()).isEqualTo(trained.tensors());
    try (BertEncoder reloaded = BertEncoder.load(back.checkpoint(), Device.cpu());
        NDManager scope = reloaded.newBatchManager()) {
      var tokenizer = Encoders.loadDirectory(out).tokenizer();
      List<long[]> ids =
          tokenizer.encodeAll(List.of("The film was great!", "Not bad"), Truncation.head(16));
      tokenizer.close();
      BertEncoder.PaddedBatch batch = reloaded.pad(scope, ids);
      assertThat(reloaded.forward(batch.ids(), batch.typeIds(), batch.mask()).toFloatArray())
          .containsExactly(after);
    }
  }
}
