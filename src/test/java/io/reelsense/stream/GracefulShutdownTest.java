package io.reelsense.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelsense.avro.Review;
import io.reelsense.avro.ScoredReview;
import io.reelsense.stream.registry.AvroSerdes;
import io.reelsense.stream.registry.EmbeddedSchemaRegistry;
import io.reelsense.stream.registry.SchemaRegistryClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On SIGTERM the shutdown hook scores the open micro-batch, commits it and stops; a restarted
 * instance carries on: every review is scored exactly once (read_committed). The HTTP server serves
 * {@code /health}, {@code /ready} and {@code /metrics} meanwhile.
 */
class GracefulShutdownTest {

  private static EmbeddedKafkaBroker broker;
  private static EmbeddedSchemaRegistry registry;
  private static SchemaRegistryClient client;

  @TempDir Path stateDir;

  @BeforeAll
  static void startInfrastructure() {
    broker = EmbeddedKafkaBroker.start();
    registry = EmbeddedSchemaRegistry.start();
    client = SchemaRegistryClient.of(registry.url());
  }

  @AfterAll
  static void stopInfrastructure() {
    if (registry != null) {
      registry.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  private ReelsenseConfig config(Map<String, String> more) {
    Map<String, String> m = new HashMap<>();
    m.put("bootstrap.servers", broker.bootstrapServers());
    m.put("schema.registry.url", registry.url());
    m.put("application.id", "it-sigterm");
    m.put("state.dir", stateDir.resolve("s" + System.nanoTime()).toString());
    m.put("http.port", "0");
    m.put("topic.partitions", "2");
    m.put("model.embedder", "none");
    m.put("kafka.session.timeout.ms", "6000");
    m.put("kafka.heartbeat.interval.ms", "1000");
    for (String t : Topics.defaults().all()) {
      m.put("topic." + t, "g-" + t);
    }
    m.putAll(more);
    return ReelsenseConfig.of(m);
  }

  private static void produce(ReelsenseConfig c, int from, int to) {
    Properties p = new Properties();
    p.putAll(c.clientProperties());
    try (KafkaProducer<String, Review> producer =
        new KafkaProducer<>(
            p,
            new StringSerializer(),
            AvroSerdes.specific(client, Review.class, false).serializer())) {
      for (int i = from; i < to; i++) {
        Review r =
            Review.newBuilder()
                .setReviewId("r" + i)
                .setFilmId("f" + i % 3)
                .setText(i % 2 == 0 ? "good" : "bad")
                .build();
        producer.send(new ProducerRecord<>(c.topics().reviews(), r.getReviewId(), r));
      }
    }
  }

  private static List<String> scoredIds(ReelsenseConfig c, int expected, Duration timeout) {
    Properties p = new Properties();
    p.putAll(c.clientProperties());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "check-" + System.nanoTime());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<String> ids = new ArrayList<>();
    try (KafkaConsumer<String, ScoredReview> consumer =
        new KafkaConsumer<>(
            p,
            new StringDeserializer(),
            AvroSerdes.specific(client, ScoredReview.class, false).deserializer())) {
      consumer.subscribe(Set.of(c.topics().reviewsScored()));
      long deadline = System.nanoTime() + timeout.toNanos();
      long graceEnd = Long.MAX_VALUE;
      while (System.nanoTime() < Math.min(deadline, graceEnd)) {
        for (ConsumerRecord<String, ScoredReview> r : consumer.poll(Duration.ofMillis(200))) {
          ids.add(r.value().getReviewId());
        }
        if (ids.size() >= expected && graceEnd == Long.MAX_VALUE) {
          // a little longer, to catch duplicates arriving after the expected count
          graceEnd = System.nanoTime() + Duration.ofMillis(1500).toNanos();
        }
      }
    }
    return ids;
  }

  private static void await(BooleanSupplier condition, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition not met in time").isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theShutdownHookScoresAndCommitsTheOpenBatchAndARestartLosesAndRepeatsNothing()
      throws Exception {
    // one huge batch that only the shutdown drain can close
    ReelsenseConfig first = config(Map.of("batch.size", "10000", "batch.max.wait.ms", "600000"));
    FakeClassifier model1 = new FakeClassifier();
    ReelsenseStreams app1 = ReelsenseStreams.start(first, new BatchScorer(model1, null));
    Thread hook = app1.shutdownHook();
    try {
      assertThat(app1.awaitRunning(Duration.ofSeconds(60))).isTrue();
      produce(first, 0, 40);
      await(() -> app1.control().pending() == 40, Duration.ofSeconds(30));
      assertThat(model1.batchSizes).isEmpty();

      String base = app1.httpUrl();
      assertThat(base).startsWith("http://127.0.0.1:");
      assertThat(get(base + "/health").statusCode()).isEqualTo(200);
      HttpResponse<String> ready = get(base + "/ready");
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(new ObjectMapper().readTree(ready.body()).get("state").asText())
          .isEqualTo("RUNNING");
      HttpResponse<String> metrics = get(base + "/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
      assertThat(metrics.body())
          .contains("reelsense_records_in_total 40.0")
          .contains("reelsense_buffer_pending 40.0")
          .contains("reelsense_model_info{embedder=\"none\",model=\"fake@1\"} 1")
          .contains("reelsense_consumer_lag_max")
          .contains("kafka_consumer_fetch_manager_records_lag");
    } finally {
      // what the JVM runs on SIGTERM
      hook.run();
    }
    assertThat(model1.batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(40);
    assertThat(app1.control().pending()).isZero();
    assertThat(app1.streams().state().hasCompletedShutdown()).isTrue();
    assertThat(
            app1.metrics()
                .registry()
                .get("reelsense.records.out")
                .tag("output", "scored")
                .counter()
                .count())
        .isEqualTo(40);

    // more reviews arrive while no instance runs
    produce(first, 40, 60);
    ReelsenseConfig second = config(Map.of("batch.size", "16", "batch.max.wait.ms", "50"));
    FakeClassifier model2 = new FakeClassifier();
    try (ReelsenseStreams app2 = ReelsenseStreams.start(second, new BatchScorer(model2, null))) {
      assertThat(app2.awaitRunning(Duration.ofSeconds(60))).isTrue();
      List<String> ids = scoredIds(second, 60, Duration.ofSeconds(60));
      Map<String, Long> counts =
          ids.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
      assertThat(counts).as("lost reviews").hasSize(60);
      assertThat(counts.values()).as("duplicated reviews").allMatch(n -> n == 1);
      // the restarted instance scored only the 20 new ones: the drained batch was committed
      assertThat(model2.batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(20);
    }
  }
}
