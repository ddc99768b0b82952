package io.reelsense.stream.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reelsense.stream.local.EmbeddedKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Registries over a file and over a compacted topic of a real embedded broker: started again they
 * answer with the same ids, and records written before still decode; registries sharing a topic
 * agree on every id, even when they register at the same time.
 */
class DurableSchemaStoreTest {

  private static final Schema V1 =
      SchemaBuilder.record("Thing")
          .namespace("io.example")
          .fields()
          .requiredString("a")
          .endRecord();
  private static final Schema V2 =
      SchemaBuilder.record("Thing")
          .namespace("io.example")
          .fields()
          .requiredString("a")
          .optionalInt("b")
          .endRecord();

  private static Schema numbered(int i) {
    return SchemaBuilder.record("N" + i)
        .namespace("io.example")
        .fields()
        .requiredInt("n")
        .endRecord();
  }

  @Test
  void aFileStoreKeepsIdsVersionsAndLevelsAcrossRestarts(@TempDir Path dir) throws Exception {
    try (EmbeddedSchemaRegistry registry =
        EmbeddedSchemaRegistry.builder().store(FileSchemaStore.open(dir)).start()) {
      SchemaRegistryClient client = SchemaRegistryClient.of(registry.url());
      assertThat(client.register("t-value", V1)).isEqualTo(1);
      assertThat(client.register("t-value", V2)).isEqualTo(2);
      assertThat(client.register("u-value", V1)).isEqualTo(1);
      client.setGlobalCompatibility(CompatibilityLevel.FULL);
      client.setCompatibility("t-value", CompatibilityLevel.NONE);
      client.setCompatibility("u-value", CompatibilityLevel.FORWARD);
      RawHttp.send("DELETE", registry.url() + "/config/u-value", null);
      assertThatThrownBy(() -> FileSchemaStore.open(dir))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("another schema registry is using");
    }
    // a line cut short by a crash is skipped, and what follows it is still read
    Files.writeString(
        dir.resolve(FileSchemaStore.FILE_NAME),
        "{\"key\":{\"keytype\":\"SCH",
        StandardOpenOption.APPEND);
    try (EmbeddedSchemaRegistry registry =
        EmbeddedSchemaRegistry.builder().store(FileSchemaStore.open(dir)).start()) {
      SchemaRegistryClient client = SchemaRegistryClient.of(registry.url());
      assertThat(RawHttp.get(registry.url() + "/schemas/ids/1").json().path("schema").asText())
          .isEqualTo(V1.toString());
      assertThat(client.versions("t-value")).containsExactly(1, 2);
      assertThat(client.version("u-value", 1).id()).isEqualTo(1);
      assertThat(client.globalCompatibility()).isEqualTo(CompatibilityLevel.FULL);
      assertThat(client.subjectCompatibility("t-value")).isEqualTo(CompatibilityLevel.NONE);
      assertThat(RawHttp.get(registry.url() + "/config/u-value").status()).isEqualTo(404);
      assertThat(client.register("v-value", numbered(1))).isEqualTo(3);
    }
    try (EmbeddedSchemaRegistry registry =
        EmbeddedSchemaRegistry.builder().store(FileSchemaStore.open(dir)).start()) {
      assertThat(SchemaRegistryClient.of(registry.url()).schemaTextById(3))
          .isEqualTo(numbered(1).toString());
    }
    assertThat(Files.readString(dir.resolve(FileSchemaStore.FILE_NAME), StandardCharsets.UTF_8))
        .contains("{\"keytype\":\"SCHEMA\",\"subject\":\"t-value\",\"version\":2,\"magic\":1}");
  }

  @Test
  void aTopicStoreOutlivesARestartOfBrokerAndRegistry(@TempDir Path log) throws Exception {
    byte[] written;
    int port;
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startPersistent(log, 0, 0, Map.of());
        EmbeddedSchemaRegistry registry =
            EmbeddedSchemaRegistry.builder()
                .store(KafkaSchemaStore.open(broker.bootstrapServers()))
                .start()) {
      port = Integer.parseInt(broker.bootstrapServers().replaceAll(".*:", ""));
      SchemaRegistryClient client = SchemaRegistryClient.of(registry.url());
      GenericRecord thing = new GenericData.Record(V1);
      thing.put("a", "before the restart");
      written = new AvroSerializer<GenericRecord>(client, false, true).serialize("things", thing);
      assertThat(WireFormat.schemaId(written)).isEqualTo(1);
      try (Admin admin =
          Admin.create(
              Map.<String, Object>of(
                  AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
        admin.createTopics(List.of(new NewTopic("things", 1, (short) 1))).all().get();
      }
      try (KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(
              Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
              new ByteArraySerializer(),
              new ByteArraySerializer())) {
        producer.send(new ProducerRecord<>("things", written)).get();
      }
    }
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startPersistent(log, port, 0, Map.of());
        EmbeddedSchemaRegistry registry =
            EmbeddedSchemaRegistry.builder()
                .store(KafkaSchemaStore.open(broker.bootstrapServers()))
                .start()) {
      RawHttp.Response answer = RawHttp.get(registry.url() + "/schemas/ids/1");
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.json().path("schema").asText()).isEqualTo(V1.toString());
      SchemaRegistryClient client = SchemaRegistryClient.of(registry.url());
      byte[] read = readOne(broker.bootstrapServers(), "things");
      assertThat(read).isEqualTo(written);
      GenericRecord decoded = AvroDeserializer.generic(client).deserialize("things", read);
      assertThat(decoded.get("a")).hasToString("before the restart");
      assertThat(client.register("things-value", V2)).isEqualTo(2);
    }
  }

  @Test
  void registriesSharingATopicAgreeOnEveryId(@TempDir Path log) throws Exception {
    // each registry's first write into race-value waits for the other's, so both write from the
    // same view: the same next version and the same next id for two different schemas
    CyclicBarrier firstWrites = new CyclicBarrier(2);
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startPersistent(log, 0, 0, Map.of());
        EmbeddedSchemaRegistry a =
            EmbeddedSchemaRegistry.builder()
                .compatibility(CompatibilityLevel.NONE)
                .store(
                    new FirstWriteMeets(
                        KafkaSchemaStore.open(broker.bootstrapServers()),
                        "race-value",
                        firstWrites))
                .start();
        EmbeddedSchemaRegistry b =
            EmbeddedSchemaRegistry.builder()
                .compatibility(CompatibilityLevel.NONE)
                .store(
                    new FirstWriteMeets(
                        KafkaSchemaStore.open(broker.bootstrapServers()),
                        "race-value",
                        firstWrites))
                .start()) {
      SchemaRegistryClient ca = SchemaRegistryClient.of(a.url());
      SchemaRegistryClient cb = SchemaRegistryClient.of(b.url());
      assertThat(ca.register("t-value", V1)).isEqualTo(1);
      assertThat(cb.schemaTextById(1)).isEqualTo(V1.toString());
      assertThat(cb.register("u-value", V2)).isEqualTo(2);
      assertThat(ca.schemaTextById(2)).isEqualTo(V2.toString());

      // both register into one subject at once: every answer holds in both views
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        List<Future<Integer>> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
          Schema schema = numbered(i);
          SchemaRegistryClient client = i % 2 == 0 ? ca : cb;
          ids.add(pool.submit(() -> client.registerSchema("race-value", schema.toString())));
        }
        List<Integer> answered = new ArrayList<>();
        for (Future<Integer> id : ids) {
          answered.add(id.get());
        }
        assertThat(answered).doesNotHaveDuplicates();
        for (int i = 0; i < 12; i++) {
          assertThat(ca.schemaTextById(answered.get(i))).isEqualTo(numbered(i).toString());
          assertThat(cb.schemaTextById(answered.get(i))).isEqualTo(numbered(i).toString());
        }
        assertThat(ca.versions("race-value")).hasSize(12).isEqualTo(cb.versions("race-value"));
        for (int v = 1; v <= 12; v++) {
          assertThat(ca.version("race-value", v)).isEqualTo(cb.version("race-value", v));
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void theFirstEntryForAVersionOrAnIdWinsInAnyOrderCompactionLeaves() throws Exception {
    InMemorySchemaStore store = new InMemorySchemaStore();
    String a = numbered(1).toString();
    String b = numbered(2).toString();
    String c = numbered(3).toString();
    // compaction may keep version 1's last entry after version 2's
    store.append(new StoreRecord.SchemaVersion("s", 2, 2, b));
    store.append(new StoreRecord.SchemaVersion("s", 1, 1, a));
    // a later entry for a version already held, and one whose id belongs to another schema
    store.append(new StoreRecord.SchemaVersion("s", 1, 3, c));
    store.append(new StoreRecord.SchemaVersion("t", 1, 1, c));
    try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.builder().store(store).start()) {
      SchemaRegistryClient client = SchemaRegistryClient.of(registry.url());
      assertThat(client.versions("s")).containsExactly(1, 2);
      assertThat(client.version("s", 1).schema()).isEqualTo(a);
      assertThat(client.latest("s").id()).isEqualTo(2);
      assertThat(client.subjects()).containsExactly("s");
      assertThat(RawHttp.get(registry.url() + "/schemas/ids/3").status()).isEqualTo(404);
      assertThat(client.registerSchema("t", c)).isEqualTo(3);
    }
  }

  @Test
  void limitsOnSubjectsAndVersionsAnswer422WithOneLine() throws Exception {
    try (EmbeddedSchemaRegistry registry =
        EmbeddedSchemaRegistry.builder()
            .compatibility(CompatibilityLevel.NONE)
            .limits(new RegistryLimits(1 << 20, 200, 2, 3))
            .start()) {
      SchemaRegistryClient client = SchemaRegistryClient.of(registry.url());
      for (int i = 0; i < 3; i++) {
        client.registerSchema("a-value", numbered(i).toString());
      }
      assertThatThrownBy(() -> client.registerSchema("a-value", numbered(9).toString()))
          .isInstanceOfSatisfying(
              SchemaRegistryException.class,
              e -> {
                assertThat(e.errorCode()).isEqualTo(RegistryProtocol.OPERATION_NOT_PERMITTED);
                assertThat(e.httpStatus()).isEqualTo(422);
                assertThat(e.registryMessage()).contains("limit of 3 versions");
              });
      client.registerSchema("b-value", numbered(0).toString());
      assertThatThrownBy(() -> client.registerSchema("c-value", numbered(0).toString()))
          .isInstanceOfSatisfying(
              SchemaRegistryException.class,
              e -> assertThat(e.registryMessage()).contains("limit of 2 subjects"));
      String big =
          "{\"type\":\"record\",\"name\":\"R\",\"doc\":\""
              + "d".repeat(300)
              + "\","
              + "\"fields\":[]}";
      assertThatThrownBy(() -> client.registerSchema("a-value", big))
          .isInstanceOfSatisfying(
              SchemaRegistryException.class,
              e -> {
                assertThat(e.errorCode()).isEqualTo(RegistryProtocol.INVALID_SCHEMA);
                assertThat(e.registryMessage()).contains("exceed the limit of 200");
              });
      assertThat(client.subjects()).containsExactly("a-value", "b-value");
    }
  }

  /**
   * A store whose first write of a version of {@code subject} waits until the other store sharing
   * {@code barrier} makes its own, so two registries race on purpose.
   */
  private static final class FirstWriteMeets implements SchemaStore {
    private final SchemaStore store;
    private final String subject;
    private final CyclicBarrier barrier;
    private boolean met;

    FirstWriteMeets(SchemaStore store, String subject, CyclicBarrier barrier) {
      this.store = store;
      this.subject = subject;
      this.barrier = barrier;
    }

    @Override
    public List<StoreRecord> poll() {
      return store.poll();
    }

    @Override
    public void append(StoreRecord record) {
      if (!met
          && record instanceof StoreRecord.SchemaVersion version
          && version.subject().equals(subject)) {
        met = true;
        try {
          barrier.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        } catch (BrokenBarrierException | TimeoutException e) {
          throw new IllegalStateException("the other registry never wrote", e);
        }
      }
      store.append(record);
    }

    @Override
    public String describe() {
      return store.describe();
    }

    @Override
    public void close() {
      store.close();
    }
  }

  private static byte[] readOne(String bootstrap, String topic) {
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.GROUP_ID_CONFIG,
                "durable-store-test"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          return record.value();
        }
      }
    }
    throw new AssertionError("no record in " + topic);
  }
}
