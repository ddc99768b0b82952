package io.reelsense.model.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reelsense.model.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxBertImporterTest {

  @TempDir Path dir;

  @Test
  void namesAndTransposesTheAnonymousMatMulWeights() throws Exception {
    TinyOnnx tiny = TinyOnnx.build(Set.of());
    Path file = Files.write(dir.resolve("tiny.onnx"), tiny.bytes());

    BertCheckpoint c = OnnxBertImporter.read(file);

    assertThat(c.config())
        .isEqualTo(
            new BertConfig(
                TinyOnnx.VOCAB,
                TinyOnnx.HIDDEN,
                TinyOnnx.LAYERS,
                TinyOnnx.HEADS,
                TinyOnnx.INTER,
                TinyOnnx.POSITIONS,
                2,
                TinyOnnx.EPS));
    assertThat(c.tensors()).hasSize(BertLayout.expected(c.config()).size());
    for (var e : tiny.linear.entrySet()) {
      NamedTensor t = c.tensor(e.getKey());
      float[][] inOut = e.getValue();
      assertThat(t.shape()).containsExactly(inOut[0].length, inOut.length);
      for (int out = 0; out < inOut[0].length; out++) {
        for (int in = 0; in < inOut.length; in++) {
          assertThat(t.data()[out * inOut.length + in]).isEqualTo(inOut[in][out]);
        }
      }
    }
  }

  @Test
  void aMissingNamedTensorIsNamedWithTheFile() throws Exception {
    Path file =
        Files.write(
            dir.resolve("no-ln.onnx"),
            TinyOnnx.build(Set.of("encoder.layer.1.output.LayerNorm.bias")).bytes());

    assertThatThrownBy(() -> OnnxBertImporter.read(file))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("encoder.layer.1.output.LayerNorm.bias")
        .hasMessageContaining("missing");
  }

  @Test
  void aMissingLinearWeightIsNamedWithTheFile() throws Exception {
    Path file =
        Files.write(
            dir.resolve("no-q.onnx"),
            TinyOnnx.build(Set.of("encoder.layer.0.attention.self.query.weight")).bytes());

    assertThatThrownBy(() -> OnnxBertImporter.read(file))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("encoder.layer.0.attention.self.query.weight");
  }

  @Test
  void aTruncatedFileIsReportedAsSuch() throws Exception {
    byte[] bytes = TinyOnnx.build(Set.of()).bytes();
    Path file = Files.write(dir.resolve("cut.onnx"), Arrays.copyOf(bytes, bytes.length * 2 / 3));

    assertThatThrownBy(() -> OnnxBertImporter.read(file))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("truncated");
  }

  @Test
  void aFileThatIsNotOnnxIsRejected() throws Exception {
    Path file = Files.writeString(dir.resolve("vocab.txt"), "[PAD]\n[UNK]\nhello\n");

    assertThatThrownBy(() -> OnnxBertImporter.read(file))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining(file.toString());
  }

  @Test
  void readsMiniLmFromItsMavenJar() throws Exception {
    Path jar = TestModels.jarHolding(TestModels.MINILM);

    BertCheckpoint c = OnnxBertImporter.read(jar);

    assertThat(c.config()).isEqualTo(new BertConfig(30522, 384, 6, 12, 1536, 512, 2, 1e-12f));
    assertThat(c.tensors()).hasSize(BertLayout.expected(c.config()).size());
    assertThat(c.tensor("encoder.layer.5.output.dense.weight").shape()).containsExactly(384, 1536);
  }
}
