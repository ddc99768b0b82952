package io.reelsense.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelsense.avro.DeadLetter;
import io.reelsense.avro.Film;
import io.reelsense.avro.FilmNeighbours;
import io.reelsense.avro.Review;
import io.reelsense.avro.ScoredReview;
import io.reelsense.stream.film.FilmCatalog;
import io.reelsense.stream.registry.AvroSerdes;
import io.reelsense.stream.review.ReviewScorer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real thing end to end: an embedded KRaft broker, the embedded schema registry, Avro reviews
 * in the Confluent wire format, exactly-once v2, output read with a read_committed consumer.
 */
class ReelsenseStreamsTest {

  @RegisterExtension static final KafkaStack stack = new KafkaStack();

  @TempDir Path stateDir;

  private ReelsenseConfig config(String app, String prefix, Map<String, String> more) {
    Map<String, String> m = stack.settings(app, stateDir, prefix);
    m.putAll(more);
    return ReelsenseConfig.of(m);
  }

  private static Review review(String id, String film, String text) {
    return Review.newBuilder()
        .setReviewId(id)
        .setFilmId(film)
        .setText(text)
        .setEventTime(Instant.now())
        .build();
  }

  private static void produce(ReelsenseConfig c, List<Review> reviews, List<byte[]> raw) {
    Properties p = new Properties();
    p.putAll(c.clientProperties());
    try (KafkaProducer<String, Review> producer =
            new KafkaProducer<>(
                p,
                new StringSerializer(),
                AvroSerdes.specific(stack.client(), Review.class, false).serializer());
        KafkaProducer<byte[], byte[]> bytes =
            new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (Review r : reviews) {
        producer.send(new ProducerRecord<>(c.topics().reviews(), r.getReviewId(), r));
      }
      for (byte[] b : raw) {
        bytes.send(new ProducerRecord<>(c.topics().reviews(), "bad".getBytes(), b));
      }
    }
  }

  private static <V> List<V> consume(
      ReelsenseConfig c, String topic, Deserializer<V> de, int expected, Duration timeout) {
    Properties p = new Properties();
    p.putAll(c.clientProperties());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "check-" + topic + "-" + System.nanoTime());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<V> out = new ArrayList<>();
    try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(p, new StringDeserializer(), de)) {
      consumer.subscribe(Set.of(topic));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (out.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, V> r : consumer.poll(Duration.ofMillis(200))) {
          out.add(r.value());
        }
      }
      // a little longer, to catch duplicates arriving after the expected count
      long grace = System.nanoTime() + Duration.ofMillis(1500).toNanos();
      while (System.nanoTime() < grace) {
        for (ConsumerRecord<String, V> r : consumer.poll(Duration.ofMillis(200))) {
          out.add(r.value());
        }
      }
    }
    return out;
  }

  private static void await(BooleanSupplier condition, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition not met in time").isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  @Test
  void scoresRealAvroReviewsExactlyOnceDeadLettersBadBytesAndServesFilmSentiment()
      throws Exception {
    ReelsenseConfig c =
        config("it-main", "a-", Map.of("batch.size", "16", "batch.max.wait.ms", "50"));
    FakeClassifier model = new FakeClassifier();
    try (ReelsenseStreams app = ReelsenseStreams.start(c, new ReviewScorer(model, null))) {
      assertThat(app.awaitRunning(Duration.ofSeconds(30))).isTrue();
      List<Review> reviews = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        reviews.add(review("r" + i, "f" + (i % 5), i % 4 == 0 ? "a good film" : "dull"));
      }
      byte[] badMagic = {7, 0, 0, 0, 1, 2};
      byte[] unknownId = {0, 0, 0, 0x7f, 0x7f, 2, 'x'};
      produce(c, reviews, List.of(badMagic, unknownId, "plain text".getBytes()));

      Deserializer<ScoredReview> scoredDe =
          AvroSerdes.specific(stack.client(), ScoredReview.class, false).deserializer();
      List<ScoredReview> scored =
          consume(c, c.topics().reviewsScored(), scoredDe, 200, Duration.ofSeconds(30));
      Set<String> ids = new HashSet<>();
      scored.forEach(s -> ids.add(s.getReviewId()));
      assertThat(scored).hasSize(200);
      assertThat(ids).hasSize(200);
      assertThat(scored).allMatch(s -> s.getModelId().equals("fake@1"));
      assertThat(scored.stream().filter(s -> s.getLabel() == 1)).hasSize(50);
      assertThat(model.batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(200);
      assertThat(model.batchSizes).allMatch(n -> n <= 16);

      List<DeadLetter> dead =
          consume(
              c,
              c.topics().reviewsDlq(),
              AvroSerdes.specific(stack.client(), DeadLetter.class, false).deserializer(),
              3,
              Duration.ofSeconds(10));
      assertThat(dead).hasSize(3).allMatch(d -> d.getStage().equals("deserialize"));
      assertThat(dead.stream().map(DeadLetter::getReason))
          .anyMatch(r -> r.contains("unknown magic byte 0x07"))
          .anyMatch(r -> r.contains("unknown schema id"));

      HttpClient http = HttpClient.newHttpClient();
      ObjectMapper json = new ObjectMapper();
      await(
          () -> {
            try {
              HttpResponse<String> r =
                  http.send(
                      HttpRequest.newBuilder(URI.create(app.httpUrl() + "/films/f0/sentiment"))
                          .build(),
                      HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
              return r.statusCode() == 200 && json.readTree(r.body()).get("count").asLong() == 40;
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          },
          Duration.ofSeconds(20));
      JsonNode f0 =
          json.readTree(
              http.send(
                      HttpRequest.newBuilder(URI.create(app.httpUrl() + "/films/f0/sentiment"))
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body());
      // f0 gets reviews 0, 5, 10, …: those with i % 4 == 0 are positive (i = 0, 20, 40, …)
      assertThat(f0.get("positive_share").asDouble()).isEqualTo(10 / 40.0);
      assertThat(f0.get("mean_rating").asDouble()).isEqualTo((10 * 8 + 30 * 2) / 40.0);
      HttpResponse<String> missing =
          http.send(
              HttpRequest.newBuilder(URI.create(app.httpUrl() + "/films/nope/sentiment")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(missing.statusCode()).isEqualTo(404);
      HttpResponse<String> health =
          http.send(
              HttpRequest.newBuilder(URI.create(app.httpUrl() + "/health")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(json.readTree(health.body()).get("state").asText()).isEqualTo("RUNNING");
    }
    assertThat(model.closed).isTrue();
  }

  @Test
  void reviewsBufferedAndCommittedByOneInstanceAreScoredOnceByTheNextFromTheChangelog()
      throws Exception {
    Map<String, String> slow = Map.of("batch.size", "10000", "batch.max.wait.ms", "600000");
    ReelsenseConfig first = config("it-restart", "b-", slow);
    FakeClassifier model1 = new FakeClassifier();
    List<Review> reviews = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      reviews.add(review("x" + i, "f", "good"));
    }
    ReelsenseStreams app1 = ReelsenseStreams.start(first, new ReviewScorer(model1, null));
    try {
      assertThat(app1.awaitRunning(Duration.ofSeconds(30))).isTrue();
      produce(first, reviews, List.of());
      await(() -> app1.control().pending() == 30, Duration.ofSeconds(20));
    } finally {
      app1.closeKeepingBuffer();
    }
    assertThat(model1.batchSizes).isEmpty();

    // a new instance with an empty local state directory: the buffer comes from the changelog
    ReelsenseConfig second =
        config("it-restart", "b-", Map.of("batch.size", "10000", "batch.max.wait.ms", "50"));
    FakeClassifier model2 = new FakeClassifier();
    try (ReelsenseStreams app2 = ReelsenseStreams.start(second, new ReviewScorer(model2, null))) {
      assertThat(app2.awaitRunning(Duration.ofSeconds(30))).isTrue();
      List<ScoredReview> scored =
          consume(
              second,
              second.topics().reviewsScored(),
              AvroSerdes.specific(stack.client(), ScoredReview.class, false).deserializer(),
              30,
              Duration.ofSeconds(30));
      assertThat(scored).hasSize(30);
      assertThat(scored.stream().map(ScoredReview::getReviewId).distinct()).hasSize(30);
      assertThat(model2.batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(30);
    }
  }

  private static void produceFilms(ReelsenseConfig c, List<Film> films) {
    Properties p = new Properties();
    p.putAll(c.clientProperties());
    try (KafkaProducer<String, Film> producer =
        new KafkaProducer<>(
            p,
            new StringSerializer(),
            AvroSerdes.specific(stack.client(), Film.class, false).serializer())) {
      for (Film f : films) {
        producer.send(new ProducerRecord<>(c.topics().films(), f.getFilmId(), f));
      }
    }
  }

  private static Film film(String id, String title, String description) {
    return Film.newBuilder()
        .setFilmId(id)
        .setTitle(title)
        .setYear(2000)
        .setDescription(description)
        .setGenres(List.of("Drama"))
        .build();
  }

  @Test
  void filmVectorsComeBackFromTheChangelogSoARestartEmbedsNoFilmAgain() throws Exception {
    List<Film> films =
        List.of(
            film("kong", "King Kong", "a giant ape is shipped from his island to new york"),
            film("kong2", "Mighty Joe Young", "a giant ape from africa is shipped to new york"),
            film("heist", "Casino Job", "thieves plan a heist of a vegas casino vault"));
    ReelsenseConfig first = config("films-app", "films-", Map.of());
    FakeFilmEmbedder encoder = new FakeFilmEmbedder();
    try (ReelsenseStreams app =
        ReelsenseStreams.start(
            first,
            Topics.registry(stack.client()),
            new ReviewScorer(new FakeClassifier(), new FakeFilmEmbedder()),
            new FilmCatalog(encoder, 2))) {
      assertThat(app.awaitRunning(Duration.ofSeconds(60))).isTrue();
      produceFilms(first, films);
      List<FilmNeighbours> neighbours =
          consume(
              first,
              first.topics().filmNeighbours(),
              AvroSerdes.specific(stack.client(), FilmNeighbours.class, false).deserializer(),
              3,
              Duration.ofSeconds(60));
      assertThat(neighbours)
          .extracting(FilmNeighbours::getFilmId)
          .containsOnly("kong", "kong2", "heist");
      assertThat(encoder.texts()).isEqualTo(3);

      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> similar =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(app.httpUrl() + "/films/similar?title=king%20kong&k=1"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(similar.statusCode()).as(similar.body()).isEqualTo(200);
      JsonNode body = new ObjectMapper().readTree(similar.body());
      assertThat(body.path("films").get(0).path("film_id").asText()).isEqualTo("kong2");
      HttpResponse<String> unknown =
          http.send(
              HttpRequest.newBuilder(URI.create(app.httpUrl() + "/films/similar?title=King%20Kang"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(unknown.statusCode()).isEqualTo(404);
      assertThat(unknown.body()).contains("did you mean", "King Kong");

      // the films nearest to a scored review, from its vector on review-embeddings
      produce(first, List.of(review("r-ape", "kong", "a giant ape loose in new york")), List.of());
      URI nearReview = URI.create(app.httpUrl() + "/reviews/r-ape/films?k=2");
      java.util.concurrent.atomic.AtomicReference<HttpResponse<String>> near =
          new java.util.concurrent.atomic.AtomicReference<>();
      await(
          () -> {
            try {
              near.set(
                  http.send(
                      HttpRequest.newBuilder(nearReview).build(),
                      HttpResponse.BodyHandlers.ofString()));
              return near.get().statusCode() == 200;
            } catch (Exception e) {
              return false;
            }
          },
          Duration.ofSeconds(60));
      JsonNode nearest = new ObjectMapper().readTree(near.get().body()).path("films");
      assertThat(nearest.findValuesAsText("film_id")).containsExactlyInAnyOrder("kong", "kong2");
    }

    // a new instance with an empty state directory restores the vectors from the changelog
    ReelsenseConfig second = config("films-app", "films-", Map.of());
    FakeFilmEmbedder again = new FakeFilmEmbedder();
    FilmCatalog catalog = new FilmCatalog(again, 2);
    try (ReelsenseStreams app =
        ReelsenseStreams.start(
            second,
            Topics.registry(stack.client()),
            new ReviewScorer(new FakeClassifier(), null),
            catalog)) {
      assertThat(app.awaitRunning(Duration.ofSeconds(60))).isTrue();
      await(() -> catalog.vectors().size() == 3, Duration.ofSeconds(60));
      produceFilms(second, films);
      await(() -> catalog.unchanged() == 3, Duration.ofSeconds(60));
      assertThat(again.texts()).isZero();
      assertThat(catalog.vectors().similarTo("heist", 1)).hasSize(1);
    }
  }
}
