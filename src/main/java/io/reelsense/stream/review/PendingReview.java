package io.reelsense.stream.review;

import io.reelsense.avro.Review;
import io.reelsense.stream.Origin;
import io.reelsense.stream.StoreSerde;
import org.apache.kafka.common.serialization.Serde;

/**
 * A valid review waiting in the micro-batch buffer, with where it came from (so that a failed batch
 * can dead-letter the original bytes).
 *
 * @param review the decoded review
 * @param receivedAt timestamp of the input record, epoch ms
 * @param bufferedAt wall-clock time it entered the buffer, epoch ms
 * @param origin the input record
 */
public record PendingReview(Review review, long receivedAt, long bufferedAt, Origin origin) {

  private static final byte FORMAT = 1;

  /** Serde of the buffer's values: a versioned binary layout, the review in Avro single-object. */
  public static Serde<PendingReview> serde() {
    return StoreSerde.of(
        "buffered review",
        FORMAT,
        (p, out) -> {
          out.writeLong(p.receivedAt);
          out.writeLong(p.bufferedAt);
          p.origin.write(out);
          StoreSerde.writeAvro(out, p.review.toByteBuffer());
        },
        in -> {
          long receivedAt = in.readLong();
          long bufferedAt = in.readLong();
          Origin origin = Origin.read(in);
          Review review = Review.fromByteBuffer(StoreSerde.readAvro(in));
          return new PendingReview(review, receivedAt, bufferedAt, origin);
        });
  }
}
