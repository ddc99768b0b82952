package io.reelsense.eval;

import io.reelsense.avro.DeadLetter;
import io.reelsense.avro.ScoredReview;
import io.reelsense.stream.ReelsenseConfig;
import io.reelsense.stream.registry.AvroSerdes;
import io.reelsense.stream.registry.SchemaRegistryClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads the topology's outputs, {@code reviews-scored} and/or {@code reviews-dlq}, with {@code
 * isolation.level=read_committed} (only what the exactly-once topology committed), from every
 * partition, without a consumer group. Values are decoded with the schema registry's serde; a
 * record that cannot be decoded is returned as {@link Unreadable} instead of stopping the reader.
 */
public final class OutputReader implements AutoCloseable {

  /** Where reading starts. */
  public enum Start {
    /** The oldest record still in the topics. */
    BEGINNING,
    /** Only records committed after the reader opened. */
    END
  }

  /** One record read. */
  public sealed interface Output permits Score, Letter, Unreadable {
    /** When the reader received it (epoch ms). */
    long consumedAtMs();
  }

  /** A score from {@code reviews-scored}. */
  public record Score(
      ScoredReview value,
      String topic,
      int partition,
      long offset,
      long timestamp,
      long consumedAtMs)
      implements Output {}

  /** A dead letter from {@code reviews-dlq}; {@code key} is the original key as UTF-8, or null. */
  public record Letter(
      String key,
      DeadLetter value,
      String topic,
      int partition,
      long offset,
      long timestamp,
      long consumedAtMs)
      implements Output {}

  /** A record whose value could not be decoded. */
  public record Unreadable(
      String topic, int partition, long offset, String reason, long consumedAtMs)
      implements Output {}

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String scoredTopic;
  private final Deserializer<ScoredReview> scores;
  private final Deserializer<DeadLetter> letters;

  private OutputReader(
      KafkaConsumer<byte[], byte[]> consumer,
      String scoredTopic,
      Deserializer<ScoredReview> scores,
      Deserializer<DeadLetter> letters) {
    this.consumer = consumer;
    this.scoredTopic = scoredTopic;
    this.scores = scores;
    this.letters = letters;
  }

  /**
   * Opens a reader of the scored topic and, with {@code withDlq}, the dead-letter topic.
   *
   * @throws EvalException when the cluster does not answer within {@code timeout} or a topic is
   *     missing
   */
  public static OutputReader open(
      ReelsenseConfig config, boolean withScored, boolean withDlq, Start start, Duration timeout) {
    List<String> topics = new ArrayList<>();
    if (withScored) {
      topics.add(config.topics().reviewsScored());
    }
    if (withDlq) {
      topics.add(config.topics().reviewsDlq());
    }
    if (topics.isEmpty()) {
      throw new IllegalArgumentException("read at least one of the scored and dead-letter topics");
    }
    List<TopicPartition> partitions = Cluster.partitions(config, topics, timeout);
    SchemaRegistryClient registry = SchemaRegistryClient.fromConfig(config.registryProperties());
    Map<String, Object> props = config.clientProperties();
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "reelsense-reader");
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    try {
      consumer.assign(partitions);
      if (start == Start.END) {
        consumer.seekToEnd(partitions);
        // positions are resolved lazily: fix them now, before anything is sent
        partitions.forEach(p -> consumer.position(p, timeout));
      } else {
        consumer.seekToBeginning(partitions);
      }
    } catch (RuntimeException e) {
      consumer.close();
      throw e;
    }
    return new OutputReader(
        consumer,
        config.topics().reviewsScored(),
        AvroSerdes.specific(registry, ScoredReview.class, false).deserializer(),
        AvroSerdes.specific(registry, DeadLetter.class, false).deserializer());
  }

  /**
   * Waits up to {@code timeout} for records and returns what arrived (possibly nothing); returns
   * early, empty, after {@link #wakeup()}.
   */
  public List<Output> poll(Duration timeout) {
    List<Output> out = new ArrayList<>();
    try {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(timeout)) {
        long now = System.currentTimeMillis();
        try {
          if (r.topic().equals(scoredTopic)) {
            ScoredReview s = scores.deserialize(r.topic(), r.value());
            out.add(new Score(s, r.topic(), r.partition(), r.offset(), r.timestamp(), now));
          } else {
            DeadLetter d = letters.deserialize(r.topic(), r.value());
            String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
            out.add(new Letter(key, d, r.topic(), r.partition(), r.offset(), r.timestamp(), now));
          }
        } catch (RuntimeException e) {
          out.add(new Unreadable(r.topic(), r.partition(), r.offset(), String.valueOf(e), now));
        }
      }
    } catch (WakeupException e) {
      return out;
    }
    return out;
  }

  /** Makes a blocked {@link #poll} return at once (callable from any thread). */
  public void wakeup() {
    consumer.wakeup();
  }

  @Override
  public void close() {
    consumer.close();
  }
}
