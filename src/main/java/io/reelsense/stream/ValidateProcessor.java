package io.reelsense.stream;

import io.reelsense.avro.Review;
import io.reelsense.stream.registry.SchemaRegistryException;
import io.reelsense.stream.registry.WireFormatException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * First stage: takes the raw bytes of a review record, decodes them (Confluent wire format + Avro)
 * and checks the review; forwards {@link StageOutput.Accepted} keyed by review id, or {@link
 * StageOutput.Rejected} with the stage and reason. Bad bytes never throw: they become dead letters.
 *
 * <p>Records whose bytes are bad ({@link WireFormatException}: unknown magic byte or schema id,
 * truncated or malformed Avro, incompatible schema) are dead-lettered with the exception's reason.
 * Only a failure of the schema registry itself (a {@link SchemaRegistryException}, a socket error
 * or a timeout in the cause chain) is thrown, because it says nothing about the record: the stream
 * thread fails, is replaced, and resumes from the last committed offset.
 */
final class ValidateProcessor implements Processor<byte[], byte[], String, StageOutput> {

  /** Size of the Confluent wire-format header: magic byte + 4-byte schema id. */
  static final int WIRE_HEADER = 5;

  private final Deserializer<Review> deserializer;
  private final int maxChars;
  private final StreamMetrics metrics;
  private ProcessorContext<String, StageOutput> context;

  ValidateProcessor(Deserializer<Review> deserializer, int maxChars, StreamMetrics metrics) {
    this.deserializer = deserializer;
    this.maxChars = maxChars;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, StageOutput> context) {
    this.context = context;
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    metrics.received();
    RecordMetadata md = context.recordMetadata().orElse(null);
    String topic = md == null ? "" : md.topic();
    int partition = md == null ? -1 : md.partition();
    long offset = md == null ? -1 : md.offset();
    byte[] value = record.value();
    String stage = DeadLetters.STAGE_DESERIALIZE;
    Decoded<Review> decoded = decode(deserializer, topic, record.headers(), value, "review");
    Review review = decoded.value();
    String problem = decoded.problem();
    if (review != null) {
      stage = DeadLetters.STAGE_VALIDATE;
      problem = check(review);
    }
    long now = context.currentSystemTimeMs();
    if (problem != null) {
      context.forward(
          record
              .withKey(review == null ? null : review.getReviewId())
              .withValue(
                  new StageOutput.Rejected(
                      DeadLetters.of(
                          topic, partition, offset, stage, problem, record.key(), value, now))));
      return;
    }
    PendingReview pending =
        new PendingReview(
            review, record.timestamp(), now, topic, partition, offset, record.key(), value);
    context.forward(
        record.withKey(review.getReviewId()).withValue(new StageOutput.Accepted(pending)));
  }

  private String check(Review review) {
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

  /** A record value decoded from the Confluent wire format, or why it could not be. */
  record Decoded<T>(T value, String problem) {}

  /**
   * Checks the wire-format envelope (present, magic byte 0, long enough for the schema id) and
   * deserializes; the review and the film validators share it. A failure of the registry or the
   * network is thrown, since it says nothing about the record.
   *
   * @param noun what the value holds, for the message when the deserializer returns nothing
   */
  static <T> Decoded<T> decode(
      Deserializer<T> deserializer, String topic, Headers headers, byte[] value, String noun) {
    if (value == null || value.length == 0) {
      return new Decoded<>(
          null, value == null ? "null value (tombstone)" : "empty value (0 bytes)");
    }
    if (value[0] != 0) {
      return new Decoded<>(
          null,
          String.format(
              "unknown magic byte 0x%02x (expected 0x00 of the Confluent wire format)",
              value[0] & 0xff));
    }
    if (value.length < WIRE_HEADER) {
      return new Decoded<>(
          null,
          "value of "
              + value.length
              + " bytes is too short for the Confluent wire format (magic + 4-byte schema id)");
    }
    try {
      T decoded = deserializer.deserialize(topic, headers, value);
      return decoded == null
          ? new Decoded<>(null, "the deserializer returned no " + noun)
          : new Decoded<>(decoded, null);
    } catch (WireFormatException e) {
      return new Decoded<>(null, e.reason());
    } catch (RuntimeException e) {
      if (isInfrastructure(e)) {
        throw e;
      }
      return new Decoded<>(null, DeadLetters.reason(e));
    }
  }

  /** A failure of the schema registry or the network, which says nothing about the record. */
  static boolean isInfrastructure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SchemaRegistryException
          || t instanceof SocketException
          || t instanceof SocketTimeoutException
          || t instanceof UnknownHostException
          || t instanceof HttpTimeoutException) {
        return true;
      }
    }
    return false;
  }
}
