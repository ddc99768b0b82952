package io.reelsense.model.weights;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * Writes TensorFlow tensor bundles for tests, following the same format description as the reader
 * (LevelDB table, BundleHeaderProto, BundleEntryProto), with knobs to exercise restart points,
 * several data blocks and shards, other dtypes and entries without checksums.
 */
final class TestBundleWriter {

  /** A tensor to write: its raw little-endian bytes, shape and dtype. */
  record Spec(String name, int dtype, long[] shape, byte[] bytes, boolean withCrc, int shard) {

    static Spec floats(String name, long[] shape, float[] values) {
      ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
      b.asFloatBuffer().put(values);
      return new Spec(name, 1, shape, b.array(), true, 0);
    }

    Spec inShard(int s) {
      return new Spec(name, dtype, shape, bytes, withCrc, s);
    }

    Spec withoutCrc() {
      return new Spec(name, dtype, shape, bytes, false, shard);
    }
  }

  int restartInterval = 16;
  int blockSize = 4096;
  int numShards = 1;
  boolean writeHeader = true;

  void write(Path prefix, List<Spec> specs) throws IOException {
    Files.createDirectories(prefix.toAbsolutePath().getParent());
    List<ByteArrayOutputStream> shards = new ArrayList<>();
    for (int i = 0; i < numShards; i++) {
      shards.add(new ByteArrayOutputStream());
    }
    TreeMap<String, byte[]> table = new TreeMap<>();
    if (writeHeader) {
      ByteArrayOutputStream h = new ByteArrayOutputStream();
      tag(h, 1, 0);
      varint(h, numShards);
      tag(h, 3, 2); // version {producer: 1}
      varint(h, 2);
      tag(h, 1, 0);
      varint(h, 1);
      table.put("", h.toByteArray());
    }
    for (Spec s : specs) {
      ByteArrayOutputStream data = shards.get(s.shard());
      long offset = data.size();
      data.write(s.bytes());
      ByteArrayOutputStream e = new ByteArrayOutputStream();
      tag(e, 1, 0);
      varint(e, s.dtype());
      ByteArrayOutputStream shape = new ByteArrayOutputStream();
      for (long d : s.shape()) {
        ByteArrayOutputStream dim = new ByteArrayOutputStream();
        tag(dim, 1, 0);
        varint(dim, d);
        tag(shape, 2, 2);
        varint(shape, dim.size());
        shape.write(dim.toByteArray());
      }
      tag(e, 2, 2);
      varint(e, shape.size());
      e.write(shape.toByteArray());
      if (s.shard() != 0) {
        tag(e, 3, 0);
        varint(e, s.shard());
      }
      if (offset != 0) {
        tag(e, 4, 0);
        varint(e, offset);
      }
      tag(e, 5, 0);
      varint(e, s.bytes().length);
      if (s.withCrc()) {
        CRC32C crc = new CRC32C();
        crc.update(s.bytes());
        tag(e, 6, 5);
        fixed32(e, TfBundleReader.mask((int) crc.getValue()));
      }
      table.put(s.name(), e.toByteArray());
    }
    for (int i = 0; i < numShards; i++) {
      Files.write(
          Path.of(prefix + String.format(".data-%05d-of-%05d", i, numShards)),
          shards.get(i).toByteArray());
    }
    Files.write(Path.of(prefix + ".index"), table(table));
  }

  private byte[] table(TreeMap<String, byte[]> entries) throws IOException {
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    TreeMap<String, byte[]> index = new TreeMap<>();
    List<Map.Entry<String, byte[]>> block = new ArrayList<>();
    int blockBytes = 0;
    for (Map.Entry<String, byte[]> e : entries.entrySet()) {
      block.add(e);
      blockBytes += e.getKey().length() + e.getValue().length + 3;
      if (blockBytes >= blockSize) {
        flush(file, block, index);
        block.clear();
        blockBytes = 0;
      }
    }
    if (!block.isEmpty()) {
      flush(file, block, index);
    }
    long[] meta = writeBlock(file, List.of());
    List<Map.Entry<String, byte[]>> idx = new ArrayList<>(index.entrySet());
    long[] indexHandle = writeBlock(file, idx);
    ByteArrayOutputStream footer = new ByteArrayOutputStream();
    varint(footer, meta[0]);
    varint(footer, meta[1]);
    varint(footer, indexHandle[0]);
    varint(footer, indexHandle[1]);
    while (footer.size() < 40) {
      footer.write(0);
    }
    fixed32(footer, (int) TfBundleReader.TABLE_MAGIC);
    fixed32(footer, (int) (TfBundleReader.TABLE_MAGIC >>> 32));
    file.write(footer.toByteArray());
    return file.toByteArray();
  }

  private void flush(
      ByteArrayOutputStream file,
      List<Map.Entry<String, byte[]>> block,
      TreeMap<String, byte[]> index)
      throws IOException {
    long[] handle = writeBlock(file, block);
    ByteArrayOutputStream h = new ByteArrayOutputStream();
    varint(h, handle[0]);
    varint(h, handle[1]);
    index.put(block.get(block.size() - 1).getKey(), h.toByteArray());
  }

  /** Writes one block with its trailer; returns {offset, size}. */
  private long[] writeBlock(ByteArrayOutputStream file, List<Map.Entry<String, byte[]>> entries)
      throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    List<Integer> restarts = new ArrayList<>();
    byte[] last = new byte[0];
    for (int i = 0; i < entries.size(); i++) {
      byte[] key = entries.get(i).getKey().getBytes(StandardCharsets.UTF_8);
      byte[] value = entries.get(i).getValue();
      int shared = 0;
      if (i % restartInterval == 0) {
        restarts.add(b.size());
      } else {
        while (shared < Math.min(last.length, key.length) && last[shared] == key[shared]) {
          shared++;
        }
      }
      varint(b, shared);
      varint(b, key.length - shared);
      varint(b, value.length);
      b.write(key, shared, key.length - shared);
      b.write(value);
      last = key;
    }
    if (restarts.isEmpty()) {
      restarts.add(0);
    }
    for (int r : restarts) {
      fixed32(b, r);
    }
    fixed32(b, restarts.size());
    byte[] contents = b.toByteArray();
    long offset = file.size();
    file.write(contents);
    file.write(0);
    CRC32C crc = new CRC32C();
    crc.update(contents);
    crc.update(0);
    ByteArrayOutputStream trailer = new ByteArrayOutputStream();
    fixed32(trailer, TfBundleReader.mask((int) crc.getValue()));
    file.write(trailer.toByteArray());
    return new long[] {offset, contents.length};
  }

  private static void tag(ByteArrayOutputStream o, int field, int wire) {
    varint(o, (long) field << 3 | wire);
  }

  private static void varint(ByteArrayOutputStream o, long v) {
    while ((v & ~0x7fL) != 0) {
      o.write((int) ((v & 0x7f) | 0x80));
      v >>>= 7;
    }
    o.write((int) v);
  }

  private static void fixed32(ByteArrayOutputStream o, int v) {
    o.write(v);
    o.write(v >>> 8);
    o.write(v >>> 16);
    o.write(v >>> 24);
  }
}
