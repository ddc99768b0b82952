package io.reelsense.stream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
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
