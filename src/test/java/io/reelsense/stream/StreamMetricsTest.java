package io.reelsense.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.reelsense.avro.Review;
import io.reelsense.stream.review.ReviewScorer;
import io.reelsense.stream.review.ReviewTopology;
import io.reelsense.stream.serve.StreamMetrics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamMetricsTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir Path stateDir;

  private final FakeWireFormatSerdes wire = new FakeWireFormatSerdes();
  private final FakeClassifier classifier = new FakeClassifier();
  private final StreamMetrics metrics = StreamMetrics.prometheus();
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> in;

  private void start(int batchSize, int maxChars) {
    BatchControl control = new BatchControl();
    ReviewScorer scorer = new ReviewScorer(classifier, null);
    metrics.model(scorer.modelId(), scorer.embedderId());
    metrics.buffer(control);
    var topology =
        ReviewTopology.build(
            Topics.defaults(),
            Topics.ValueSerdes.of(wire),
            new ReviewTopology.Settings(batchSize, Duration.ofSeconds(10), maxChars),
            scorer,
            control,
            metrics);
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "reelsense-metrics-test");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    driver = new TopologyTestDriver(topology, p, T0);
    in =
        driver.createInputTopic(
            Topics.REVIEWS, Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
  }

  @AfterEach
  void stop() {
    if (driver != null) {
      driver.close();
    }
  }

  private void send(String id, String text) {
    Review r = Review.newBuilder().setReviewId(id).setFilmId("f1").setText(text).build();
    in.pipeInput(id.getBytes(StandardCharsets.UTF_8), wire.encode(r));
  }

  @Test
  void countsRecordsInAndOutDeadLettersByReasonBatchSizesAndInferenceTime() {
    start(2, 40);
    send("a", "a good film");
    send("b", "a dull film");
    send("c", "x".repeat(41));
    send("d", "   ");
    in.pipeInput("e".getBytes(StandardCharsets.UTF_8), new byte[] {7, 1, 2});
    send("f", "it will explode");
    send("g", "good");

    MeterRegistry r = metrics.registry();
    assertThat(r.get("reelsense.records.in").counter().count()).isEqualTo(7);
    assertThat(r.get("reelsense.records.out").tag("output", "scored").counter().count())
        .isEqualTo(2);
    assertThat(r.get("reelsense.records.out").tag("output", "dlq").counter().count()).isEqualTo(5);
    assertThat(r.get("reelsense.records.out").tag("output", "embeddings").counter().count())
        .isZero();
    assertThat(
            r.get("reelsense.dlq")
                .tag("stage", "validate")
                .tag("reason", "text_too_long")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(
            r.get("reelsense.dlq")
                .tag("stage", "validate")
                .tag("reason", "blank_text")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(r.get("reelsense.dlq").tag("stage", "deserialize").counter().count()).isEqualTo(1);
    assertThat(
            r.get("reelsense.dlq")
                .tag("stage", "classify")
                .tag("reason", "illegalstateexception")
                .counter()
                .count())
        .isEqualTo(2);
    assertThat(r.get("reelsense.batch.size").summary().count()).isEqualTo(2);
    assertThat(r.get("reelsense.batch.size").summary().totalAmount()).isEqualTo(4);
    assertThat(r.get("reelsense.inference").tag("stage", "classify").timer().count()).isEqualTo(1);
    assertThat(r.get("reelsense.buffer.pending").gauge().value()).isZero();

    String text = metrics.scrape().orElseThrow();
    assertThat(text)
        .contains("reelsense_records_in_total 7.0")
        .contains("reelsense_records_out_total{output=\"scored\"} 2.0")
        .contains("reelsense_dlq_total{reason=\"text_too_long\",stage=\"validate\"} 1.0")
        .contains("reelsense_batch_size_count 2")
        .contains("reelsense_inference_seconds_bucket{stage=\"classify\",le=")
        .contains("reelsense_model_info{embedder=\"none\",model=\"fake@1\"} 1")
        .contains("reelsense_buffer_pending 0.0");
  }

  @Test
  void anOversizedReviewIsRejectedBeforeTheModelSeesIt() {
    start(1, 40);
    send("long", "good ".repeat(9));
    assertThat(classifier.batchSizes).isEmpty();
    send("short", "good");
    assertThat(classifier.batchSizes).containsExactly(1);
    assertThat(
            metrics
                .registry()
                .get("reelsense.dlq")
                .tag("reason", "text_too_long")
                .counter()
                .count())
        .isEqualTo(1);
  }

  @Test
  void reasonCodesAreShortAndBounded() {
    assertThat(StreamMetrics.reasonCode("unknown magic byte 0x07 (expected 0x00)"))
        .isEqualTo("unknown_magic_byte");
    assertThat(StreamMetrics.reasonCode("IllegalStateException: boom"))
        .isEqualTo("illegalstateexception");
    assertThat(StreamMetrics.reasonCode("empty review_id")).isEqualTo("empty_review_id");
    assertThat(StreamMetrics.reasonCode("null value (tombstone)")).isEqualTo("null_value");
    assertThat(StreamMetrics.reasonCode("")).isEqualTo("unspecified");
    assertThat(StreamMetrics.reasonCode("123")).isEqualTo("other");
    assertThat(StreamMetrics.reasonCode("a b c d e f g h")).isEqualTo("a_b_c_d_e");
  }

  @Test
  void reasonsWhoseFirstWordsNameNoProblemGetClearCodes() {
    assertThat(
            StreamMetrics.reasonCode(
                "text has 1000000 characters, more than max.review.chars=100000"))
        .isEqualTo("text_too_long");
    assertThat(
            StreamMetrics.reasonCode(
                "value of 3 bytes is too short for the Confluent wire format (magic + 4-byte"
                    + " schema id)"))
        .isEqualTo("value_too_short");
    assertThat(StreamMetrics.reasonCode("description has 200001 characters, more than 100000"))
        .isEqualTo("description_too_long");
    assertThat(StreamMetrics.reasonCode("empty or whitespace-only text")).isEqualTo("blank_text");
    assertThat(StreamMetrics.reasonCode("malformed Avro payload for schema 3: bad union index"))
        .isEqualTo("malformed_avro_payload");
    assertThat(StreamMetrics.reasonCode("truncated Avro payload: 5 bytes"))
        .isEqualTo("truncated_avro_payload");
  }

  @Test
  void reasonCodesStayBounded() {

    StreamMetrics m = StreamMetrics.inMemory();
    for (int i = 0; i < StreamMetrics.MAX_REASONS + 10; i++) {
      m.deadLettered("classify", "reason" + (char) ('a' + i % 26) + (char) ('a' + i / 26) + " x");
    }
    assertThat(m.registry().find("reelsense.dlq").tag("stage", "classify").counters())
        .hasSize(StreamMetrics.MAX_REASONS + 1);
    assertThat(m.registry().get("reelsense.dlq").tag("reason", "other").counter().count())
        .isEqualTo(10);
    assertThat(m.registry().get("reelsense.records.out").tag("output", "dlq").counter().count())
        .isEqualTo(StreamMetrics.MAX_REASONS + 10);
    assertThat(m.scrape()).isEqualTo(Optional.empty());
  }
}
