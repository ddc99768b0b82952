package io.reelsense.model.weights;

import java.nio.charset.StandardCharsets;

/**
 * A cursor over protobuf wire-format bytes (and the varints of LevelDB tables): just enough to read
 * the few small messages of a TensorFlow tensor bundle without generated classes.
 */
final class ProtoWire {

  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LENGTH_DELIMITED = 2;
  static final int FIXED32 = 5;

  private final byte[] buf;
  private int pos;
  private final int limit;

  ProtoWire(byte[] buf, int offset, int length) {
    if (offset < 0 || length < 0 || offset + length > buf.length) {
      throw new IllegalArgumentException("range " + offset + "+" + length + " outside the buffer");
    }
    this.buf = buf;
    this.pos = offset;
    this.limit = offset + length;
  }

  boolean hasMore() {
    return pos < limit;
  }

  int position() {
    return pos;
  }

  /** Next tag as {@code field << 3 | wireType}. */
  int tag() {
    long t = varint();
    if (t <= 0 || t > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("bad protobuf tag " + t + " at byte " + pos);
    }
    return (int) t;
  }

  long varint() {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= limit) {
        throw new IllegalArgumentException("varint runs past the end at byte " + pos);
      }
      byte b = buf[pos++];
      v |= (long) (b & 0x7f) << shift;
      if (b >= 0) {
        return v;
      }
    }
    throw new IllegalArgumentException("varint longer than 10 bytes at byte " + pos);
  }

  int varint32() {
    long v = varint();
    if (v < 0 || v > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("varint " + v + " out of range at byte " + pos);
    }
    return (int) v;
  }

  int fixed32() {
    need(4);
    int v =
        (buf[pos] & 0xff)
            | (buf[pos + 1] & 0xff) << 8
            | (buf[pos + 2] & 0xff) << 16
            | (buf[pos + 3] & 0xff) << 24;
    pos += 4;
    return v;
  }

  long fixed64() {
    long lo = fixed32() & 0xffffffffL;
    long hi = fixed32() & 0xffffffffL;
    return lo | hi << 32;
  }

  /** A length-delimited field's bytes, as a cursor of their own. */
  ProtoWire message() {
    int n = varint32();
    need(n);
    ProtoWire sub = new ProtoWire(buf, pos, n);
    pos += n;
    return sub;
  }

  String string() {
    int n = varint32();
    need(n);
    String s = new String(buf, pos, n, StandardCharsets.UTF_8);
    pos += n;
    return s;
  }

  byte[] bytes(int n) {
    need(n);
    byte[] out = new byte[n];
    System.arraycopy(buf, pos, out, 0, n);
    pos += n;
    return out;
  }

  void skip(int wireType) {
    switch (wireType) {
      case VARINT -> varint();
      case FIXED64 -> skipBytes(8);
      case LENGTH_DELIMITED -> skipBytes(varint32());
      case FIXED32 -> skipBytes(4);
      default ->
          throw new IllegalArgumentException(
              "unsupported protobuf wire type " + wireType + " at byte " + pos);
    }
  }

  private void skipBytes(int n) {
    need(n);
    pos += n;
  }

  private void need(int n) {
    if (n < 0 || pos + n > limit) {
      throw new IllegalArgumentException(
          "field of " + n + " bytes runs past the end (" + (limit - pos) + " left) at byte " + pos);
    }
  }
}
