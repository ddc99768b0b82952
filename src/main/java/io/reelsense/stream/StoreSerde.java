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
public final class StoreSerde {

  private StoreSerde() {}

  /** Writes a value's fields after the format byte. */
  @FunctionalInterface
  public interface Writer<T> {
    void write(T value, DataOutputStream out) throws IOException;
  }

  /** Reads a value's fields after the format byte. */
  @FunctionalInterface
  public interface Reader<T> {
    T read(DataInputStream in) throws IOException;
  }

  /** Writes an Avro record's single-object encoding ({@code toByteBuffer()}) as bytes. */
  public static void writeAvro(DataOutputStream out, ByteBuffer encoded) throws IOException {
    byte[] b = new byte[encoded.remaining()];
    encoded.duplicate().get(b);
    writeBytes(out, b);
  }

  /** Reads what {@link #writeAvro} wrote, for the Avro class's {@code fromByteBuffer}. */
  public static ByteBuffer readAvro(DataInputStream in) throws IOException {
    return ByteBuffer.wrap(readBytes(in));
  }

  /** Writes a length (-1 for null) and the bytes. */
  public static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
    if (b == null) {
      out.writeInt(-1);
    } else {
      out.writeInt(b.length);
      out.write(b);
    }
  }

  /** Reads what {@link #writeBytes} wrote. */
  public static byte[] readBytes(DataInputStream in) throws IOException {
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
  public static <T> Serde<T> of(String what, byte format, Writer<T> writer, Reader<T> reader) {
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
