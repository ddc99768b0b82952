package io.reelsense.stream.review;

import static org.assertj.core.api.Assertions.assertThat;

import io.reelsense.avro.DeadLetter;
import io.reelsense.avro.Review;
import io.reelsense.avro.ReviewEmbedding;
import io.reelsense.avro.ScoredReview;
import io.reelsense.model.TextEmbedder;
import io.reelsense.stream.BatchControl;
import io.reelsense.stream.FakeClassifier;
import io.reelsense.stream.FakeWireFormatSerdes;
import io.reelsense.stream.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReviewTopologyTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir Path stateDir;

  private final Topics topics = Topics.defaults();
  private final FakeWireFormatSerdes wire = new FakeWireFormatSerdes();
  private final Topics.ValueSerdes serdes = Topics.ValueSerdes.of(wire);
  private final FakeClassifier classifier = new FakeClassifier();
  private final BatchControl control = new BatchControl();
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> in;
  private TestOutputTopic<String, ScoredReview> scored;
  private TestOutputTopic<String, ReviewEmbedding> embeddings;
  private TestOutputTopic<byte[], DeadLetter> dlq;

  private void start(int batchSize, Duration maxWait, int maxChars, TextEmbedder embedder) {
    start(new ReviewTopology.Settings(batchSize, maxWait, maxChars), embedder);
  }

  private void start(ReviewTopology.Settings settings, TextEmbedder embedder) {
    var topology =
        ReviewTopology.build(
            topics, serdes, settings, new ReviewScorer(classifier, embedder), control);
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "reelsense-test");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    driver = new TopologyTestDriver(topology, p, T0);
    in =
        driver.createInputTopic(
            topics.reviews(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
    scored =
        driver.createOutputTopic(
            topics.reviewsScored(), Serdes.String().deserializer(), serdes.scored().deserializer());
    embeddings =
        driver.createOutputTopic(
            topics.reviewEmbeddings(),
            Serdes.String().deserializer(),
            serdes.embedding().deserializer());
    dlq =
        driver.createOutputTopic(
            topics.reviewsDlq(),
            Serdes.ByteArray().deserializer(),
            serdes.deadLetter().deserializer());
  }

  @AfterEach
  void stop() {
    if (driver != null) {
      driver.close();
    }
  }

  private static Review review(String id, String film, String text) {
    return Review.newBuilder()
        .setReviewId(id)
        .setFilmId(film)
        .setText(text)
        .setSource("test")
        .setEventTime(T0.minusSeconds(60))
        .build();
  }

  private void send(Review r) {
    in.pipeInput(r.getReviewId().getBytes(StandardCharsets.UTF_8), wire.encode(r));
  }

  @Test
  void scoresInBatchesOfTheConfiguredSizeAndFlushesTheRestAfterTheMaxWait() {
    start(3, Duration.ofSeconds(10), 1000, null);
    for (int i = 0; i < 7; i++) {
      send(review("r" + i, "f1", i % 2 == 0 ? "a good film" : "a dull film"));
    }
    List<KeyValue<String, ScoredReview>> out = scored.readKeyValuesToList();
    assertThat(out).hasSize(6);
    assertThat(classifier.batchSizes).containsExactly(3, 3);
    assertThat(out).extracting(kv -> kv.key).containsExactly("r0", "r1", "r2", "r3", "r4", "r5");
    ScoredReview first = out.get(0).value;
    assertThat(first.getLabel()).isEqualTo(1);
    assertThat(first.getLabelName()).isEqualTo("positive");
    assertThat(first.getPositiveProbability()).isEqualTo(0.9);
    assertThat(first.getRating()).isEqualTo(8);
    assertThat(first.getModelId()).isEqualTo("fake@1");
    assertThat(first.getBatchSize()).isEqualTo(3);
    assertThat(first.getFilmId()).isEqualTo("f1");
    assertThat(first.getEventTime()).isEqualTo(T0.minusSeconds(60));
    assertThat(out.get(1).value.getLabelName()).isEqualTo("negative");
    assertThat(control.pending()).isEqualTo(1);

    driver.advanceWallClockTime(Duration.ofSeconds(9));
    assertThat(scored.isEmpty()).isTrue();
    driver.advanceWallClockTime(Duration.ofSeconds(2));
    List<KeyValue<String, ScoredReview>> rest = scored.readKeyValuesToList();
    assertThat(rest).extracting(kv -> kv.key).containsExactly("r6");
    assertThat(rest.get(0).value.getBatchSize()).isEqualTo(1);
    assertThat(classifier.batchSizes).containsExactly(3, 3, 1);
    assertThat(control.pending()).isZero();
    assertThat(control.scored()).isEqualTo(7);
    assertThat(dlq.isEmpty()).isTrue();
    assertThat(embeddings.isEmpty()).isTrue();
  }

  @Test
  void onceABatchHasBeenTimedBatchesAreCutToWhatFitsTheFlushTimeLimit() {
    // a time limit of 1 ns: once the first batch has been timed, every later batch takes one
    // review,
    // whatever the machine's speed
    start(new ReviewTopology.Settings(10, Duration.ofHours(1), 1000, Duration.ofNanos(1)), null);
    for (int i = 0; i < 13; i++) {
      send(review("r" + i, null, "fine"));
    }
    assertThat(classifier.batchSizes).containsExactly(10, 1, 1, 1);
    assertThat(keys(scored)).hasSize(13);
  }

  @Test
  void aBatchThatFitsTheTimeLimitHasTheConfiguredSize() {
    start(new ReviewTopology.Settings(10, Duration.ofHours(1), 1000, Duration.ofHours(1)), null);
    for (int i = 0; i < 30; i++) {
      send(review("r" + i, null, "fine"));
    }
    assertThat(classifier.batchSizes).containsExactly(10, 10, 10);
  }

  @Test
  void aLoneReviewWaitsOnlyUntilTheWallClockPunctuationAfterMaxWait() {
    start(100, Duration.ofMillis(200), 1000, null);
    send(review("a", null, "good"));
    send(review("b", null, "bad"));
    assertThat(scored.isEmpty()).isTrue();
    driver.advanceWallClockTime(Duration.ofMillis(100));
    assertThat(scored.isEmpty()).isTrue();
    driver.advanceWallClockTime(Duration.ofMillis(150));
    assertThat(keys(scored)).containsExactly("a", "b");
    assertThat(classifier.batchSizes).containsExactly(2);
  }

  @Test
  void theBufferIsWrittenToItsChangelogBeforeTheBatchRunsAndRemovedAfter() {
    start(100, Duration.ofMillis(200), 1000, null);
    TestOutputTopic<String, byte[]> changelog =
        driver.createOutputTopic(
            "reelsense-test-" + ReviewTopology.BATCH_STORE + "-changelog",
            Serdes.String().deserializer(),
            Serdes.ByteArray().deserializer());
    send(review("a", null, "good"));
    send(review("b", null, "bad"));
    List<KeyValue<String, byte[]>> buffered = changelog.readKeyValuesToList();
    assertThat(buffered).hasSize(2).allMatch(kv -> kv.value != null);
    assertThat(
            buffered.stream()
                .map(kv -> PendingReview.serde().deserializer().deserialize("x", kv.value))
                .map(p -> p.review().getReviewId()))
        .containsExactly("a", "b");
    driver.advanceWallClockTime(Duration.ofMillis(300));
    assertThat(keys(scored)).containsExactly("a", "b");
    List<KeyValue<String, byte[]>> after = changelog.readKeyValuesToList();
    assertThat(after).hasSize(2).allMatch(kv -> kv.value == null);
    KeyValueStore<String, PendingReview> store =
        driver.getKeyValueStore(ReviewTopology.BATCH_STORE);
    assertThat(store.approximateNumEntries()).isZero();
  }

  @Test
  void badRecordsGoToTheDeadLetterTopicWithStageReasonAndOriginalBytes() {
    start(2, Duration.ofMillis(100), 50, null);
    byte[] valid = wire.encode(review("ok1", "f", "good enough"));
    byte[] badMagic = valid.clone();
    badMagic[0] = 7;
    byte[] unknownId = valid.clone();
    unknownId[4] = 99;
    byte[] truncated = Arrays.copyOf(valid, 9);
    byte[] tooShort = {0, 0, 1};
    in.pipeInput("k1".getBytes(StandardCharsets.UTF_8), badMagic);
    in.pipeInput("k2".getBytes(StandardCharsets.UTF_8), unknownId);
    in.pipeInput("k3".getBytes(StandardCharsets.UTF_8), truncated);
    in.pipeInput("k4".getBytes(StandardCharsets.UTF_8), tooShort);
    in.pipeInput("k5".getBytes(StandardCharsets.UTF_8), new byte[0]);
    in.pipeInput((byte[]) null, (byte[]) null);
    send(review("empty", "f", ""));
    send(review("blank", "f", "  \n\t "));
    send(review("long", "f", "x".repeat(51)));
    send(review("", "f", "no id"));
    in.pipeInput("ok1".getBytes(StandardCharsets.UTF_8), valid);
    send(review("ok2", "f", "fine"));

    List<KeyValue<byte[], DeadLetter>> dead = dlq.readKeyValuesToList();
    assertThat(dead).hasSize(10);
    List<String> reasons = new ArrayList<>();
    for (KeyValue<byte[], DeadLetter> kv : dead) {
      reasons.add(kv.value.getStage() + ": " + kv.value.getReason());
      assertThat(kv.value.getTopic()).isEqualTo("reviews");
    }
    assertThat(reasons.get(0))
        .isEqualTo(
            "deserialize: unknown magic byte 0x07 (expected 0x00 of the Confluent wire format)");
    assertThat(reasons.get(1)).startsWith("deserialize: ").contains("unknown schema id 99");
    assertThat(reasons.get(2)).startsWith("deserialize: ").contains("cannot decode Avro");
    assertThat(reasons.get(3)).startsWith("deserialize: ").contains("too short");
    assertThat(reasons.get(4)).isEqualTo("deserialize: empty value (0 bytes)");
    assertThat(reasons.get(5)).isEqualTo("deserialize: null value (tombstone)");
    assertThat(reasons.get(6)).isEqualTo("validate: empty or whitespace-only text");
    assertThat(reasons.get(7)).isEqualTo("validate: empty or whitespace-only text");
    assertThat(reasons.get(8))
        .isEqualTo("validate: text has 51 characters, more than max.review.chars=50");
    assertThat(reasons.get(9)).isEqualTo("validate: empty review_id");

    DeadLetter magic = dead.get(0).value;
    assertThat(new String(dead.get(0).key, StandardCharsets.UTF_8)).isEqualTo("k1");
    assertThat(bytes(magic.getValue())).isEqualTo(badMagic);
    assertThat(bytes(magic.getKey())).isEqualTo("k1".getBytes(StandardCharsets.UTF_8));
    assertThat(magic.getOffset()).isZero();
    assertThat(magic.getPartition()).isZero();
    assertThat(dead.get(5).value.getValue()).isNull();
    assertThat(dead.get(5).key).isNull();
    assertThat(dead.get(8).value.getOffset()).isEqualTo(8);

    assertThat(keys(scored)).containsExactly("ok1", "ok2");
  }

  @Test
  void aModelFailureDeadLettersEveryReviewOfTheBatchAndTheStreamGoesOn() {
    start(3, Duration.ofMillis(100), 1000, null);
    send(review("a", "f", "good"));
    send(review("b", "f", "this will explode"));
    send(review("c", "f", "bad"));
    send(review("d", "f", "good again"));
    driver.advanceWallClockTime(Duration.ofMillis(200));

    List<KeyValue<byte[], DeadLetter>> dead = dlq.readKeyValuesToList();
    assertThat(dead).hasSize(3);
    assertThat(dead)
        .allSatisfy(
            kv -> {
              assertThat(kv.value.getStage()).isEqualTo("classify");
              assertThat(kv.value.getReason())
                  .isEqualTo("IllegalStateException: tensor shape mismatch");
            });
    assertThat(dead.stream().map(kv -> new String(kv.key, StandardCharsets.UTF_8)))
        .containsExactly("a", "b", "c");
    assertThat(dead.get(1).value.getOffset()).isEqualTo(1);
    Review original =
        serdes.review().deserializer().deserialize("reviews", bytes(dead.get(1).value.getValue()));
    assertThat(original.getText()).isEqualTo("this will explode");
    assertThat(keys(scored)).containsExactly("d");
    assertThat(control.failed()).isEqualTo(3);
    assertThat(control.pending()).isZero();
  }

  @Test
  void aModelAnsweringTheWrongNumberOfPredictionsIsAFailureToo() {
    classifier.batchSizes.clear();
    var shortModel =
        new io.reelsense.model.ReviewClassifier() {
          @Override
          public String modelId() {
            return "short";
          }

          @Override
          public List<io.reelsense.model.ReviewPrediction> classify(List<String> texts) {
            return List.of();
          }

          @Override
          public void close() {}
        };
    var topology =
        ReviewTopology.build(
            topics,
            serdes,
            new ReviewTopology.Settings(1, Duration.ofMillis(100), 1000),
            new ReviewScorer(shortModel, null),
            control);
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "reelsense-test");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    driver = new TopologyTestDriver(topology, p, T0);
    in =
        driver.createInputTopic(
            topics.reviews(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
    dlq =
        driver.createOutputTopic(
            topics.reviewsDlq(),
            Serdes.ByteArray().deserializer(),
            serdes.deadLetter().deserializer());
    send(review("a", "f", "good"));
    DeadLetter d = dlq.readValue();
    assertThat(d.getStage()).isEqualTo("classify");
    assertThat(d.getReason()).contains("model short returned 0 predictions for 1 texts");
  }

  @Test
  void embeddingsAreWrittenWhenAnEmbedderIsConfiguredAndItsFailureDeadLettersTheBatch() {
    TextEmbedder embedder =
        new TextEmbedder() {
          @Override
          public String modelId() {
            return "fake-encoder";
          }

          @Override
          public int dimension() {
            return 2;
          }

          @Override
          public List<float[]> embed(List<String> texts) {
            List<float[]> out = new ArrayList<>();
            for (String t : texts) {
              if (t.contains("poison")) {
                throw new IllegalArgumentException("cannot embed");
              }
              out.add(new float[] {t.length(), 1f});
            }
            return out;
          }

          @Override
          public void close() {}
        };
    start(2, Duration.ofMillis(100), 1000, embedder);
    send(review("a", "f", "good"));
    send(review("b", null, "bad!"));
    List<KeyValue<String, ReviewEmbedding>> vectors = embeddings.readKeyValuesToList();
    assertThat(vectors).extracting(kv -> kv.key).containsExactly("a", "b");
    assertThat(vectors.get(0).value.getModel()).isEqualTo("fake-encoder");
    assertThat(vectors.get(0).value.getVector()).containsExactly(4f, 1f);
    assertThat(vectors.get(1).value.getFilmId()).isNull();
    assertThat(keys(scored)).containsExactly("a", "b");

    send(review("c", "f", "poison"));
    send(review("d", "f", "good"));
    assertThat(scored.isEmpty()).isTrue();
    assertThat(embeddings.isEmpty()).isTrue();
    List<DeadLetter> dead = dlq.readValuesToList();
    assertThat(dead).hasSize(2).allMatch(d -> d.getStage().equals("embed"));
    assertThat(dead.get(0).getReason()).isEqualTo("IllegalArgumentException: cannot embed");
  }

  @Test
  void perFilmSentimentCountsPositiveShareAndMeanRating() {
    start(2, Duration.ofMillis(100), 1000, null);
    send(review("1", "f1", "good"));
    send(review("2", "f1", "bad"));
    send(review("3", "f1", "good"));
    send(review("4", "f2", "bad"));
    send(review("5", null, "good"));
    driver.advanceWallClockTime(Duration.ofMillis(200));
    KeyValueStore<String, FilmSentiment> store =
        driver.getKeyValueStore(ReviewTopology.FILM_SENTIMENT_STORE);
    FilmSentiment f1 = store.get("f1");
    assertThat(f1.count()).isEqualTo(3);
    assertThat(f1.positiveShare()).isEqualTo(2.0 / 3);
    assertThat(f1.meanRating()).isEqualTo((8 + 2 + 8) / 3.0);
    FilmSentiment f2 = store.get("f2");
    assertThat(f2.count()).isEqualTo(1);
    assertThat(f2.positiveShare()).isZero();
    assertThat(f2.meanRating()).isEqualTo(2.0);
    // count the entries (RocksDB's approximateNumEntries is an estimate and was seen to say 4)
    long entries = 0;
    try (var all = store.all()) {
      while (all.hasNext()) {
        all.next();
        entries++;
      }
    }
    assertThat(entries).isEqualTo(2);
  }

  @Test
  void drainingFlushesTheOpenBatchAtTheNextPunctuationAndThenScoresEachArrivalAtOnce() {
    start(100, Duration.ofSeconds(30), 1000, null);
    send(review("a", null, "good"));
    assertThat(scored.isEmpty()).isTrue();
    control.drain();
    driver.advanceWallClockTime(Duration.ofMillis(10_000));
    assertThat(keys(scored)).containsExactly("a");
    send(review("b", null, "good"));
    assertThat(keys(scored)).containsExactly("b");
    assertThat(control.pending()).isZero();
  }

  private static List<String> keys(TestOutputTopic<String, ScoredReview> topic) {
    return topic.readKeyValuesToList().stream().map(kv -> kv.key).toList();
  }

  private static byte[] bytes(ByteBuffer b) {
    ByteBuffer d = b.duplicate();
    byte[] out = new byte[d.remaining()];
    d.get(out);
    return out;
  }
}
