package io.reelsense.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelsense.avro.ReviewEmbedding;
import io.reelsense.data.ImdbCorpus;
import io.reelsense.data.ImdbReader;
import io.reelsense.data.SampleData;
import io.reelsense.eval.ReplayReport;
import io.reelsense.model.TextEmbedder;
import io.reelsense.model.bundle.Bundles;
import io.reelsense.model.encoder.Encoders;
import io.reelsense.model.encoder.ModelCatalog;
import io.reelsense.model.tokenizer.Truncation;
import io.reelsense.stream.ReelsenseConfig;
import io.reelsense.stream.ReelsenseStreams;
import io.reelsense.stream.local.EmbeddedStack;
import io.reelsense.stream.registry.AvroSerdes;
import io.reelsense.stream.registry.EmbeddedSchemaRegistry;
import io.reelsense.stream.registry.KafkaSchemaStore;
import io.reelsense.stream.registry.SchemaRegistryClient;
import io.reelsense.text.CleaningProfile;
import io.reelsense.train.BaselineOptions;
import io.reelsense.train.BaselineTrainer;
import io.reelsense.train.Progress;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * replay and demo end to end on the committed sample: embedded broker, registry and topology in
 * this process, real Avro records over real sockets.
 */
class ReplayDemoCommandTest {

  record Run(int exitCode, String out, String err) {
    JsonNode json() throws Exception {
      String[] lines = out.strip().split("\n");
      return new ObjectMapper().readTree(lines[lines.length - 1]);
    }
  }

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  @TempDir static Path shared;

  private static Path bundle;

  /** A small bundle trained once on the sample: unigrams, 20k features, both heads. */
  @BeforeAll
  static void trainBundle() throws Exception {
    ImdbCorpus corpus = ImdbReader.read(SampleData.dir());
    BaselineOptions options =
        new BaselineOptions(
            BaselineOptions.Algorithm.LR,
            BaselineOptions.Task.BOTH,
            CleaningProfile.NONE,
            20_000,
            1,
            1,
            2,
            true,
            10.0,
            false,
            42L,
            false,
            2);
    BaselineTrainer.Result trained = BaselineTrainer.train(corpus, options, Progress.NONE);
    bundle = shared.resolve("bundle");
    Bundles.writeBaseline(
        bundle,
        trained.model(),
        "tfidf-lr",
        options.cleaning(),
        trained.metrics(),
        options.asMap(),
        Map.of());
  }

  @Test
  void replaysTheSampleThroughTheTopologyAndMatchesTheOfflinePredictions(@TempDir Path tmp)
      throws Exception {
    Path report = tmp.resolve("report");

    Run r =
        run(
            "replay",
            "--embedded",
            "--sample",
            "--limit",
            "400",
            "--bundle",
            bundle.toString(),
            "--batch-size",
            "32",
            "--report",
            report.toString(),
            "--no-progress",
            "--json");

    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode json = r.json();
    assertThat(json.get("n").asInt()).isEqualTo(400);
    assertThat(json.get("scored").asInt()).isEqualTo(400);
    assertThat(json.get("dlq").asInt()).isZero();
    assertThat(json.get("missing").asInt()).isZero();
    assertThat(json.get("duplicates").asInt()).isZero();
    assertThat(json.get("accuracy").asDouble()).as("well above chance").isGreaterThan(0.7);
    assertThat(json.get("rating_mae").asDouble()).isLessThan(3.5);
    assertThat(json.get("compared").asInt()).isEqualTo(400);
    assertThat(json.get("mismatches").asInt()).as("streamed == offline").isZero();
    assertThat(json.get("p99_ms").asDouble()).isPositive();
    assertThat(json.get("reviews_per_s").asDouble()).isPositive();
    assertThat(r.out()).contains("accounted   400 of 400", "0 of 400 streamed predictions differ");
    assertThat(r.out())
        .as("throughput and latency apart, and latency says that it includes queueing")
        .contains("throughput  ", "all sent at once: the most this run sustains")
        .contains("latency     send → scored p50", "mostly time queued behind earlier reviews");
    for (String f :
        List.of(
            ReplayReport.HTML,
            ReplayReport.JSON,
            ReplayReport.LATENCY_PNG,
            ReplayReport.THROUGHPUT_PNG,
            ReplayReport.CONFUSION_PNG)) {
      assertThat(report.resolve(f)).isRegularFile();
    }
    assertThat(report.resolve("streams-state")).doesNotExist();
  }

  @Test
  void replaysAgainstAnExternalClusterGivenByBootstrapAndRegistry(@TempDir Path tmp)
      throws Exception {
    // broker, registry and topology started apart from the replay, as a deployed cluster would be
    try (EmbeddedStack cluster = new EmbeddedStack()) {
      cluster.startBroker();
      cluster.startRegistry();
      Map<String, String> overrides =
          new java.util.LinkedHashMap<>(cluster.overrides(tmp.resolve("state")));
      overrides.put(ReelsenseConfig.EMBEDDER, ReelsenseConfig.EMBEDDER_NONE);
      overrides.put(ReelsenseConfig.APPLICATION_ID, "external-cluster");
      cluster.startTopology(
          ReelsenseConfig.of(overrides), Bundles.load(bundle), java.time.Duration.ofMinutes(2));

      Run r =
          run(
              "replay",
              "--bootstrap",
              cluster.bootstrapServers(),
              "--registry",
              cluster.registryUrl(),
              "--sample",
              "--limit",
              "250",
              "--bundle",
              bundle.toString(),
              "--report",
              tmp.resolve("report").toString(),
              "--no-progress",
              "--json");

      assertThat(r.exitCode()).as(r.err()).isZero();
      assertThat(r.out()).contains("through " + cluster.bootstrapServers());
      JsonNode json = r.json();
      assertThat(json.get("n").asInt()).isEqualTo(250);
      assertThat(json.get("scored").asInt() + json.get("dlq").asInt())
          .as("every review accounted for")
          .isEqualTo(250);
      assertThat(json.get("scored").asInt()).isEqualTo(250);
      assertThat(json.get("missing").asInt()).isZero();
      assertThat(json.get("compared").asInt()).isEqualTo(250);
      assertThat(json.get("mismatches").asInt()).as("streamed == offline").isZero();
    }
  }

  @Test
  void producedReviewsComeBackScoredThroughTheTopology(@TempDir Path tmp) throws Exception {
    try (EmbeddedStack stack = new EmbeddedStack()) {
      stack.startBroker();
      stack.startRegistry();
      Map<String, String> overrides = new java.util.LinkedHashMap<>();
      overrides.putAll(stack.overrides(tmp.resolve("state")));
      // the stream's embeddings through the same code path as run and demo (short texts: quick)
      overrides.put(ReelsenseConfig.EMBEDDER, "minilm-l6");
      overrides.put(ReelsenseConfig.EMBEDDER_MAX_LENGTH, "32");
      overrides.put(ReelsenseConfig.FILMS_ENCODER, ReelsenseConfig.EMBEDDER_NONE);
      overrides.put(ReelsenseConfig.BATCH_MAX_WAIT_MS, "20");
      ReelsenseConfig config = ReelsenseConfig.of(overrides);
      stack.startTopology(config, Bundles.load(bundle), java.time.Duration.ofMinutes(2));
      String[] cluster = {
        "--bootstrap", stack.bootstrapServers(), "--registry", stack.registryUrl()
      };

      Run produced =
          run(
              concat(
                  new String[] {
                    "produce",
                    "--id-prefix",
                    "rt",
                    "--film",
                    "tt0111161",
                    "A wonderful, moving film: brilliant acting, a superb script, I loved it.",
                    "Awful. Boring, badly acted, the worst film I have seen; a waste of time."
                  },
                  cluster));
      assertThat(produced.exitCode()).as(produced.err()).isZero();

      Run tail =
          run(concat(new String[] {"tail", "--max", "2", "--timeout", "60s", "--json"}, cluster));
      assertThat(tail.exitCode()).as(tail.err()).isZero();
      String[] lines = tail.out().strip().split("\n");
      assertThat(lines).hasSize(3);
      ObjectMapper m = new ObjectMapper();
      Map<String, JsonNode> byId = new java.util.HashMap<>();
      for (int i = 0; i < 2; i++) {
        JsonNode n = m.readTree(lines[i]);
        byId.put(n.get("review_id").asText(), n);
      }
      assertThat(byId.get("rt-1").get("label_name").asText()).isEqualTo("positive");
      assertThat(byId.get("rt-2").get("label_name").asText()).isEqualTo("negative");
      assertThat(byId.get("rt-1").get("film_id").asText()).isEqualTo("tt0111161");
      assertThat(byId.get("rt-1").get("model_id").asText()).startsWith("tfidf-lr");

      // review-embeddings holds the offline vectors of the same texts, cut to 32 tokens
      Map<String, ReviewEmbedding> vectors = readEmbeddings(config, 2);
      assertThat(vectors).containsOnlyKeys("rt-1", "rt-2");
      Encoders.Options cut = new Encoders.Options(Truncation.head(32), 32, "");
      try (TextEmbedder offline = Encoders.embedder("minilm-l6", Device.cpu(), cut)) {
        float[] expected =
            offline
                .embed(
                    List.of(
                        "A wonderful, moving film: brilliant acting, a superb script, I loved"
                            + " it."))
                .get(0);
        ReviewEmbedding streamed = vectors.get("rt-1");
        assertThat(streamed.getModel()).isEqualTo("minilm-l6");
        assertThat(streamed.getFilmId()).isEqualTo("tt0111161");
        assertThat(streamed.getVector()).hasSize(384);
        for (int i = 0; i < expected.length; i++) {
          assertThat(streamed.getVector().get(i)).isCloseTo(expected[i], within(1e-5f));
        }
      }
    }
    assertThat(tmp.resolve("state")).doesNotExist();
  }

  private static Map<String, ReviewEmbedding> readEmbeddings(ReelsenseConfig config, int n) {
    Map<String, Object> props = config.clientProperties();
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "embeddings-test");
    Deserializer<ReviewEmbedding> values =
        AvroSerdes.specific(
                SchemaRegistryClient.fromConfig(config.registryProperties()),
                ReviewEmbedding.class,
                false)
            .deserializer();
    Map<String, ReviewEmbedding> out = new java.util.HashMap<>();
    try (KafkaConsumer<String, ReviewEmbedding> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), values)) {
      consumer.subscribe(List.of(config.topics().reviewEmbeddings()));
      long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
      while (out.size() < n && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, ReviewEmbedding> r :
            consumer.poll(java.time.Duration.ofMillis(500))) {
          out.put(r.key(), r.value());
        }
      }
    }
    return out;
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void demoRunsEndToEndOnTheSampleAndShutsDownCleanly(@TempDir Path tmp) throws Exception {
    Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
    Path work = tmp.resolve("work");

    // the default embedder (bge-small) on short texts, to keep the test quick
    Run r =
        run(
            "demo",
            "--work",
            work.toString(),
            "--limit",
            "300",
            "--films",
            "12",
            "--embed-max-length",
            "16",
            "--no-progress",
            "--json");

    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode json = r.json();
    assertThat(json.get("n").asInt()).isEqualTo(300);
    assertThat(json.get("scored").asInt()).isEqualTo(300);
    assertThat(json.get("accuracy").asDouble()).isGreaterThan(0.7);
    assertThat(json.get("mismatches").asInt()).isZero();
    if (ModelCatalog.isPresent(ModelCatalog.get("bge-small"), ModelCatalog.localRepository())) {
      // films.encoder=auto: the film topology runs when bge-small's jar is there
      JsonNode films = json.get("films");
      assertThat(films).as(r.err()).isNotNull();
      assertThat(films.get("films_sent").asInt()).isEqualTo(12);
      assertThat(films.get("films_embedded").asInt()).isEqualTo(12);
      assertThat(films.get("similar_example").get("status").asInt()).isEqualTo(200);
      assertThat(films.get("similar_example").get("similar")).hasSize(5);
    } else {
      assertThat(json.has("films")).isFalse();
    }
    assertThat(json.get("steps_s").size()).isEqualTo(8);
    assertThat(r.err())
        .contains("[1/8]", "[7/8] stream the films", "[8/8] shut down", "done in")
        .contains("      inference: ")
        .contains("embeddings by bge-small, texts cut to 16 tokens");
    assertThat(r.out()).contains("reelsense demo: 300 reviews", "report      ");
    assertThat(work.resolve("report").resolve(ReplayReport.HTML)).isRegularFile();
    assertThat(work.resolve("streams-state")).doesNotExist();
    if (!Files.isRegularFile(ReplayCommand.DEFAULT_BUNDLE.resolve(Bundles.MANIFEST))) {
      assertThat(work.resolve("model-sample").resolve(Bundles.MANIFEST)).isRegularFile();
    }

    Set<Thread> after = new HashSet<>(Thread.getAllStackTraces().keySet());
    after.removeAll(before);
    after.removeIf(t -> !t.isAlive());
    assertThat(after.stream().filter(t -> !t.isDaemon()).map(Thread::getName).toList())
        .as("non-daemon threads left behind")
        .isEmpty();
    // JVM-wide daemons that outlive any one user: the Kafka server's static Yammer metrics ticker,
    // the JDK's HttpClient (no close() before Java 21), AWT's disposer (plots), the process reaper,
    // JNA's cleaner (started once per JVM when the Hugging Face tokenizer's native library loads)
    after.removeIf(
        t ->
            t.getName().startsWith("metrics-meter-tick-thread")
                || t.getName().equals("JNA Cleaner")
                || t.getName().startsWith("HttpClient-")
                || t.getName().equals("Java2D Disposer")
                || t.getName().equals("process reaper"));
    assertThat(after.stream().map(Thread::getName).collect(Collectors.toList()))
        .as("threads left behind")
        .isEmpty();
  }

  @Test
  void recordsWrittenBeforeARegistryRestartAreScoredNotDeadLettered(@TempDir Path tmp)
      throws Exception {
    try (EmbeddedStack stack = new EmbeddedStack()) {
      stack.startBroker();
      stack.startRegistry();
      String bootstrap = stack.bootstrapServers();
      ReelsenseStreams.createMissingTopics(
          ReelsenseConfig.of(stack.overrides(tmp.resolve("state"))));
      // reviews written through one registry on the broker's _schemas topic, which then stops
      try (EmbeddedSchemaRegistry before =
          EmbeddedSchemaRegistry.builder().store(KafkaSchemaStore.open(bootstrap)).start()) {
        Run produced =
            run(
                "produce",
                "--id-prefix",
                "rs",
                "--film",
                "tt0111161",
                "A wonderful, moving film: brilliant acting, a superb script, I loved it.",
                "Awful. Boring, badly acted, the worst film I have seen; a waste of time.",
                "--bootstrap",
                bootstrap,
                "--registry",
                before.url());
        assertThat(produced.exitCode()).as(produced.err()).isZero();
      }
      // the topology reads them through a registry started afterwards on the same topic
      try (EmbeddedSchemaRegistry after =
          EmbeddedSchemaRegistry.builder().store(KafkaSchemaStore.open(bootstrap)).start()) {
        Map<String, String> overrides = new java.util.LinkedHashMap<>();
        overrides.putAll(stack.overrides(tmp.resolve("state")));
        overrides.put(ReelsenseConfig.REGISTRY_URL, after.url());
        overrides.put(ReelsenseConfig.EMBEDDER, ReelsenseConfig.EMBEDDER_NONE);
        overrides.put(ReelsenseConfig.FILMS_ENCODER, ReelsenseConfig.EMBEDDER_NONE);
        overrides.put(ReelsenseConfig.BATCH_MAX_WAIT_MS, "20");
        ReelsenseConfig config = ReelsenseConfig.of(overrides);
        stack.startTopology(config, Bundles.load(bundle), java.time.Duration.ofMinutes(2));
        Run tail =
            run(
                "tail",
                "--max",
                "2",
                "--timeout",
                "60s",
                "--json",
                "--bootstrap",
                bootstrap,
                "--registry",
                after.url());
        assertThat(tail.exitCode()).as(tail.err()).isZero();
        ObjectMapper m = new ObjectMapper();
        Map<String, String> labels = new java.util.HashMap<>();
        for (String line : tail.out().strip().split("\n")) {
          JsonNode n = m.readTree(line);
          if (n.has("review_id")) {
            labels.put(n.get("review_id").asText(), n.get("label_name").asText());
          }
        }
        assertThat(labels).containsEntry("rs-1", "positive").containsEntry("rs-2", "negative");
      }
    }
  }
}
