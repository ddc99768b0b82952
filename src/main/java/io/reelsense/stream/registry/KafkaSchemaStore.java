package io.reelsense.stream.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SchemaStore} in a compacted, single-partition Kafka topic ({@value #DEFAULT_TOPIC} by
 * default, as Confluent's registry), with Confluent's key and value JSON ({@link StoreRecord}). The
 * schemas live as long as the broker's log: a registry started again on the same topic answers with
 * the same ids, and several registries reading one topic agree on them.
 *
 * <p>{@link #poll()} reads up to the partition's end offset as it is when called, and at least
 * through this store's own last write, so a registry sees what others wrote before it asked and
 * always sees its own writes (as Confluent's store waits until its reader has consumed the offset
 * of its write).
 */
public final class KafkaSchemaStore implements SchemaStore {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaSchemaStore.class);

  /** Confluent's default topic name ({@code kafkastore.topic}). */
  public static final String DEFAULT_TOPIC = "_schemas";

  private final String bootstrap;
  private final TopicPartition partition;
  private final Duration timeout;
  private final KafkaProducer<byte[], byte[]> producer;
  private final KafkaConsumer<byte[], byte[]> consumer;

  /** One past the offset of this store's last write: {@link #poll()} reads at least this far. */
  private long ownEnd;

  private KafkaSchemaStore(
      String bootstrap, String topic, Map<String, Object> clientConfig, Duration timeout) {
    this.bootstrap = bootstrap;
    this.partition = new TopicPartition(topic, 0);
    this.timeout = timeout;
    Map<String, Object> common = new HashMap<>(clientConfig);
    common.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    ensureTopic(common, topic, timeout);
    Map<String, Object> producerConfig = new HashMap<>(common);
    producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
    producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, "schema-registry-store-producer");
    Map<String, Object> consumerConfig = new HashMap<>(common);
    consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, "schema-registry-store-reader");
    KafkaProducer<byte[], byte[]> p = null;
    try {
      p = new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
      this.consumer =
          new KafkaConsumer<>(
              consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    } catch (KafkaException e) {
      if (p != null) {
        p.close(Duration.ZERO);
      }
      throw new IllegalStateException(
          "cannot open the schema topic " + topic + " on " + bootstrap + ": " + e.getMessage(), e);
    }
    this.producer = p;
    consumer.assign(List.of(partition));
    consumer.seekToBeginning(List.of(partition));
  }

  /**
   * Opens the store in {@code topic} on the cluster at {@code bootstrap}, creating the topic
   * (compacted, one partition) when missing; {@code clientConfig} adds client settings (security).
   *
   * @throws IllegalStateException when the cluster cannot be reached within {@code timeout} or the
   *     topic has more than one partition
   */
  public static KafkaSchemaStore open(
      String bootstrap, String topic, Map<String, Object> clientConfig, Duration timeout) {
    return new KafkaSchemaStore(bootstrap, topic, clientConfig, timeout);
  }

  /** The store in {@value #DEFAULT_TOPIC} on {@code bootstrap}, 30 s to reach it. */
  public static KafkaSchemaStore open(String bootstrap) {
    return open(bootstrap, DEFAULT_TOPIC, Map.of(), Duration.ofSeconds(30));
  }

  private static void ensureTopic(Map<String, Object> config, String topic, Duration timeout) {
    try (Admin admin = Admin.create(config)) {
      int brokers =
          admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
      NewTopic create =
          new NewTopic(topic, 1, (short) Math.max(1, Math.min(3, brokers)))
              .configs(
                  Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
      try {
        admin.createTopics(List.of(create)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("created the compacted schema topic {}", topic);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
      TopicDescription description =
          admin
              .describeTopics(List.of(topic))
              .allTopicNames()
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
              .get(topic);
      if (description.partitions().size() != 1) {
        throw new IllegalStateException(
            "the schema topic "
                + topic
                + " has "
                + description.partitions().size()
                + " partitions; it needs exactly one so every registry reads it in one order");
      }
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new IllegalStateException(
          "cannot set up the schema topic " + topic + ": " + cause, cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted setting up the schema topic " + topic, e);
    }
  }

  @Override
  public synchronized List<StoreRecord> poll() {
    List<StoreRecord> records = new ArrayList<>();
    try {
      long end = Math.max(ownEnd, consumer.endOffsets(Set.of(partition), timeout).get(partition));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (consumer.position(partition, timeout) < end) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "the schema topic "
                  + partition.topic()
                  + " was not read to offset "
                  + end
                  + " within "
                  + timeout.toSeconds()
                  + " s");
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          decode(record).ifPresent(records::add);
        }
      }
    } catch (KafkaException e) {
      throw new IllegalStateException(
          "cannot read the schema topic " + partition.topic() + ": " + e.getMessage(), e);
    }
    return records;
  }

  private static Optional<StoreRecord> decode(ConsumerRecord<byte[], byte[]> record) {
    if (record.key() == null) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(StoreRecord.decode(record.key(), record.value()));
    } catch (IllegalArgumentException e) {
      LOG.warn(
          "skipping unreadable entry at offset {} of {}: {}",
          record.offset(),
          record.topic(),
          e.getMessage());
      return Optional.empty();
    }
  }

  @Override
  public synchronized void append(StoreRecord record) {
    try {
      RecordMetadata written =
          producer
              .send(new ProducerRecord<>(partition.topic(), 0, record.key(), record.value()))
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      ownEnd = Math.max(ownEnd, written.offset() + 1);
    } catch (ExecutionException | TimeoutException | KafkaException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new IllegalStateException(
          "cannot write to the schema topic " + partition.topic() + ": " + cause, cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted writing the schema topic", e);
    }
  }

  @Override
  public String describe() {
    return "topic " + partition.topic() + " on " + bootstrap;
  }

  @Override
  public synchronized void close() {
    try {
      producer.close(Duration.ofSeconds(5));
    } finally {
      consumer.close();
    }
  }
}
