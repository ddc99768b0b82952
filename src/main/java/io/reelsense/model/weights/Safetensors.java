package io.reelsense.model.weights;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes the <a href="https://github.com/huggingface/safetensors">safetensors</a> format:
 * an 8-byte little-endian header length, a JSON header {@code {name: {dtype, shape, data_offsets},
 * "__metadata__": {string: string}}}, then the raw little-endian tensor bytes (offsets relative to
 * the end of the header).
 *
 * <p>Tensors of type F32, F16, BF16 and F64 are read as {@code float}; other types are listed but
 * reading one is an error naming it. Writing always stores F32.
 */
public final class Safetensors implements AutoCloseable {

  /** Largest header accepted, as in the reference implementation. */
  static final long MAX_HEADER = 100L << 20;

  private static final String METADATA = "__metadata__";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, Integer> DTYPE_BYTES =
      Map.ofEntries(
          Map.entry("BOOL", 1),
          Map.entry("U8", 1),
          Map.entry("I8", 1),
          Map.entry("F8_E5M2", 1),
          Map.entry("F8_E4M3", 1),
          Map.entry("I16", 2),
          Map.entry("U16", 2),
          Map.entry("F16", 2),
          Map.entry("BF16", 2),
          Map.entry("I32", 4),
          Map.entry("U32", 4),
          Map.entry("F32", 4),
          Map.entry("I64", 8),
          Map.entry("U64", 8),
          Map.entry("F64", 8));
  private static final Set<String> FLOAT_TYPES = Set.of("F32", "F16", "BF16", "F64");

  /**
   * One tensor's header entry.
   *
   * @param name the tensor's name in the file
   * @param dtype safetensors type name ({@code F32}, {@code BF16}, {@code I64}, …)
   * @param shape dimensions, outermost first
   * @param begin first byte, relative to the start of the data section
   * @param end one past the last byte, relative to the start of the data section
   */
  public record Entry(String name, String dtype, long[] shape, long begin, long end) {

    /** Whether {@link Safetensors#read(String)} can turn it into floats. */
    public boolean isFloat() {
      return FLOAT_TYPES.contains(dtype);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Entry e
          && name.equals(e.name)
          && dtype.equals(e.dtype)
          && Arrays.equals(shape, e.shape)
          && begin == e.begin
          && end == e.end;
    }

    @Override
    public int hashCode() {
      return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
      return name + " " + dtype + Arrays.toString(shape) + " @" + begin + ".." + end;
    }
  }

  private final Path file;
  private final FileChannel channel;
  private final long dataStart;
  private final Map<String, Entry> entries;
  private final Map<String, String> metadata;

  private Safetensors(
      Path file,
      FileChannel channel,
      long dataStart,
      Map<String, Entry> entries,
      Map<String, String> metadata) {
    this.file = file;
    this.channel = channel;
    this.dataStart = dataStart;
    this.entries = entries;
    this.metadata = metadata;
  }

  /** Opens a file and checks its header; the tensor bytes are read on demand. */
  public static Safetensors open(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new CheckpointException(file, "no such file");
    }
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
    try {
      return parse(file, channel);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private static Safetensors parse(Path file, FileChannel channel) throws IOException {
    long size = channel.size();
    if (size < 8) {
      throw new CheckpointException(
          file, "truncated: " + size + " bytes, shorter than the 8-byte header length");
    }
    ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    readFully(channel, lenBuf, 0);
    long headerLen = lenBuf.flip().getLong();
    if (headerLen < 2 || headerLen > MAX_HEADER) {
      throw new CheckpointException(
          file, "not a safetensors file: header length " + Long.toUnsignedString(headerLen));
    }
    if (8 + headerLen > size) {
      throw new CheckpointException(
          file,
          "truncated: header says "
              + headerLen
              + " bytes of JSON but the file holds "
              + (size - 8)
              + " after the length");
    }
    ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
    readFully(channel, headerBuf, 8);
    String headerText = new String(headerBuf.array(), StandardCharsets.UTF_8);
    JsonNode header;
    try {
      header = JSON.readTree(headerText);
    } catch (JsonProcessingException e) {
      throw new CheckpointException(
          file, null, "header is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (header == null || !header.isObject()) {
      throw new CheckpointException(file, "header is not a JSON object");
    }
    long dataStart = 8 + headerLen;
    long dataLen = size - dataStart;
    Map<String, Entry> entries = new LinkedHashMap<>();
    Map<String, String> metadata = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String name = field.getKey();
      JsonNode node = field.getValue();
      if (name.equals(METADATA)) {
        if (!node.isObject()) {
          throw new CheckpointException(file, "__metadata__ is not a JSON object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> m = node.fields(); m.hasNext(); ) {
          Map.Entry<String, JsonNode> kv = m.next();
          if (!kv.getValue().isTextual()) {
            throw new CheckpointException(
                file, "__metadata__ value of " + kv.getKey() + " is not a string");
          }
          metadata.put(kv.getKey(), kv.getValue().asText());
        }
        continue;
      }
      entries.put(name, parseEntry(file, name, node, dataLen));
    }
    return new Safetensors(
        file,
        channel,
        dataStart,
        Collections.unmodifiableMap(entries),
        Collections.unmodifiableMap(metadata));
  }

  private static Entry parseEntry(Path file, String name, JsonNode node, long dataLen)
      throws CheckpointException {
    if (!node.isObject()) {
      throw new CheckpointException(file, name, "header entry is not a JSON object");
    }
    JsonNode dtypeNode = node.get("dtype");
    if (dtypeNode == null || !dtypeNode.isTextual()) {
      throw new CheckpointException(file, name, "header entry has no dtype");
    }
    String dtype = dtypeNode.asText();
    Integer width = DTYPE_BYTES.get(dtype);
    if (width == null) {
      throw new CheckpointException(file, name, "unknown dtype " + dtype);
    }
    long[] shape = longs(file, name, node.get("shape"), "shape", -1);
    long[] offsets = longs(file, name, node.get("data_offsets"), "data_offsets", 2);
    long begin = offsets[0];
    long end = offsets[1];
    if (begin > end) {
      throw new CheckpointException(
          file, name, "data_offsets [" + begin + ", " + end + "] end before they begin");
    }
    long count = 1;
    for (long d : shape) {
      count = Math.multiplyExact(count, d);
    }
    if (Math.multiplyExact(count, width) != end - begin) {
      throw new CheckpointException(
          file,
          name,
          "data_offsets ["
              + begin
              + ", "
              + end
              + "] span "
              + (end - begin)
              + " bytes but "
              + dtype
              + Arrays.toString(shape)
              + " needs "
              + count * width);
    }
    if (end > dataLen) {
      throw new CheckpointException(
          file,
          name,
          "truncated: data_offsets end at byte "
              + end
              + " but the data section holds "
              + dataLen
              + " bytes");
    }
    return new Entry(name, dtype, shape, begin, end);
  }

  private static long[] longs(Path file, String name, JsonNode node, String key, int length)
      throws CheckpointException {
    if (node == null || !node.isArray() || (length >= 0 && node.size() != length)) {
      throw new CheckpointException(
          file,
          name,
          key + " is missing or not an array" + (length >= 0 ? " of " + length + " integers" : ""));
    }
    long[] out = new long[node.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode v = node.get(i);
      if (!v.isIntegralNumber() || v.asLong() < 0) {
        throw new CheckpointException(file, name, key + " holds " + v + ", not a count");
      }
      out[i] = v.asLong();
    }
    return out;
  }

  /** The file read. */
  public Path file() {
    return file;
  }

  /** The {@code __metadata__} map (empty when absent). */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** Header entries by tensor name, in file order. */
  public Map<String, Entry> entries() {
    return entries;
  }

  /** Whether the file holds a tensor of this name. */
  public boolean contains(String name) {
    return entries.containsKey(name);
  }

  /** Reads one tensor as floats, keeping its name. */
  public NamedTensor read(String name) throws IOException {
    return read(name, name);
  }

  /** Reads one tensor as floats, under a new name. */
  public NamedTensor read(String name, String newName) throws IOException {
    Entry e = entries.get(name);
    if (e == null) {
      throw new CheckpointException(file, name, "missing");
    }
    if (!e.isFloat()) {
      throw new CheckpointException(
          file,
          name,
          "dtype " + e.dtype() + " is not a floating-point type (F32, F16, BF16, F64 are read)");
    }
    long bytes = e.end() - e.begin();
    int width = DTYPE_BYTES.get(e.dtype());
    if (bytes / width > Integer.MAX_VALUE - 8) {
      throw new CheckpointException(file, name, "too large for one Java array: " + bytes);
    }
    float[] out = new float[(int) (bytes / width)];
    long pos = dataStart + e.begin();
    int done = 0;
    int chunk = 1 << 22;
    ByteBuffer buf =
        ByteBuffer.allocate((int) Math.min(bytes, chunk)).order(ByteOrder.LITTLE_ENDIAN);
    while (done < out.length) {
      int n = Math.min(out.length - done, chunk / width);
      buf.clear().limit(n * width);
      readFully(channel, buf, pos);
      buf.flip();
      pos += (long) n * width;
      switch (e.dtype()) {
        case "F32" -> buf.asFloatBuffer().get(out, done, n);
        case "F64" -> {
          for (int i = 0; i < n; i++) {
            out[done + i] = (float) buf.getDouble();
          }
        }
        case "BF16" -> {
          for (int i = 0; i < n; i++) {
            out[done + i] = Float.intBitsToFloat((buf.getShort() & 0xffff) << 16);
          }
        }
        default -> {
          for (int i = 0; i < n; i++) {
            out[done + i] = halfToFloat(buf.getShort());
          }
        }
      }
      done += n;
    }
    return new NamedTensor(newName, e.shape().clone(), out);
  }

  /** Reads every floating-point tensor; non-float tensors are an error naming them. */
  public Map<String, NamedTensor> readAll() throws IOException {
    Map<String, NamedTensor> out = new LinkedHashMap<>();
    for (String name : entries.keySet()) {
      out.put(name, read(name));
    }
    return out;
  }

  /** Reads every tensor of a file (all must be floating-point). */
  public static Map<String, NamedTensor> read(Path file) throws IOException {
    try (Safetensors st = open(file)) {
      return st.readAll();
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  /** IEEE 754 binary16 to float, subnormals, infinities and NaN included. */
  static float halfToFloat(short h) {
    int bits = h & 0xffff;
    int sign = (bits & 0x8000) << 16;
    int exp = (bits >>> 10) & 0x1f;
    int mant = bits & 0x3ff;
    if (exp == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
    }
    if (exp == 0) {
      float v = mant * 0x1p-24f;
      return sign == 0 ? v : -v;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }

  /**
   * Writes tensors as F32 in the given order, with a {@code __metadata__} map (omitted when empty).
   * The header is padded with spaces so that the data starts at a multiple of 8 bytes.
   */
  public static void write(Path file, Collection<NamedTensor> tensors, Map<String, String> metadata)
      throws IOException {
    ObjectNode header = JSON.createObjectNode();
    if (!metadata.isEmpty()) {
      ObjectNode meta = header.putObject(METADATA);
      metadata.forEach(meta::put);
    }
    Set<String> seen = new HashSet<>();
    List<NamedTensor> order = new ArrayList<>(tensors);
    long offset = 0;
    for (NamedTensor t : order) {
      if (t.name().equals(METADATA) || !seen.add(t.name())) {
        throw new IllegalArgumentException("duplicate or reserved tensor name " + t.name());
      }
      ObjectNode entry = header.putObject(t.name());
      entry.put("dtype", "F32");
      ArrayNode shape = entry.putArray("shape");
      for (long d : t.shape()) {
        shape.add(d);
      }
      long end = offset + 4L * t.size();
      entry.putArray("data_offsets").add(offset).add(end);
      offset = end;
    }
    byte[] json = JSON.writeValueAsBytes(header);
    int padded = (json.length + 7) / 8 * 8;
    ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
    head.putLong(padded).put(json);
    while (head.hasRemaining()) {
      head.put((byte) ' ');
    }
    head.flip();
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (FileChannel out =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      writeFully(out, head);
      ByteBuffer buf = ByteBuffer.allocate(1 << 22).order(ByteOrder.LITTLE_ENDIAN);
      for (NamedTensor t : order) {
        float[] data = t.data();
        int done = 0;
        while (done < data.length) {
          int n = Math.min(data.length - done, buf.capacity() / 4);
          buf.clear();
          buf.asFloatBuffer().put(data, done, n);
          buf.limit(n * 4);
          writeFully(out, buf);
          done += n;
        }
      }
    }
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
    long p = pos;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, p);
      if (n < 0) {
        throw new IOException("unexpected end of file at byte " + p);
      }
      p += n;
    }
  }

  private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) {
      ch.write(buf);
    }
  }
}
