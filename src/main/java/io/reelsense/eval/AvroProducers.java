package io.reelsense.eval;

import io.reelsense.stream.ReelsenseConfig;
import io.reelsense.stream.Topics;
import io.reelsense.stream.registry.AvroSerdes;
import io.reelsense.stream.registry.SchemaRegistryClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The producer the senders share: the topics' own key serde, Avro values through the schema
 * registry's serde (Confluent wire format, the schema registered on first use), idempotent, acks
 * from all in-sync replicas.
 */
final class AvroProducers {

  private AvroProducers() {}

  /**
   * A producer of {@code type} to {@code topic}, after checking that the cluster answers and the
   * topic exists.
   *
   * @param defaults producer settings used where the configuration does not set them
   * @throws EvalException when the cluster or the topic is not there within {@code timeout}
   */
  static <T extends SpecificRecord> KafkaProducer<String, T> open(
      ReelsenseConfig config,
      String topic,
      Class<T> type,
      Duration timeout,
      Map<String, Object> defaults) {
    Cluster.partitions(config, List.of(topic), timeout);
    SchemaRegistryClient registry = SchemaRegistryClient.fromConfig(config.registryProperties());
    Serializer<T> values = AvroSerdes.specific(registry, type, false).serializer();
    Map<String, Object> props = config.clientProperties();
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.toMillis());
    defaults.forEach(props::putIfAbsent);
    return new KafkaProducer<>(props, Topics.keySerde().serializer(), values);
  }
}
