package io.reelsense.stream.review;

import io.reelsense.avro.DeadLetter;
import io.reelsense.avro.Review;
import io.reelsense.stream.AbstractValidateProcessor;
import io.reelsense.stream.DeadLetters;
import io.reelsense.stream.Origin;
import io.reelsense.stream.serve.StreamMetrics;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * First stage of the review sub-topology: takes the raw bytes of a review record, decodes them
 * (Confluent wire format + Avro) and checks the review; forwards {@link StageOutput.Accepted} keyed
 * by review id, or {@link StageOutput.Rejected} with the stage and reason. Bad bytes never throw:
 * they become dead letters (see {@link AbstractValidateProcessor}).
 */
final class ValidateProcessor extends AbstractValidateProcessor<Review, StageOutput> {

  private final int maxChars;

  ValidateProcessor(Deserializer<Review> deserializer, int maxChars, StreamMetrics metrics) {
    super(
        deserializer, metrics, "review", DeadLetters.STAGE_DESERIALIZE, DeadLetters.STAGE_VALIDATE);
    this.maxChars = maxChars;
  }

  @Override
  protected String id(Review review) {
    return review.getReviewId();
  }

  @Override
  protected String check(Review review) {
    if (review.getReviewId() == null || review.getReviewId().isBlank()) {
      return "empty review_id";
    }
    String text = review.getText();
    if (text == null || text.isBlank()) {
      return "empty or whitespace-only text";
    }
    if (text.length() > maxChars) {
      return "text has " + text.length() + " characters, more than max.review.chars=" + maxChars;
    }
    return null;
  }

  @Override
  protected StageOutput accepted(Review review, long receivedAt, long now, Origin origin) {
    return new StageOutput.Accepted(new PendingReview(review, receivedAt, now, origin));
  }

  @Override
  protected StageOutput rejected(DeadLetter letter) {
    return new StageOutput.Rejected(letter);
  }
}
