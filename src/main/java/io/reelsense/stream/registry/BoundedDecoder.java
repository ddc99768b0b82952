package io.reelsense.stream.registry;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.util.Utf8;

/**
 * Avro's binary decoder over one payload, refusing lengths and counts the payload cannot hold
 * <em>before</em> anything is allocated.
 *
 * <p>Avro allocates a string, byte array or array block by the length it reads, so seven hostile
 * bytes claiming a 1 GB string cost 1 GB of heap (and a block of 2^30 array items, more than a 4 GB
 * heap) before the decoder notices the payload is short. Here a string or bytes length greater than
 * the bytes left is a {@link EOFException} (a truncated payload), and so is an array or map block
 * claiming more items than bytes left: every item of reelsense's schemas takes at least one byte
 * (arrays of {@code null} or of empty records, which take none, are the only values this refuses
 * wrongly; no reelsense schema has them).
 */
final class BoundedDecoder extends Decoder {

  private final Slice in;
  private final BinaryDecoder binary;

  BoundedDecoder(byte[] data, int offset, int length) {
    this.in = new Slice(data, offset, length);
    this.binary = DecoderFactory.get().directBinaryDecoder(in, null);
  }

  /** Whether every byte has been read. */
  boolean isEnd() {
    return in.available() == 0;
  }

  /** Bytes not read yet. */
  int remaining() {
    return in.available();
  }

  private int length(long length, String what) throws IOException {
    if (length < 0) {
      throw new IOException("negative " + what + " length " + length);
    }
    if (length > in.available()) {
      throw new EOFException(
          what + " of " + length + " bytes but only " + in.available() + " bytes left");
    }
    return (int) length;
  }

  private long count(long count) throws IOException {
    if (count > in.available()) {
      throw new EOFException(
          "block of " + count + " items but only " + in.available() + " bytes left");
    }
    return count;
  }

  @Override
  public void readNull() throws IOException {
    binary.readNull();
  }

  @Override
  public boolean readBoolean() throws IOException {
    return binary.readBoolean();
  }

  @Override
  public int readInt() throws IOException {
    return binary.readInt();
  }

  @Override
  public long readLong() throws IOException {
    return binary.readLong();
  }

  @Override
  public float readFloat() throws IOException {
    return binary.readFloat();
  }

  @Override
  public double readDouble() throws IOException {
    return binary.readDouble();
  }

  @Override
  public Utf8 readString(Utf8 old) throws IOException {
    int length = length(binary.readLong(), "string");
    Utf8 result = old != null ? old : new Utf8();
    result.setByteLength(length);
    binary.readFixed(result.getBytes(), 0, length);
    return result;
  }

  @Override
  public String readString() throws IOException {
    int length = length(binary.readLong(), "string");
    byte[] bytes = new byte[length];
    binary.readFixed(bytes, 0, length);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public void skipString() throws IOException {
    binary.skipFixed(length(binary.readLong(), "string"));
  }

  @Override
  public ByteBuffer readBytes(ByteBuffer old) throws IOException {
    int length = length(binary.readLong(), "bytes");
    byte[] bytes = new byte[length];
    binary.readFixed(bytes, 0, length);
    return ByteBuffer.wrap(bytes);
  }

  @Override
  public void skipBytes() throws IOException {
    binary.skipFixed(length(binary.readLong(), "bytes"));
  }

  @Override
  public void readFixed(byte[] bytes, int start, int length) throws IOException {
    binary.readFixed(bytes, start, length(length, "fixed"));
  }

  @Override
  public void skipFixed(int length) throws IOException {
    binary.skipFixed(length(length, "fixed"));
  }

  @Override
  public int readEnum() throws IOException {
    return binary.readEnum();
  }

  @Override
  public long readArrayStart() throws IOException {
    return count(binary.readArrayStart());
  }

  @Override
  public long arrayNext() throws IOException {
    return count(binary.arrayNext());
  }

  @Override
  public long skipArray() throws IOException {
    return count(binary.skipArray());
  }

  @Override
  public long readMapStart() throws IOException {
    return count(binary.readMapStart());
  }

  @Override
  public long mapNext() throws IOException {
    return count(binary.mapNext());
  }

  @Override
  public long skipMap() throws IOException {
    return count(binary.skipMap());
  }

  @Override
  public int readIndex() throws IOException {
    return binary.readIndex();
  }

  /** An unsynchronized input stream over a slice of a byte array. */
  private static final class Slice extends InputStream {
    private final byte[] data;
    private int pos;
    private final int end;

    Slice(byte[] data, int offset, int length) {
      this.data = data;
      this.pos = offset;
      this.end = offset + length;
    }

    @Override
    public int read() {
      return pos < end ? data[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      if (pos >= end) {
        return -1;
      }
      int n = Math.min(len, end - pos);
      System.arraycopy(data, pos, b, off, n);
      pos += n;
      return n;
    }

    @Override
    public long skip(long n) {
      long skipped = Math.max(0, Math.min(n, end - pos));
      pos += (int) skipped;
      return skipped;
    }

    @Override
    public int available() {
      return end - pos;
    }
  }
}
