package io.reelsense.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelsense.avro.Review;
import io.reelsense.avro.ScoredReview;
import io.reelsense.stream.registry.AvroSerdes;
import io.reelsense.stream.review.ReviewScorer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * On SIGTERM the shutdown hook scores the open micro-batch, commits it and stops; a restarted
 * instance carries on: every review is scored exactly once (read_committed). One test calls the
 * hook in-process and restarts; the other sends a real SIGTERM to a child JVM ({@link
 * SigtermProbe}). The HTTP server serves {@code /health}, {@code /ready} and {@code /metrics}
 * meanwhile.
 */
class GracefulShutdownTest {

  @RegisterExtension static final KafkaStack stack = new KafkaStack();

  @TempDir Path stateDir;

  private ReelsenseConfig config(Map<String, String> more) {
    Map<String, String> m = stack.settings("it-sigterm", stateDir, "g-");
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
            AvroSerdes.specific(stack.client(), Review.class, false).serializer())) {
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
            AvroSerdes.specific(stack.client(), ScoredReview.class, false).deserializer())) {
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
    ReelsenseStreams app1 = ReelsenseStreams.start(first, new ReviewScorer(model1, null));
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
    try (ReelsenseStreams app2 = ReelsenseStreams.start(second, new ReviewScorer(model2, null))) {
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

  @Test
  void aRealSigtermToTheProcessScoresAndCommitsTheOpenBatchBeforeItExits(@TempDir Path dir)
      throws Exception {
    // the application runs in a child JVM (SigtermProbe); Process.destroy() sends SIGTERM
    {
      Path log = dir.resolve("child.log");
      ReelsenseConfig config = stack.cluster();
      Process child =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx512m",
                  "-cp",
                  System.getProperty("java.class.path"),
                  SigtermProbe.class.getName(),
                  config.bootstrapServers(),
                  config.registryUrl(),
                  dir.resolve("state").toString())
              .redirectError(log.toFile())
              .start();
      try {
        String http = null;
        try (BufferedReader out =
            new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith("HTTP ")) {
              http = line.substring(5);
              break;
            }
          }
          assertThat(http).as(Files.readString(log)).isNotNull();

          Properties p = new Properties();
          p.putAll(config.clientProperties());
          p.put(ProducerConfig.ACKS_CONFIG, "all");
          try (KafkaProducer<String, Review> producer =
              new KafkaProducer<>(
                  p,
                  new StringSerializer(),
                  AvroSerdes.specific(stack.client(), Review.class, false).serializer())) {
            for (int i = 0; i < 30; i++) {
              Review r = Review.newBuilder().setReviewId("s" + i).setText("good").build();
              producer.send(new ProducerRecord<>("p-reviews", r.getReviewId(), r));
            }
          }
          // wait until the child holds all 30 in its open batch
          HttpClient web = HttpClient.newHttpClient();
          long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
          String metrics = "";
          while (!metrics.contains("reelsense_buffer_pending 30.0")
              && System.nanoTime() < deadline) {
            Thread.sleep(200);
            metrics =
                web.send(
                        HttpRequest.newBuilder(URI.create(http + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString())
                    .body();
          }
          assertThat(metrics).contains("reelsense_buffer_pending 30.0");
          assertThat(metrics).contains("reelsense_records_out_total{output=\"scored\"} 0.0");

          child.destroy(); // SIGTERM
          assertThat(child.waitFor(90, TimeUnit.SECONDS)).as("exited").isTrue();
        }
        // 128 + 15: terminated by SIGTERM, after the shutdown hooks ran
        assertThat(child.exitValue()).isEqualTo(143);
        assertThat(Files.readString(log)).contains("shut down cleanly");

        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "check-sigterm");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<String> ids = new ArrayList<>();
        try (KafkaConsumer<String, ScoredReview> consumer =
            new KafkaConsumer<>(
                c,
                new StringDeserializer(),
                AvroSerdes.specific(stack.client(), ScoredReview.class, false).deserializer())) {
          consumer.subscribe(Set.of("p-reviews-scored"));
          long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
          while (System.nanoTime() < end && ids.size() < 30) {
            for (ConsumerRecord<String, ScoredReview> r : consumer.poll(Duration.ofMillis(200))) {
              ids.add(r.value().getReviewId());
            }
          }
          for (int i = 0; i < 5; i++) {
            for (ConsumerRecord<String, ScoredReview> r : consumer.poll(Duration.ofMillis(200))) {
              ids.add(r.value().getReviewId());
            }
          }
        }
        Map<String, Long> counts =
            ids.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(counts).as("lost reviews").hasSize(30);
        assertThat(counts.values()).as("duplicated reviews").allMatch(n -> n == 1);
      } finally {
        child.destroyForcibly();
      }
    }
  }
}
