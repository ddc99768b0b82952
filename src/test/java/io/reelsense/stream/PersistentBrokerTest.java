package io.reelsense.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.reelsense.stream.local.EmbeddedKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A persistent broker comes back on the same address with its topics and records. */
class PersistentBrokerTest {

  @Test
  void aRestartedBrokerKeepsItsPortTopicsAndRecordsAndItsLogDirectory(@TempDir Path dir)
      throws Exception {
    Path log = dir.resolve("kafka");
    String bootstrap;
    String clusterId;
    try (EmbeddedKafkaBroker first = EmbeddedKafkaBroker.startPersistent(log, 0, 0, Map.of())) {
      bootstrap = first.bootstrapServers();
      clusterId = first.clusterId();
      try (Admin admin =
          Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
        admin.createTopics(List.of(new NewTopic("kept", 1, (short) 1))).all().get();
      }
      try (KafkaProducer<String, String> p =
          new KafkaProducer<>(
              Map.of(
                  ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                  bootstrap,
                  ProducerConfig.ACKS_CONFIG,
                  "all"),
              new StringSerializer(),
              new StringSerializer())) {
        p.send(new ProducerRecord<>("kept", "k", "v")).get();
      }
    }
    assertThat(log.resolve("meta.properties")).exists();
    assertThat(Files.list(log).count()).isGreaterThan(1);

    int port = Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
    try (EmbeddedKafkaBroker second = EmbeddedKafkaBroker.startPersistent(log, port, 0, Map.of())) {
      assertThat(second.bootstrapServers()).isEqualTo(bootstrap);
      assertThat(second.clusterId()).isEqualTo(clusterId);
      List<String> values = new ArrayList<>();
      try (KafkaConsumer<String, String> c =
          new KafkaConsumer<>(
              Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
              new StringDeserializer(),
              new StringDeserializer())) {
        TopicPartition tp = new TopicPartition("kept", 0);
        c.assign(List.of(tp));
        c.seekToBeginning(List.of(tp));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (values.isEmpty() && System.nanoTime() < deadline) {
          for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
            values.add(r.value());
          }
        }
      }
      assertThat(values).containsExactly("v");
    }
    assertThat(log.resolve("meta.properties")).exists();
    assertThat(
            new String(Files.readAllBytes(log.resolve("meta.properties")), StandardCharsets.UTF_8))
        .contains(clusterId);
  }
}
