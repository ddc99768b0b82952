package io.reelsense.stream.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaBrokerTest {

  @Test
  void producesTransactionallyAndConsumesReadCommittedOverTheSocketThenCleansUp() throws Exception {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    Path logDir;
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
      logDir = broker.logDir();
      assertThat(broker.bootstrapServers()).matches("127\\.0\\.0\\.1:\\d+");
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
        admin.createTopics(List.of(new NewTopic("t", 2, (short) 1))).all().get();
        // Metadata propagates asynchronously after creation: wait for it rather than race it.
        long listed = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!admin.listTopics().names().get().contains("t") && System.nanoTime() < listed) {
          Thread.sleep(100);
        }
        assertThat(admin.listTopics().names().get()).contains("t");
      }

      Properties p = new Properties();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
      p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-test");
      try (KafkaProducer<String, String> producer =
          new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
        producer.initTransactions();
        producer.beginTransaction();
        for (int i = 0; i < 10; i++) {
          producer.send(new ProducerRecord<>("t", "k" + i, "v" + i));
        }
        producer.commitTransaction();
        producer.beginTransaction();
        producer.send(new ProducerRecord<>("t", "aborted", "never seen"));
        producer.abortTransaction();
      }

      Properties c = new Properties();
      c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
      c.put(ConsumerConfig.GROUP_ID_CONFIG, "g");
      c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      List<String> values = new ArrayList<>();
      try (KafkaConsumer<String, String> consumer =
          new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
        consumer.subscribe(Set.of("t"));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (values.size() < 10 && System.nanoTime() < deadline) {
          for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
            values.add(r.value());
          }
        }
      }
      assertThat(values).hasSize(10).doesNotContain("never seen");
      assertThat(values)
          .containsExactlyInAnyOrder("v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9");
    }
    assertThat(Files.exists(logDir)).isFalse();
    // Client and broker threads end shortly after close() returns; give them a few seconds.
    Set<Thread> after = new java.util.HashSet<>();
    long settled = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    do {
      after.clear();
      after.addAll(Thread.getAllStackTraces().keySet());
      after.removeAll(before);
      after.removeIf(t -> !t.isAlive() || t.getName().startsWith("metrics-meter-tick-thread"));
      if (!after.isEmpty()) {
        Thread.sleep(100);
      }
    } while (!after.isEmpty() && System.nanoTime() < settled);
    // Only the JVM-wide Yammer metrics ticker (a static singleton shared by every broker) may stay.
    assertThat(after).isEmpty();
  }
}
