package io.reelsense.stream;

import io.reelsense.avro.Review;
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
 * A valid review waiting in the micro-batch buffer, with where it came from (so that a failed batch
 * can dead-letter the original bytes).
 *
 * @param review the decoded review
 * @param receivedAt timestamp of the input record, epoch ms
 * @param bufferedAt wall-clock time it entered the buffer, epoch ms
 * @param topic input topic
 * @param partition input partition
 * @param offset input offset
 * @param key original key bytes, may be null
 * @param value original value bytes
 */
public record PendingReview(
    Review review,
    long receivedAt,
    long bufferedAt,
    String topic,
    int partition,
    long offset,
    byte[] key,
    byte[] value) {

  private static final byte FORMAT = 1;

  /** Serde of the buffer's values: a versioned binary layout, the review in Avro single-object. */
  public static Serde<PendingReview> serde() {
    return Serdes.serdeFrom(new PendingSerializer(), new PendingDeserializer());
  }

  private static final class PendingSerializer implements Serializer<PendingReview> {
    @Override
    public byte[] serialize(String topic, PendingReview p) {
      if (p == null) {
        return null;
      }
      try {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + p.value.length * 2);
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte(FORMAT);
        out.writeLong(p.receivedAt);
        out.writeLong(p.bufferedAt);
        out.writeUTF(p.topic);
        out.writeInt(p.partition);
        out.writeLong(p.offset);
        writeBytes(out, p.key);
        writeBytes(out, p.value);
        ByteBuffer review = p.review.toByteBuffer();
        byte[] r = new byte[review.remaining()];
        review.get(r);
        writeBytes(out, r);
        out.flush();
        return bytes.toByteArray();
      } catch (IOException e) {
        throw new SerializationException("cannot encode buffered review", e);
      }
    }
  }

  private static final class PendingDeserializer implements Deserializer<PendingReview> {
    @Override
    public PendingReview deserialize(String topic, byte[] data) {
      if (data == null) {
        return null;
      }
      try {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
        byte format = in.readByte();
        if (format != FORMAT) {
          throw new SerializationException("unknown buffered-review format " + format);
        }
        long receivedAt = in.readLong();
        long bufferedAt = in.readLong();
        String t = in.readUTF();
        int partition = in.readInt();
        long offset = in.readLong();
        byte[] key = readBytes(in);
        byte[] value = readBytes(in);
        Review review = Review.fromByteBuffer(ByteBuffer.wrap(readBytes(in)));
        return new PendingReview(review, receivedAt, bufferedAt, t, partition, offset, key, value);
      } catch (IOException e) {
        throw new SerializationException("cannot decode buffered review", e);
      }
    }
  }

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
}
