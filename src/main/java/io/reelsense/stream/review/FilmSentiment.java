package io.reelsense.stream.review;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Running sentiment of one film: how many reviews were scored, how many positive, and the sum and
 * count of predicted star ratings (reviews scored by a model without a rating head have rating 0
 * and do not count towards the mean).
 */
public record FilmSentiment(long count, long positives, long ratingSum, long rated) {

  public static final FilmSentiment EMPTY = new FilmSentiment(0, 0, 0, 0);

  /** The contribution of one scored review. */
  public static FilmSentiment of(int label, int rating) {
    return new FilmSentiment(1, label == 1 ? 1 : 0, rating > 0 ? rating : 0, rating > 0 ? 1 : 0);
  }

  public FilmSentiment plus(FilmSentiment o) {
    return new FilmSentiment(
        count + o.count, positives + o.positives, ratingSum + o.ratingSum, rated + o.rated);
  }

  /** Share of positive reviews in [0, 1]; 0 when there are none. */
  public double positiveShare() {
    return count == 0 ? 0 : (double) positives / count;
  }

  /** Mean predicted star rating; NaN when no review had a rating. */
  public double meanRating() {
    return rated == 0 ? Double.NaN : (double) ratingSum / rated;
  }

  /** Serde: four big-endian longs. */
  public static Serde<FilmSentiment> serde() {
    Serializer<FilmSentiment> ser =
        (topic, s) ->
            s == null
                ? null
                : ByteBuffer.allocate(32)
                    .putLong(s.count)
                    .putLong(s.positives)
                    .putLong(s.ratingSum)
                    .putLong(s.rated)
                    .array();
    Deserializer<FilmSentiment> de =
        (topic, b) -> {
          if (b == null) {
            return null;
          }
          if (b.length != 32) {
            throw new SerializationException("film sentiment must be 32 bytes, got " + b.length);
          }
          ByteBuffer buf = ByteBuffer.wrap(b);
          return new FilmSentiment(buf.getLong(), buf.getLong(), buf.getLong(), buf.getLong());
        };
    return Serdes.serdeFrom(ser, de);
  }
}
