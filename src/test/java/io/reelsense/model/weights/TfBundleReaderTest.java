package io.reelsense.model.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reelsense.model.weights.TestBundleWriter.Spec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TfBundleReaderTest {

  @TempDir Path dir;

  private static float[] values(int n, int seed) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) Math.sin(seed * 1000 + i) * 2;
    }
    return v;
  }

  /** Many tensors with long shared name prefixes, as in a real model. */
  private static List<Spec> model() {
    List<Spec> specs = new ArrayList<>();
    int seed = 0;
    for (int layer = 0; layer < 12; layer++) {
      for (String p : List.of("query", "key", "value")) {
        String base = "module/bert/encoder/layer_" + layer + "/attention/self/" + p;
        specs.add(Spec.floats(base + "/kernel", new long[] {4, 3}, values(12, seed++)));
        specs.add(Spec.floats(base + "/bias", new long[] {3}, values(3, seed++)));
      }
    }
    specs.add(Spec.floats("scalar", new long[] {}, new float[] {42f}));
    return specs;
  }

  private Path prefix() {
    return dir.resolve("variables/variables");
  }

  @Test
  void readsEveryTensorAcrossBlocksRestartsAndShards() throws IOException {
    TestBundleWriter w = new TestBundleWriter();
    w.restartInterval = 3;
    w.blockSize = 200;
    w.numShards = 2;
    List<Spec> specs = new ArrayList<>();
    List<Spec> base = model();
    for (int i = 0; i < base.size(); i++) {
      specs.add(base.get(i).inShard(i % 2));
    }
    w.write(prefix(), specs);

    TfBundleReader r = TfBundleReader.open(prefix());
    assertThat(r.entries()).hasSize(specs.size());
    assertThat(r.dataFile(1).getFileName().toString()).isEqualTo("variables.data-00001-of-00002");
    Map<String, NamedTensor> all = r.readAll();
    for (Spec s : specs) {
      NamedTensor t = all.get(s.name());
      assertThat(t.shape()).as(s.name()).containsExactly(s.shape());
      assertThat(Spec.floats(s.name(), s.shape(), t.data()).bytes()).isEqualTo(s.bytes());
    }
    assertThat(all.get("scalar").data()).containsExactly(42f);
    assertThat(r.readAll(n -> n.endsWith("/bias"))).hasSize(36);
    assertThat(r.read("scalar", "renamed").name()).isEqualTo("renamed");
  }

  @Test
  void entriesWithoutChecksumAreRead() throws IOException {
    new TestBundleWriter()
        .write(prefix(), List.of(Spec.floats("a", new long[] {2}, values(2, 1)).withoutCrc()));
    TfBundleReader r = TfBundleReader.open(prefix());
    assertThat(r.entries().get("a").crc32c()).isNull();
    assertThat(r.read("a").data()).containsExactly(values(2, 1));
  }

  @Test
  void badMagicNamesTheFile() throws IOException {
    new TestBundleWriter().write(prefix(), model());
    Path index = Path.of(prefix() + ".index");
    byte[] b = Files.readAllBytes(index);
    b[b.length - 1] ^= 1;
    Files.write(index, b);
    assertThatThrownBy(() -> TfBundleReader.open(prefix()))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining(index.toString())
        .hasMessageContaining("bad magic");
  }

  @Test
  void truncatedIndexIsRejected() throws IOException {
    new TestBundleWriter().write(prefix(), model());
    Path index = Path.of(prefix() + ".index");
    byte[] b = Files.readAllBytes(index);
    Files.write(index, Arrays.copyOf(b, b.length - 10));
    assertThatThrownBy(() -> TfBundleReader.open(prefix()))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining(index.toString());
    Files.write(index, Arrays.copyOf(b, 20));
    assertThatThrownBy(() -> TfBundleReader.open(prefix())).hasMessageContaining("truncated");
  }

  @Test
  void corruptIndexBlockFailsItsChecksum() throws IOException {
    new TestBundleWriter().write(prefix(), model());
    Path index = Path.of(prefix() + ".index");
    byte[] b = Files.readAllBytes(index);
    b[10] ^= 0x20;
    Files.write(index, b);
    assertThatThrownBy(() -> TfBundleReader.open(prefix()))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("fails its CRC32C checksum");
  }

  @Test
  void corruptDataFailsTheTensorChecksum() throws IOException {
    new TestBundleWriter()
        .write(
            prefix(),
            List.of(
                Spec.floats("first", new long[] {2}, values(2, 1)),
                Spec.floats("second", new long[] {2, 2}, values(4, 2))));
    Path data = Path.of(prefix() + ".data-00000-of-00001");
    byte[] b = Files.readAllBytes(data);
    b[12] ^= 1;
    Files.write(data, b);
    TfBundleReader r = TfBundleReader.open(prefix());
    assertThat(r.read("first").data()).containsExactly(values(2, 1));
    assertThatThrownBy(() -> r.read("second"))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining(data.toString())
        .hasMessageContaining("tensor second")
        .hasMessageContaining("CRC32C");
  }

  @Test
  void truncatedDataNamesTheTensor() throws IOException {
    new TestBundleWriter()
        .write(
            prefix(),
            List.of(
                Spec.floats("first", new long[] {2}, values(2, 1)),
                Spec.floats("second", new long[] {2, 2}, values(4, 2))));
    Path data = Path.of(prefix() + ".data-00000-of-00001");
    byte[] b = Files.readAllBytes(data);
    Files.write(data, Arrays.copyOf(b, b.length - 1));
    TfBundleReader r = TfBundleReader.open(prefix());
    assertThatThrownBy(() -> r.read("second"))
        .hasMessageContaining("tensor second")
        .hasMessageContaining("truncated");
    Files.delete(data);
    assertThatThrownBy(() -> r.read("first")).hasMessageContaining("data file missing");
  }

  @Test
  void missingAndNonFloatTensorsAreNamed() throws IOException {
    new TestBundleWriter()
        .write(
            prefix(),
            List.of(
                Spec.floats("w", new long[] {1}, new float[] {1}),
                new Spec("global_step", 9, new long[] {}, new byte[8], true, 0)));
    TfBundleReader r = TfBundleReader.open(prefix());
    assertThatThrownBy(() -> r.read("nope"))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("tensor nope: missing");
    assertThatThrownBy(() -> r.read("global_step"))
        .hasMessageContaining("tensor global_step")
        .hasMessageContaining("dtype DT_INT64 is not DT_FLOAT");
    assertThatThrownBy(r::readAll).hasMessageContaining("global_step");
    assertThat(r.readAll(n -> !n.equals("global_step"))).containsOnlyKeys("w");
  }

  @Test
  void sizeThatDisagreesWithShapeIsNamed() throws IOException {
    new TestBundleWriter()
        .write(prefix(), List.of(new Spec("odd", 1, new long[] {3}, new byte[8], true, 0)));
    assertThatThrownBy(() -> TfBundleReader.open(prefix()).read("odd"))
        .hasMessageContaining("tensor odd")
        .hasMessageContaining("needs 12");
  }

  @Test
  void missingIndexOrHeaderIsAnError() throws IOException {
    assertThatThrownBy(() -> TfBundleReader.open(prefix()))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("variables.index: no such file");
    TestBundleWriter w = new TestBundleWriter();
    w.writeHeader = false;
    w.write(prefix(), model());
    assertThatThrownBy(() -> TfBundleReader.open(prefix())).hasMessageContaining("bundle header");
  }

  @Test
  void notATableAtAll() throws IOException {
    Files.createDirectories(prefix().getParent());
    Files.writeString(Path.of(prefix() + ".index"), "x".repeat(100));
    assertThatThrownBy(() -> TfBundleReader.open(prefix())).hasMessageContaining("bad magic");
  }
}
