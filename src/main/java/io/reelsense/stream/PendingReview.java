package io.reelsense.stream;

import io.reelsense.avro.Review;
import org.apache.kafka.common.serialization.Serde;

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
    return StoreSerde.of(
        "buffered review",
        FORMAT,
        (p, out) -> {
          out.writeLong(p.receivedAt);
          out.writeLong(p.bufferedAt);
          new StoreSerde.Source(
                  p.topic, p.partition, p.offset, p.key, p.value, p.review.toByteBuffer())
              .write(out);
        },
        in -> {
          long receivedAt = in.readLong();
          long bufferedAt = in.readLong();
          StoreSerde.Source s = StoreSerde.Source.read(in);
          return new PendingReview(
              Review.fromByteBuffer(s.avro()),
              receivedAt,
              bufferedAt,
              s.topic(),
              s.partition(),
              s.offset(),
              s.key(),
              s.value());
        });
  }
}
