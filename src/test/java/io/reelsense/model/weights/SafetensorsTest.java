package io.reelsense.model.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {

  @TempDir Path dir;

  private static NamedTensor tensor(String name, long... shape) {
    int n = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    float[] data = new float[n];
    for (int i = 0; i < n; i++) {
      data[i] = (float) Math.sin(name.hashCode() + i) * 3;
    }
    return new NamedTensor(name, shape, data);
  }

  /** A file with a hand-written header followed by {@code data}. */
  private Path raw(String header, byte[] data) throws IOException {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(h.length).put(h).put(data);
    Path f = dir.resolve("raw.safetensors");
    Files.write(f, b.array());
    return f;
  }

  @Test
  void roundTripKeepsNamesShapesValuesAndMetadata() throws IOException {
    List<NamedTensor> tensors =
        List.of(
            tensor("a.weight", 3, 5), tensor("b", 7), tensor("scalar"), tensor("c.bias", 2, 1, 4));
    Path f = dir.resolve("m.safetensors");
    Safetensors.write(f, tensors, Map.of("format", "pt"));

    assertThat((Files.size(f) - 8 - 4 * (15 + 7 + 1 + 8)) % 8).isZero();
    try (Safetensors st = Safetensors.open(f)) {
      assertThat(st.metadata()).containsExactly(Map.entry("format", "pt"));
      assertThat(st.entries().keySet()).containsExactly("a.weight", "b", "scalar", "c.bias");
      assertThat(st.entries().get("a.weight").dtype()).isEqualTo("F32");
      Map<String, NamedTensor> back = st.readAll();
      for (NamedTensor t : tensors) {
        assertThat(back.get(t.name())).isEqualTo(t);
      }
      assertThat(st.read("b", "renamed").name()).isEqualTo("renamed");
    }
  }

  @Test
  void largeTensorSpanningSeveralReadChunks() throws IOException {
    NamedTensor big = tensor("big", 1500, 1000);
    Path f = dir.resolve("big.safetensors");
    Safetensors.write(f, List.of(big), Map.of());
    assertThat(Safetensors.read(f).get("big")).isEqualTo(big);
  }

  @Test
  void readsHalfAndBfloat16AndDouble() throws IOException {
    // F16: 1.0 = 0x3c00, -2.0 = 0xc000, 65504 = 0x7bff, smallest subnormal 0x0001
    // BF16: 1.0 = 0x3f80, -0.5 = 0xbf00
    // F64: 0.25
    ByteBuffer d = ByteBuffer.allocate(8 + 4 + 8).order(ByteOrder.LITTLE_ENDIAN);
    d.putShort((short) 0x3c00).putShort((short) 0xc000).putShort((short) 0x7bff);
    d.putShort((short) 0x0001);
    d.putShort((short) 0x3f80).putShort((short) 0xbf00);
    d.putDouble(0.25);
    Path f =
        raw(
            "{\"h\":{\"dtype\":\"F16\",\"shape\":[4],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[8,12]},"
                + "\"d\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[12,20]}}",
            d.array());
    Map<String, NamedTensor> t = Safetensors.read(f);
    assertThat(t.get("h").data()).containsExactly(1f, -2f, 65504f, 0x1p-24f);
    assertThat(t.get("b").data()).containsExactly(1f, -0.5f);
    assertThat(t.get("d").data()).containsExactly(0.25f);
  }

  @Test
  void halfConversionCoversEveryBitPattern() {
    assertThat(Safetensors.halfToFloat((short) 0x7c00)).isEqualTo(Float.POSITIVE_INFINITY);
    assertThat(Safetensors.halfToFloat((short) 0xfc00)).isEqualTo(Float.NEGATIVE_INFINITY);
    assertThat(Safetensors.halfToFloat((short) 0x7e00)).isNaN();
    assertThat(Safetensors.halfToFloat((short) 0x8000)).isEqualTo(-0f);
    assertThat(Safetensors.halfToFloat((short) 0x3555)).isEqualTo(0.333251953125f);
    assertThat(Safetensors.halfToFloat((short) 0x03ff)).isEqualTo(1023 * 0x1p-24f);
  }

  @Test
  void truncatedHeaderNamesTheFile() throws IOException {
    Path f = dir.resolve("m.safetensors");
    Safetensors.write(f, List.of(tensor("w", 4)), Map.of());
    byte[] all = Files.readAllBytes(f);
    Path cut = dir.resolve("cut.safetensors");
    Files.write(cut, Arrays.copyOf(all, 20));
    assertThatThrownBy(() -> Safetensors.open(cut))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining(cut.toString())
        .hasMessageContaining("truncated");
    Files.write(cut, Arrays.copyOf(all, 5));
    assertThatThrownBy(() -> Safetensors.open(cut)).hasMessageContaining("truncated");
  }

  @Test
  void truncatedDataNamesTheTensor() throws IOException {
    Path f = dir.resolve("m.safetensors");
    Safetensors.write(f, List.of(tensor("first", 4), tensor("second", 4)), Map.of());
    byte[] all = Files.readAllBytes(f);
    Path cut = dir.resolve("cut.safetensors");
    Files.write(cut, Arrays.copyOf(all, all.length - 4));
    assertThatThrownBy(() -> Safetensors.open(cut))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining(cut.toString())
        .hasMessageContaining("tensor second")
        .hasMessageContaining("truncated");
  }

  @Test
  void badOffsetsAreRejected() throws IOException {
    byte[] data = new byte[16];
    assertThatThrownBy(
            () ->
                Safetensors.open(
                    raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,12]}}", data)))
        .hasMessageContaining("tensor w")
        .hasMessageContaining("span 12 bytes")
        .hasMessageContaining("needs 8");
    assertThatThrownBy(
            () ->
                Safetensors.open(
                    raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,4]}}", data)))
        .hasMessageContaining("end before they begin");
    assertThatThrownBy(
            () ->
                Safetensors.open(
                    raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", data)))
        .hasMessageContaining("data_offsets is missing or not an array of 2");
    assertThatThrownBy(
            () ->
                Safetensors.open(
                    raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", data)))
        .hasMessageContaining("shape holds -1");
  }

  @Test
  void malformedHeadersAreRejected() throws IOException {
    assertThatThrownBy(() -> Safetensors.open(raw("{\"w\": [", new byte[0])))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("not valid JSON");
    assertThatThrownBy(() -> Safetensors.open(raw("[1, 2]", new byte[0])))
        .hasMessageContaining("not a JSON object");
    assertThatThrownBy(
            () ->
                Safetensors.open(
                    raw(
                        "{\"w\":{\"dtype\":\"Q4\",\"shape\":[1],\"data_offsets\":[0,1]}}",
                        new byte[1])))
        .hasMessageContaining("tensor w")
        .hasMessageContaining("unknown dtype Q4");
    Path notSt = dir.resolve("notes.txt");
    Files.writeString(notSt, "this is not a safetensors file at all");
    assertThatThrownBy(() -> Safetensors.open(notSt)).hasMessageContaining("header length");
    assertThatThrownBy(() -> Safetensors.open(dir.resolve("absent.safetensors")))
        .hasMessageContaining("no such file");
  }

  @Test
  void integerTensorIsListedButReadingItIsAnError() throws IOException {
    Path f =
        raw("{\"ids\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[0,16]}}", new byte[16]);
    try (Safetensors st = Safetensors.open(f)) {
      assertThat(st.entries().get("ids").isFloat()).isFalse();
      assertThatThrownBy(() -> st.read("ids"))
          .isInstanceOf(CheckpointException.class)
          .hasMessageContaining(f.toString())
          .hasMessageContaining("tensor ids")
          .hasMessageContaining("dtype I64 is not a floating-point type");
      assertThatThrownBy(() -> st.read("absent"))
          .hasMessageContaining("tensor absent")
          .hasMessageContaining("missing");
    }
  }

  @Test
  void writerRejectsDuplicateNames() {
    assertThatThrownBy(
            () ->
                Safetensors.write(
                    dir.resolve("d.safetensors"),
                    List.of(tensor("x", 1), tensor("x", 2)),
                    Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("x");
  }
}
