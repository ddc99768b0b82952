package io.reelsense.eval;

import io.reelsense.avro.Review;
import io.reelsense.stream.ReelsenseConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Sends Avro {@link Review}s to the reviews topic, keyed by review id, through the schema
 * registry's serde (Confluent wire format; the schema is registered on first use). Idempotent, acks
 * from all in-sync replicas. Each record's timestamp is given by the caller (the send time, from
 * which the replay measures latency).
 */
public final class ReviewSender implements AutoCloseable {

  private final KafkaProducer<String, Review> producer;
  private final String topic;

  private ReviewSender(KafkaProducer<String, Review> producer, String topic) {
    this.producer = producer;
    this.topic = topic;
  }

  /**
   * A sender to {@code config}'s reviews topic; checks first that the cluster answers and the topic
   * exists.
   *
   * @throws EvalException when it does not
   */
  public static ReviewSender open(ReelsenseConfig config, Duration timeout) {
    String topic = config.topics().reviews();
    return new ReviewSender(
        AvroProducers.open(
            config,
            topic,
            Review.class,
            timeout,
            Map.of(
                ProducerConfig.LINGER_MS_CONFIG,
                5,
                ProducerConfig.BATCH_SIZE_CONFIG,
                128 * 1024,
                ProducerConfig.CLIENT_ID_CONFIG,
                "reelsense-sender")),
        topic);
  }

  /** The topic it sends to. */
  public String topic() {
    return topic;
  }

  /** Sends one review with the record timestamp {@code timestampMs}. */
  public Future<RecordMetadata> send(Review review, long timestampMs) {
    return producer.send(
        new ProducerRecord<>(topic, null, timestampMs, review.getReviewId(), review));
  }

  /** Sends one review now and waits for the broker's acknowledgement. */
  public RecordMetadata sendAndWait(Review review) {
    try {
      return send(review, System.currentTimeMillis()).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EvalException("interrupted while sending " + review.getReviewId(), e);
    } catch (ExecutionException e) {
      throw new EvalException(
          "cannot send review " + review.getReviewId() + " to " + topic + ": " + e.getCause(),
          e.getCause());
    }
  }

  /**
   * Sends reviews, each with the current time as its record timestamp, and waits until every one is
   * acknowledged.
   *
   * @throws EvalException naming the first review the broker did not take, and why
   */
  public void sendAll(List<Review> reviews) {
    List<Future<RecordMetadata>> acks = new ArrayList<>(reviews.size());
    for (Review r : reviews) {
      acks.add(send(r, System.currentTimeMillis()));
    }
    flush();
    for (int i = 0; i < acks.size(); i++) {
      try {
        acks.get(i).get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new EvalException("interrupted while sending " + reviews.get(i).getReviewId(), e);
      } catch (ExecutionException e) {
        throw new EvalException(
            "cannot send review " + reviews.get(i).getReviewId() + ": " + e.getCause().getMessage(),
            e.getCause());
      }
    }
  }

  /** Waits until every sent review is acknowledged. */
  public void flush() {
    producer.flush();
  }

  /**
   * An Avro review from its parts; {@code filmId}, {@code source} and {@code eventTime} optional.
   */
  public static Review review(
      String id, String filmId, String text, String source, Instant eventTime) {
    return Review.newBuilder()
        .setReviewId(id)
        .setFilmId(filmId)
        .setText(text)
        .setSource(source)
        .setEventTime(eventTime)
        .build();
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(30));
  }
}
