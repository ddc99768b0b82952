package io.reelsense.model.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HfCheckpointTest {

  static final BertConfig TINY = new BertConfig(20, 8, 2, 2, 16, 16, 2, 1e-12);

  @TempDir Path dir;

  /** A random checkpoint of the tiny shape, with a classifier head. */
  static BertCheckpoint tiny(boolean pooler) {
    Random r = new Random(7);
    Map<String, NamedTensor> m = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : BertLayout.expectedWithPooler(TINY).entrySet()) {
      if (!pooler && e.getKey().startsWith("pooler.")) {
        continue;
      }
      m.put(e.getKey(), random(r, e.getKey(), e.getValue()));
    }
    m.put("classifier.weight", random(r, "classifier.weight", new long[] {3, 8}));
    m.put("classifier.bias", random(r, "classifier.bias", new long[] {3}));
    return new BertCheckpoint(TINY, m);
  }

  private static NamedTensor random(Random r, String name, long[] shape) {
    int n = 1;
    for (long d : shape) {
      n *= (int) d;
    }
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return new NamedTensor(name, shape, v);
  }

  @Test
  void writeThenReadGivesTheSameCheckpoint() throws IOException {
    BertCheckpoint cp = tiny(true);
    HfCheckpoint.write(cp, dir, Map.of());
    BertCheckpoint back = HfCheckpoint.read(dir);
    assertThat(back.config()).isEqualTo(TINY);
    assertThat(back.tensors()).isEqualTo(cp.tensors());

    JsonNode config = new ObjectMapper().readTree(dir.resolve("config.json").toFile());
    assertThat(config.path("architectures").path(0).asText())
        .isEqualTo("BertForSequenceClassification");
    assertThat(config.path("id2label").size()).isEqualTo(3);
    try (Safetensors st = Safetensors.open(dir.resolve("model.safetensors"))) {
      assertThat(st.metadata()).containsEntry("format", "pt");
      assertThat(st.entries())
          .containsKey("bert.encoder.layer.1.output.LayerNorm.bias")
          .containsKey("classifier.weight");
    }
  }

  @Test
  void tanhGeluSurvivesTheRoundTrip() throws IOException {
    BertConfig tanh = new BertConfig(20, 8, 2, 2, 16, 16, 2, 1e-12, BertConfig.GELU_TANH);
    HfCheckpoint.write(new BertCheckpoint(tanh, tiny(true).tensors()), dir, Map.of());
    assertThat(Files.readString(dir.resolve("config.json"))).contains("\"gelu_new\"");
    assertThat(HfCheckpoint.read(dir).config()).isEqualTo(tanh);
  }

  @Test
  void poolerMayBeAbsent() throws IOException {
    HfCheckpoint.write(
        tiny(false), dir, Map.of("id2label", Map.of("0", "neg", "1", "pos", "2", "x")));
    BertCheckpoint back = HfCheckpoint.read(dir);
    assertThat(back.tensors()).doesNotContainKey("pooler.dense.weight");
    JsonNode config = new ObjectMapper().readTree(dir.resolve("config.json").toFile());
    assertThat(config.path("id2label").path("1").asText()).isEqualTo("pos");
  }

  @Test
  void acceptsUnprefixedTfStyleNamesAndSkipsPositionIds() throws IOException {
    HfCheckpoint.write(tiny(true), dir, Map.of());
    Map<String, NamedTensor> tensors = Safetensors.read(dir.resolve("model.safetensors"));
    List<NamedTensor> renamed = new ArrayList<>();
    for (NamedTensor t : tensors.values()) {
      String n = t.name().replaceFirst("^bert\\.", "");
      n =
          n.replace("LayerNorm.weight", "LayerNorm.gamma")
              .replace("LayerNorm.bias", "LayerNorm.beta");
      renamed.add(t.renamed(n));
    }
    Path other = dir.resolve("other");
    Files.createDirectories(other);
    Files.copy(dir.resolve("config.json"), other.resolve("config.json"));
    Safetensors.write(other.resolve("plain.safetensors"), renamed, Map.of("format", "pt"));
    // append an I64 position_ids buffer, as older BERT checkpoints hold
    Path withIds = other.resolve("model.safetensors");
    appendInt64(other.resolve("plain.safetensors"), withIds, "embeddings.position_ids", 16);
    Files.delete(other.resolve("plain.safetensors"));

    assertThat(HfCheckpoint.read(other).tensors()).isEqualTo(tiny(true).tensors());
  }

  /** Rewrites a safetensors file with one more I64 tensor of {@code n} values at the end. */
  private static void appendInt64(Path in, Path out, String name, int n) throws IOException {
    ObjectMapper json = new ObjectMapper();
    byte[] all = Files.readAllBytes(in);
    long headerLen = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    com.fasterxml.jackson.databind.node.ObjectNode header =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            json.readTree(new String(all, 8, (int) headerLen, StandardCharsets.UTF_8));
    int dataLen = all.length - 8 - (int) headerLen;
    var e = header.putObject(name);
    e.put("dtype", "I64");
    e.putArray("shape").add(1).add(n);
    e.putArray("data_offsets").add(dataLen).add(dataLen + 8L * n);
    byte[] h = json.writeValueAsBytes(header);
    ByteBuffer b =
        ByteBuffer.allocate(8 + h.length + dataLen + 8 * n).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(h.length).put(h).put(all, 8 + (int) headerLen, dataLen);
    for (int i = 0; i < n; i++) {
      b.putLong(i);
    }
    Files.write(out, b.array());
  }

  @Test
  void shardedCheckpointIsRead() throws IOException {
    BertCheckpoint cp = tiny(true);
    HfCheckpoint.write(cp, dir, Map.of());
    Map<String, NamedTensor> all = Safetensors.read(dir.resolve("model.safetensors"));
    Files.delete(dir.resolve("model.safetensors"));
    List<NamedTensor> a = new ArrayList<>();
    List<NamedTensor> b = new ArrayList<>();
    for (NamedTensor t : all.values()) {
      (t.name().contains("layer.1") ? b : a).add(t);
    }
    Safetensors.write(dir.resolve("model-00001-of-00002.safetensors"), a, Map.of("format", "pt"));
    Safetensors.write(dir.resolve("model-00002-of-00002.safetensors"), b, Map.of("format", "pt"));
    Map<String, String> weightMap = new LinkedHashMap<>();
    a.forEach(t -> weightMap.put(t.name(), "model-00001-of-00002.safetensors"));
    b.forEach(t -> weightMap.put(t.name(), "model-00002-of-00002.safetensors"));
    new ObjectMapper()
        .writeValue(
            dir.resolve("model.safetensors.index.json").toFile(), Map.of("weight_map", weightMap));
    assertThat(HfCheckpoint.read(dir).tensors()).isEqualTo(cp.tensors());
  }

  @Test
  void missingTensorIsNamed() throws IOException {
    Map<String, NamedTensor> m = new LinkedHashMap<>(tiny(true).tensors());
    m.remove("encoder.layer.1.attention.self.key.bias");
    HfCheckpoint.write(new BertCheckpoint(TINY, m), dir, Map.of());
    assertThatThrownBy(() -> HfCheckpoint.read(dir))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining(dir.resolve("model.safetensors").toString())
        .hasMessageContaining("tensor encoder.layer.1.attention.self.key.bias: missing");
  }

  @Test
  void shapeMismatchIsNamed() throws IOException {
    HfCheckpoint.write(tiny(true), dir, Map.of());
    String config = Files.readString(dir.resolve("config.json"));
    Files.writeString(
        dir.resolve("config.json"),
        config.replace("\"intermediate_size\" : 16", "\"intermediate_size\" : 32"));
    assertThatThrownBy(() -> HfCheckpoint.read(dir))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("tensor encoder.layer.0.intermediate.dense.weight")
        .hasMessageContaining("shape [16, 8] does not match the model's [32, 8]");
  }

  @Test
  void otherArchitecturesAreRefusedByName() throws IOException {
    HfCheckpoint.write(tiny(true), dir, Map.of());
    String config = Files.readString(dir.resolve("config.json"));
    Files.writeString(
        dir.resolve("config.json"),
        config.replace("\"model_type\" : \"bert\"", "\"model_type\" : \"xlnet\""));
    assertThatThrownBy(() -> HfCheckpoint.read(dir))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("config.json")
        .hasMessageContaining("model_type 'xlnet' is not supported");
    Files.writeString(dir.resolve("config.json"), config.replace("\"gelu\"", "\"relu\""));
    assertThatThrownBy(() -> HfCheckpoint.read(dir)).hasMessageContaining("hidden_act 'relu'");
    Files.writeString(
        dir.resolve("config.json"), config.replace("\"gelu\"", "\"gelu_pytorch_tanh\""));
    assertThat(HfCheckpoint.read(dir).config().hiddenAct()).isEqualTo(BertConfig.GELU_TANH);
  }

  @Test
  void vocabularyLargerThanEmbeddingIsNamed() throws IOException {
    HfCheckpoint.write(tiny(true), dir, Map.of());
    String vocab =
        IntStream.range(0, 21).mapToObj(i -> "tok" + i).collect(Collectors.joining("\n"));
    Files.writeString(dir.resolve("vocab.txt"), vocab + "\n");
    assertThatThrownBy(() -> HfCheckpoint.read(dir))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("tensor embeddings.word_embeddings.weight")
        .hasMessageContaining("has 20 rows but the vocabulary")
        .hasMessageContaining("21 tokens");
    Files.writeString(dir.resolve("vocab.txt"), vocab.substring(0, vocab.lastIndexOf('\n')) + "\n");
    assertThat(HfCheckpoint.read(dir).config().vocabSize()).isEqualTo(20);
  }

  @Test
  void missingFilesAreNamed() throws IOException {
    assertThatThrownBy(() -> HfCheckpoint.read(dir.resolve("nowhere")))
        .hasMessageContaining("not a directory");
    HfCheckpoint.write(tiny(true), dir, Map.of());
    Files.delete(dir.resolve("model.safetensors"));
    Files.writeString(dir.resolve("pytorch_model.bin"), "pickle");
    assertThatThrownBy(() -> HfCheckpoint.read(dir))
        .hasMessageContaining("model.safetensors: no such file")
        .hasMessageContaining("pytorch_model.bin is a Python pickle");
    Files.delete(dir.resolve("config.json"));
    assertThatThrownBy(() -> HfCheckpoint.read(dir))
        .hasMessageContaining("config.json: no such file");
  }
}
