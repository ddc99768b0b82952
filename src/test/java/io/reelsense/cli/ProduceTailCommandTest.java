package io.reelsense.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelsense.avro.DeadLetter;
import io.reelsense.avro.Review;
import io.reelsense.avro.ScoredReview;
import io.reelsense.stream.Topics;
import io.reelsense.stream.local.EmbeddedKafkaBroker;
import io.reelsense.stream.registry.AvroSerdes;
import io.reelsense.stream.registry.EmbeddedSchemaRegistry;
import io.reelsense.stream.registry.SchemaRegistryClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * produce and tail against a real embedded broker and registry (no topology: tail reads what the
 * test writes).
 */
class ProduceTailCommandTest {

  private static EmbeddedKafkaBroker broker;
  private static EmbeddedSchemaRegistry registry;
  private static SchemaRegistryClient client;

  @BeforeAll
  static void start() throws Exception {
    broker = EmbeddedKafkaBroker.start();
    registry = EmbeddedSchemaRegistry.start();
    client = SchemaRegistryClient.of(registry.url());
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      List<NewTopic> topics = new ArrayList<>();
      for (String t : List.of(Topics.REVIEWS, Topics.REVIEWS_SCORED, Topics.REVIEWS_DLQ)) {
        topics.add(new NewTopic(t, 1, (short) 1));
      }
      admin.createTopics(topics).all().get();
    }
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  record Run(int exitCode, String out, String err) {
    List<String> lines() {
      return out.strip().isEmpty() ? List.of() : List.of(out.strip().split("\n"));
    }
  }

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  private static String[] cluster(String... rest) {
    List<String> args = new ArrayList<>(List.of(rest));
    args.addAll(List.of("--bootstrap", broker.bootstrapServers(), "--registry", registry.url()));
    return args.toArray(String[]::new);
  }

  @Test
  void producesAvroReviewsFromArgumentsAndJsonLines(@TempDir Path tmp) throws Exception {
    Run r =
        run(
            cluster(
                "produce",
                "--id-prefix",
                "t",
                "--film",
                "tt01",
                "Loved it.",
                "Hated it.",
                "--json"));
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(r.lines().get(r.lines().size() - 1));
    assertThat(json.get("sent").asInt()).isEqualTo(2);
    assertThat(json.get("ids").toString()).isEqualTo("[\"t-1\",\"t-2\"]");

    Path file = tmp.resolve("reviews.lines");
    Files.writeString(
        file,
        "{\"id\": \"j1\", \"text\": \"Superb.\", \"film_id\": \"tt02\"}\n\nplain text here\n");
    Run f = run(cluster("produce", "--input", file.toString(), "--id-prefix", "f"));
    assertThat(f.exitCode()).as(f.err()).isZero();
    assertThat(f.out()).contains("sent 2 reviews to reviews", "j1, f-3");

    List<Review> sent = readReviews(4);
    assertThat(sent).extracting(Review::getReviewId).containsExactly("t-1", "t-2", "j1", "f-3");
    assertThat(sent.get(0).getText()).isEqualTo("Loved it.");
    assertThat(sent.get(0).getFilmId()).isEqualTo("tt01");
    assertThat(sent.get(2).getFilmId()).isEqualTo("tt02");
    assertThat(sent.get(0).getSource()).isEqualTo("cli");
    assertThat(client.subjects()).contains(Topics.REVIEWS + "-value");
  }

  @Test
  void rejectsBadInputWithAClearMessage(@TempDir Path tmp) throws Exception {
    Path file = tmp.resolve("bad.lines");
    Files.writeString(file, "{\"text\": \"ok\"}\n{\"id\": \"x\"}\n");
    Run r = run(cluster("produce", "--input", file.toString()));
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains(file + " line 2: no \"text\"");
    Run none = run(cluster("produce", "--input", tmp.resolve("missing.txt").toString()));
    assertThat(none.err()).contains("no such file");
  }

  @Test
  void tailsScoresAndDeadLettersReadCommitted() throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tail-test");
    Instant t = Instant.ofEpochMilli(1_700_000_000_000L);
    ScoredReview s =
        ScoredReview.newBuilder()
            .setReviewId("r1")
            .setFilmId("tt9")
            .setLabel(1)
            .setLabelName("positive")
            .setPositiveProbability(0.93)
            .setRating(8)
            .setRatingProbability(0.4)
            .setModelId("tfidf-lr@x")
            .setEventTime(t)
            .setReceivedAt(t)
            .setScoredAt(t.plusMillis(42))
            .setBatchSize(3)
            .setInferenceMs(1.5)
            .build();
    DeadLetter d =
        DeadLetter.newBuilder()
            .setTopic(Topics.REVIEWS)
            .setPartition(0)
            .setOffset(7)
            .setStage("validate")
            .setReason("empty text")
            .setKey(ByteBuffer.wrap("r2".getBytes(StandardCharsets.UTF_8)))
            .setValue(null)
            .setTime(t)
            .build();
    var scoredSer = AvroSerdes.specific(client, ScoredReview.class, false).serializer();
    var dlqSer = AvroSerdes.specific(client, DeadLetter.class, false).serializer();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(
          new ProducerRecord<>(
              Topics.REVIEWS_SCORED,
              "r1".getBytes(StandardCharsets.UTF_8),
              scoredSer.serialize(Topics.REVIEWS_SCORED, s)));
      producer.send(
          new ProducerRecord<>(
              Topics.REVIEWS_DLQ,
              "r2".getBytes(StandardCharsets.UTF_8),
              dlqSer.serialize(Topics.REVIEWS_DLQ, d)));
      producer.commitTransaction();
      producer.beginTransaction();
      producer.send(
          new ProducerRecord<>(
              Topics.REVIEWS_SCORED,
              "aborted".getBytes(StandardCharsets.UTF_8),
              scoredSer.serialize(Topics.REVIEWS_SCORED, s)));
      producer.abortTransaction();
    }

    Run readable = run(cluster("tail", "--dlq", "--max", "2", "--timeout", "30s"));
    assertThat(readable.exitCode()).as(readable.err()).isZero();
    assertThat(readable.out())
        .contains("r1  positive p=0.930  ★8 (0.40)  film tt9  latency 42 ms (batch 3, tfidf-lr@x)")
        .contains("DLQ r2  validate: empty text")
        .contains("-- 1 scored, 1 dead letters");

    Run json = run(cluster("tail", "--max", "5", "--timeout", "3s", "--json"));
    assertThat(json.exitCode()).as(json.err()).isZero();
    List<String> lines = json.lines();
    assertThat(lines).as("only the committed score, then the summary").hasSize(2);
    JsonNode first = new ObjectMapper().readTree(lines.get(0));
    assertThat(first.get("review_id").asText()).isEqualTo("r1");
    assertThat(first.get("latency_ms").asLong()).isEqualTo(42);
    assertThat(new ObjectMapper().readTree(lines.get(1)).get("scored").asInt()).isEqualTo(1);
  }

  @Test
  void aMissingTopicOrClusterIsAUserError() {
    Run r =
        run(
            "tail",
            "--bootstrap",
            broker.bootstrapServers(),
            "--registry",
            registry.url(),
            "--timeout",
            "5s",
            "--config",
            "/nonexistent.properties");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("/nonexistent.properties");
  }

  private static List<Review> readReviews(int n) {
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "check-" + System.nanoTime());
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<Review> out = new ArrayList<>();
    try (KafkaConsumer<String, Review> consumer =
        new KafkaConsumer<>(
            c,
            new StringDeserializer(),
            AvroSerdes.specific(client, Review.class, false).deserializer())) {
      consumer.subscribe(List.of(Topics.REVIEWS));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (out.size() < n && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, Review> r : consumer.poll(Duration.ofMillis(200))) {
          assertThat(r.key()).isEqualTo(r.value().getReviewId());
          out.add(r.value());
        }
      }
    }
    return out;
  }
}
