package io.reelsense.stream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The envelope of the stream's binary state-store values: null stays null, a leading format byte is
 * written and checked, and I/O failures become {@link SerializationException}s naming the value.
 * Each value class supplies only its fields' layout.
 */
final class StoreSerde {

  private StoreSerde() {}

  /** Writes a value's fields after the format byte. */
  @FunctionalInterface
  interface Writer<T> {
    void write(T value, DataOutputStream out) throws IOException;
  }

  /** Reads a value's fields after the format byte. */
  @FunctionalInterface
  interface Reader<T> {
    T read(DataInputStream in) throws IOException;
  }

  /**
   * The part the layouts of {@link PendingReview} and {@link PendingFilm} share, after their
   * timestamps: where the input record came from (topic, partition, offset, original key and value
   * bytes), then the decoded record in Avro single-object encoding.
   *
   * @param key may be null
   * @param avro the decoded record as its Avro class's {@code toByteBuffer()} writes it
   */
  record Source(
      String topic, int partition, long offset, byte[] key, byte[] value, ByteBuffer avro) {

    void write(DataOutputStream out) throws IOException {
      out.writeUTF(topic);
      out.writeInt(partition);
      out.writeLong(offset);
      writeBytes(out, key);
      writeBytes(out, value);
      byte[] a = new byte[avro.remaining()];
      avro.duplicate().get(a);
      writeBytes(out, a);
    }

    static Source read(DataInputStream in) throws IOException {
      String topic = in.readUTF();
      int partition = in.readInt();
      long offset = in.readLong();
      byte[] key = readBytes(in);
      byte[] value = readBytes(in);
      return new Source(topic, partition, offset, key, value, ByteBuffer.wrap(readBytes(in)));
    }
  }

  /** Writes a length (-1 for null) and the bytes. */
  private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
    if (b == null) {
      out.writeInt(-1);
    } else {
      out.writeInt(b.length);
      out.write(b);
    }
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      return null;
    }
    byte[] b = new byte[n];
    in.readFully(b);
    return b;
  }

  /**
   * A serde of values in format {@code format}.
   *
   * @param what the value's name in error messages ("film vector")
   */
  static <T> Serde<T> of(String what, byte format, Writer<T> writer, Reader<T> reader) {
    return Serdes.serdeFrom(
        (topic, value) -> {
          if (value == null) {
            return null;
          }
          try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(format);
            writer.write(value, out);
            out.flush();
            return bytes.toByteArray();
          } catch (IOException e) {
            throw new SerializationException("cannot encode " + what, e);
          }
        },
        (topic, data) -> {
          if (data == null) {
            return null;
          }
          try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
            byte found = in.readByte();
            if (found != format) {
              throw new SerializationException("unknown " + what + " format " + found);
            }
            return reader.read(in);
          } catch (IOException | IndexOutOfBoundsException e) {
            throw new SerializationException("cannot decode " + what, e);
          }
        });
  }
}
