package io.reelsense.model.weights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.zip.CRC32C;

/**
 * Reads a TensorFlow tensor bundle (the {@code variables/} of a SavedModel, or a V2 checkpoint):
 * {@code PREFIX.index}, an immutable sorted table (LevelDB's format: prefix-compressed blocks with
 * restart points, an index block of block handles, a 48-byte footer ending in the magic number
 * {@code 0xdb4775248b80fb57}) mapping each tensor name to a {@code BundleEntryProto}, with the
 * {@code BundleHeaderProto} under the empty key; and {@code PREFIX.data-NNNNN-of-MMMMM}, the raw
 * little-endian tensor bytes at the entry's offset and size.
 *
 * <p>Block checksums and the per-tensor masked CRC32C are verified. Only uncompressed tables,
 * little-endian bundles and whole (unsliced) {@code DT_FLOAT} tensors are read; anything else is an
 * error naming the file and the tensor.
 */
public final class TfBundleReader {

  static final long TABLE_MAGIC = 0xdb4775248b80fb57L;
  static final int FOOTER_SIZE = 48;
  static final int BLOCK_TRAILER = 5;
  static final int DT_FLOAT = 1;

  private static final Map<Integer, String> DTYPE_NAMES =
      Map.ofEntries(
          Map.entry(1, "DT_FLOAT"),
          Map.entry(2, "DT_DOUBLE"),
          Map.entry(3, "DT_INT32"),
          Map.entry(4, "DT_UINT8"),
          Map.entry(5, "DT_INT16"),
          Map.entry(6, "DT_INT8"),
          Map.entry(7, "DT_STRING"),
          Map.entry(9, "DT_INT64"),
          Map.entry(10, "DT_BOOL"),
          Map.entry(14, "DT_BFLOAT16"),
          Map.entry(19, "DT_HALF"));

  /**
   * One tensor's entry in the index.
   *
   * @param name the tensor's name in the bundle
   * @param dtype TensorFlow {@code DataType} number ({@code 1} = {@code DT_FLOAT})
   * @param shape dimensions, outermost first
   * @param shardId which data file holds it
   * @param offset first byte in that file
   * @param size number of bytes
   * @param crc32c masked CRC32C of the bytes, or null when the entry has none
   * @param sliced whether the tensor is stored as slices (not read)
   */
  public record Entry(
      String name,
      int dtype,
      long[] shape,
      int shardId,
      long offset,
      long size,
      Integer crc32c,
      boolean sliced) {

    /** The {@code DataType} name, e.g. {@code DT_FLOAT}. */
    public String dtypeName() {
      return DTYPE_NAMES.getOrDefault(dtype, "DataType " + dtype);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Entry e && name.equals(e.name) && Arrays.equals(shape, e.shape);
    }

    @Override
    public int hashCode() {
      return name.hashCode();
    }

    @Override
    public String toString() {
      return name + " " + dtypeName() + Arrays.toString(shape);
    }
  }

  private final Path prefix;
  private final Path index;
  private final int numShards;
  private final Map<String, Entry> entries;

  private TfBundleReader(Path prefix, Path index, int numShards, Map<String, Entry> entries) {
    this.prefix = prefix;
    this.index = index;
    this.numShards = numShards;
    this.entries = entries;
  }

  /**
   * Opens the bundle at {@code prefix} (e.g. {@code saved_model/variables/variables}): reads and
   * checks {@code prefix.index}; the data files are read on demand.
   */
  public static TfBundleReader open(Path prefix) throws IOException {
    Path index = Path.of(prefix + ".index");
    if (!Files.isRegularFile(index)) {
      throw new CheckpointException(index, "no such file (a tensor bundle needs PREFIX.index)");
    }
    long size = Files.size(index);
    if (size > Integer.MAX_VALUE - 8) {
      throw new CheckpointException(index, "index of " + size + " bytes is too large");
    }
    byte[] bytes = Files.readAllBytes(index);
    Map<String, byte[]> table;
    try {
      table = readTable(index, bytes);
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(index, null, "corrupt table: " + e.getMessage(), e);
    }
    byte[] header = table.remove("");
    if (header == null) {
      throw new CheckpointException(index, "has no bundle header (the entry under the empty key)");
    }
    int numShards = parseHeader(index, header);
    Map<String, Entry> entries = new LinkedHashMap<>();
    for (Map.Entry<String, byte[]> kv : table.entrySet()) {
      Entry e;
      try {
        e = parseEntry(kv.getKey(), kv.getValue());
      } catch (IllegalArgumentException ex) {
        throw new CheckpointException(
            index, kv.getKey(), "corrupt BundleEntryProto: " + ex.getMessage(), ex);
      }
      if (e.shardId() < 0 || e.shardId() >= numShards) {
        throw new CheckpointException(
            index, e.name(), "shard " + e.shardId() + " outside the bundle's " + numShards);
      }
      entries.put(e.name(), e);
    }
    return new TfBundleReader(prefix, index, numShards, Collections.unmodifiableMap(entries));
  }

  /** Reads every key and value of an uncompressed LevelDB-format table. */
  static Map<String, byte[]> readTable(Path file, byte[] bytes) throws CheckpointException {
    if (bytes.length < FOOTER_SIZE) {
      throw new CheckpointException(
          file, "truncated: " + bytes.length + " bytes, shorter than the 48-byte table footer");
    }
    int footer = bytes.length - FOOTER_SIZE;
    long magic = new ProtoWire(bytes, bytes.length - 8, 8).fixed64();
    if (magic != TABLE_MAGIC) {
      throw new CheckpointException(
          file,
          "bad magic 0x"
              + Long.toHexString(magic)
              + " (not a TensorFlow table, or truncated): expected 0x"
              + Long.toHexString(TABLE_MAGIC));
    }
    ProtoWire f = new ProtoWire(bytes, footer, FOOTER_SIZE - 8);
    f.varint(); // metaindex offset
    f.varint(); // metaindex size
    long indexOffset = f.varint();
    long indexSize = f.varint();
    byte[] indexBlock = block(file, bytes, indexOffset, indexSize, footer);
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (byte[] handle : blockEntries(indexBlock).values()) {
      ProtoWire h = new ProtoWire(handle, 0, handle.length);
      long off = h.varint();
      long sz = h.varint();
      out.putAll(blockEntries(block(file, bytes, off, sz, footer)));
    }
    return out;
  }

  /** A block's contents, after checking its place, its compression type and its checksum. */
  private static byte[] block(Path file, byte[] bytes, long offset, long size, int end)
      throws CheckpointException {
    if (offset < 0 || size < 0 || offset + size + BLOCK_TRAILER > end) {
      throw new CheckpointException(
          file, "truncated or corrupt: block at " + offset + "+" + size + " runs past byte " + end);
    }
    int o = (int) offset;
    int n = (int) size;
    byte type = bytes[o + n];
    if (type != 0) {
      throw new CheckpointException(
          file,
          "block at "
              + offset
              + " is compressed (type "
              + type
              + "); only uncompressed tables are"
              + " read");
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, o, n + 1);
    int stored = new ProtoWire(bytes, o + n + 1, 4).fixed32();
    if (mask((int) crc.getValue()) != stored) {
      throw new CheckpointException(file, "block at " + offset + " fails its CRC32C checksum");
    }
    return Arrays.copyOfRange(bytes, o, o + n);
  }

  /** The key/value pairs of one block, undoing the shared-prefix compression of keys. */
  static Map<String, byte[]> blockEntries(byte[] block) {
    if (block.length < 4) {
      throw new IllegalArgumentException("block of " + block.length + " bytes has no restarts");
    }
    int numRestarts = new ProtoWire(block, block.length - 4, 4).fixed32();
    long restartsStart = block.length - 4 - 4L * numRestarts;
    if (numRestarts < 0 || restartsStart < 0) {
      throw new IllegalArgumentException("block claims " + numRestarts + " restart points");
    }
    Map<String, byte[]> out = new LinkedHashMap<>();
    ProtoWire w = new ProtoWire(block, 0, (int) restartsStart);
    byte[] key = new byte[0];
    while (w.hasMore()) {
      int shared = w.varint32();
      int unshared = w.varint32();
      int valueLen = w.varint32();
      if (shared > key.length) {
        throw new IllegalArgumentException(
            "entry shares " + shared + " key bytes but the previous key has " + key.length);
      }
      byte[] next = Arrays.copyOf(key, shared + unshared);
      byte[] delta = w.bytes(unshared);
      System.arraycopy(delta, 0, next, shared, unshared);
      key = next;
      out.put(new String(key, java.nio.charset.StandardCharsets.UTF_8), w.bytes(valueLen));
    }
    return out;
  }

  /** LevelDB's checksum masking (rotate right by 15 bits and add a constant). */
  static int mask(int crc) {
    return ((crc >>> 15) | (crc << 17)) + 0xa282ead8;
  }

  private static int parseHeader(Path index, byte[] header) throws CheckpointException {
    int numShards = 0;
    try {
      ProtoWire w = new ProtoWire(header, 0, header.length);
      while (w.hasMore()) {
        int tag = w.tag();
        switch (tag >>> 3) {
          case 1 -> numShards = (int) w.varint();
          case 2 -> {
            long endianness = w.varint();
            if (endianness != 0) {
              throw new CheckpointException(
                  index, "bundle is big-endian; only little-endian bundles are read");
            }
          }
          default -> w.skip(tag & 7);
        }
      }
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(index, null, "corrupt bundle header: " + e.getMessage(), e);
    }
    if (numShards < 1) {
      throw new CheckpointException(index, "bundle header gives " + numShards + " shards");
    }
    return numShards;
  }

  private static Entry parseEntry(String name, byte[] value) {
    int dtype = 0;
    List<Long> shape = new ArrayList<>();
    int shard = 0;
    long offset = 0;
    long size = 0;
    Integer crc = null;
    boolean sliced = false;
    ProtoWire w = new ProtoWire(value, 0, value.length);
    while (w.hasMore()) {
      int tag = w.tag();
      switch (tag >>> 3) {
        case 1 -> dtype = (int) w.varint();
        case 2 -> {
          ProtoWire s = w.message();
          while (s.hasMore()) {
            int st = s.tag();
            if (st >>> 3 == 2) {
              ProtoWire dim = s.message();
              long d = 0;
              while (dim.hasMore()) {
                int dt = dim.tag();
                if (dt >>> 3 == 1) {
                  d = dim.varint();
                } else {
                  dim.skip(dt & 7);
                }
              }
              shape.add(d);
            } else {
              s.skip(st & 7);
            }
          }
        }
        case 3 -> shard = (int) w.varint();
        case 4 -> offset = w.varint();
        case 5 -> size = w.varint();
        case 6 -> crc = w.fixed32();
        case 7 -> {
          w.skip(tag & 7);
          sliced = true;
        }
        default -> w.skip(tag & 7);
      }
    }
    long[] dims = shape.stream().mapToLong(Long::longValue).toArray();
    return new Entry(name, dtype, dims, shard, offset, size, crc, sliced);
  }

  /** The bundle's prefix. */
  public Path prefix() {
    return prefix;
  }

  /** The index file. */
  public Path indexFile() {
    return index;
  }

  /** Index entries by tensor name, in the table's (sorted) order. */
  public Map<String, Entry> entries() {
    return entries;
  }

  /** The data file that holds shard {@code shard}. */
  public Path dataFile(int shard) {
    return Path.of(prefix + String.format(".data-%05d-of-%05d", shard, numShards));
  }

  /** Reads one {@code DT_FLOAT} tensor, verifying its checksum, under its own name. */
  public NamedTensor read(String name) throws IOException {
    return read(name, name);
  }

  /** Reads one {@code DT_FLOAT} tensor, verifying its checksum, under a new name. */
  public NamedTensor read(String name, String newName) throws IOException {
    Entry e = entries.get(name);
    if (e == null) {
      throw new CheckpointException(index, name, "missing");
    }
    if (e.sliced()) {
      throw new CheckpointException(
          index, name, "is stored as slices; only whole tensors are read");
    }
    if (e.dtype() != DT_FLOAT) {
      throw new CheckpointException(
          index, name, "dtype " + e.dtypeName() + " is not DT_FLOAT; only float tensors are read");
    }
    long count = 1;
    for (long d : e.shape()) {
      count = Math.multiplyExact(count, d);
    }
    Path data = dataFile(e.shardId());
    if (count * 4 != e.size()) {
      throw new CheckpointException(
          data,
          name,
          "entry gives "
              + e.size()
              + " bytes but DT_FLOAT"
              + Arrays.toString(e.shape())
              + " needs "
              + count * 4);
    }
    if (count > Integer.MAX_VALUE - 8) {
      throw new CheckpointException(data, name, "too large for one Java array: " + count);
    }
    if (!Files.isRegularFile(data)) {
      throw new CheckpointException(data, name, "data file missing");
    }
    float[] out = new float[(int) count];
    try (FileChannel ch = FileChannel.open(data, StandardOpenOption.READ)) {
      if (e.offset() + e.size() > ch.size()) {
        throw new CheckpointException(
            data,
            name,
            "truncated: the tensor ends at byte "
                + (e.offset() + e.size())
                + " but the file has "
                + ch.size());
      }
      CRC32C crc = new CRC32C();
      ByteBuffer buf =
          ByteBuffer.allocate((int) Math.min(e.size(), 1 << 22)).order(ByteOrder.LITTLE_ENDIAN);
      long pos = e.offset();
      int done = 0;
      while (done < out.length) {
        int n = Math.min(out.length - done, buf.capacity() / 4);
        buf.clear().limit(n * 4);
        while (buf.hasRemaining()) {
          int r = ch.read(buf, pos + buf.position());
          if (r < 0) {
            throw new CheckpointException(data, name, "truncated at byte " + pos);
          }
        }
        buf.flip();
        crc.update(buf.duplicate());
        buf.asFloatBuffer().get(out, done, n);
        pos += n * 4L;
        done += n;
      }
      if (e.crc32c() != null && mask((int) crc.getValue()) != e.crc32c()) {
        throw new CheckpointException(
            data,
            name,
            "fails its CRC32C checksum (the data file is corrupt or not this bundle's)");
      }
    }
    return new NamedTensor(newName, e.shape().clone(), out);
  }

  /** Reads every tensor whose name passes {@code filter}; each must be a whole DT_FLOAT tensor. */
  public Map<String, NamedTensor> readAll(Predicate<String> filter) throws IOException {
    Map<String, NamedTensor> out = new LinkedHashMap<>();
    for (String name : entries.keySet()) {
      if (filter.test(name)) {
        out.put(name, read(name));
      }
    }
    return out;
  }

  /** Reads every tensor of the bundle; each must be a whole DT_FLOAT tensor. */
  public Map<String, NamedTensor> readAll() throws IOException {
    return readAll(n -> true);
  }
}
