package io.reelsense.stream;

import io.reelsense.avro.Film;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A valid film on its way to the embedder (through the single-partition repartition topic and the
 * film micro-batch buffer), with where it came from, so that a failed batch can dead-letter the
 * original bytes.
 *
 * @param film the decoded film
 * @param bufferedAt wall-clock time it was accepted, epoch ms
 * @param topic input topic
 * @param partition input partition
 * @param offset input offset
 * @param key original key bytes, may be null
 * @param value original value bytes
 */
public record PendingFilm(
    Film film,
    long bufferedAt,
    String topic,
    int partition,
    long offset,
    byte[] key,
    byte[] value) {

  private static final byte FORMAT = 1;

  /** Serde of the repartition topic and the buffer: a versioned binary layout. */
  public static Serde<PendingFilm> serde() {
    return Serdes.serdeFrom(new PendingFilmSerializer(), new PendingFilmDeserializer());
  }

  private static final class PendingFilmSerializer implements Serializer<PendingFilm> {
    @Override
    public byte[] serialize(String topic, PendingFilm p) {
      if (p == null) {
        return null;
      }
      try {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte(FORMAT);
        out.writeLong(p.bufferedAt);
        out.writeUTF(p.topic);
        out.writeInt(p.partition);
        out.writeLong(p.offset);
        writeBytes(out, p.key);
        writeBytes(out, p.value);
        ByteBuffer film = p.film.toByteBuffer();
        byte[] f = new byte[film.remaining()];
        film.get(f);
        writeBytes(out, f);
        out.flush();
        return bytes.toByteArray();
      } catch (IOException e) {
        throw new SerializationException("cannot encode pending film", e);
      }
    }
  }

  private static final class PendingFilmDeserializer implements Deserializer<PendingFilm> {
    @Override
    public PendingFilm deserialize(String topic, byte[] data) {
      if (data == null) {
        return null;
      }
      try {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
        byte format = in.readByte();
        if (format != FORMAT) {
          throw new SerializationException("unknown pending-film format " + format);
        }
        long bufferedAt = in.readLong();
        String t = in.readUTF();
        int partition = in.readInt();
        long offset = in.readLong();
        byte[] key = readBytes(in);
        byte[] value = readBytes(in);
        Film film = Film.fromByteBuffer(ByteBuffer.wrap(readBytes(in)));
        return new PendingFilm(film, bufferedAt, t, partition, offset, key, value);
      } catch (IOException e) {
        throw new SerializationException("cannot decode pending film", e);
      }
    }
  }

  static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
    if (b == null) {
      out.writeInt(-1);
    } else {
      out.writeInt(b.length);
      out.write(b);
    }
  }

  static byte[] readBytes(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      return null;
    }
    byte[] b = new byte[n];
    in.readFully(b);
    return b;
  }
}
