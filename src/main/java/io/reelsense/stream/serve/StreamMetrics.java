package io.reelsense.stream.serve;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.reelsense.stream.BatchControl;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The application's metrics, in Micrometer (exposed in the Prometheus text format on {@code GET
 * /metrics}). Shared by every processor of an instance; thread-safe.
 *
 * <ul>
 *   <li>{@code reelsense_records_in_total}: records read from the reviews topic;
 *   <li>{@code reelsense_records_out_total{output="scored|embeddings|dlq"}}: records written;
 *   <li>{@code reelsense_dlq_total{stage,reason}}: dead letters by stage and a short reason code;
 *   <li>{@code reelsense_batch_size}: reviews per model call (distribution summary);
 *   <li>{@code reelsense_inference_seconds{stage="classify|embed"}}: model time per batch
 *       (histogram);
 *   <li>{@code reelsense_model_info{model,embedder}}: 1, naming the models in use;
 *   <li>{@code reelsense_buffer_pending}: reviews waiting in the micro-batch buffers;
 *   <li>{@code reelsense_consumer_lag_max}: the largest lag of the consumer over its partitions,
 *       and every Kafka Streams client metric ({@code kafka_*}, e.g. {@code
 *       kafka_consumer_fetch_manager_records_lag}) through Micrometer's {@link
 *       KafkaStreamsMetrics}.
 * </ul>
 *
 * Rates per second are Prometheus' business: {@code rate(reelsense_records_in_total[1m])}.
 */
public final class StreamMetrics {

  /** Where an output record went. */
  public enum Output {
    SCORED,
    EMBEDDINGS,
    DLQ;

    String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** At most this many distinct reason codes per stage; further ones count as {@code other}. */
  public static final int MAX_REASONS = 32;

  private final MeterRegistry registry;
  private final Counter in;
  private final Map<Output, Counter> out = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> reasons = new ConcurrentHashMap<>();
  private final DistributionSummary batchSize;
  private final Map<String, Timer> inference = new ConcurrentHashMap<>();

  public StreamMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.in =
        Counter.builder("reelsense.records.in")
            .description("records read from the reviews topic")
            .register(registry);
    for (Output o : Output.values()) {
      out.put(
          o,
          Counter.builder("reelsense.records.out")
              .description("records written, by output")
              .tag("output", o.tag())
              .register(registry));
    }
    this.batchSize =
        DistributionSummary.builder("reelsense.batch.size")
            .description("reviews per model call")
            .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)
            .register(registry);
  }

  /** Metrics kept in memory only (tests, tools without an HTTP endpoint). */
  public static StreamMetrics inMemory() {
    return new StreamMetrics(new SimpleMeterRegistry());
  }

  /** Metrics in a Prometheus registry, scraped by {@link #scrape()}. */
  public static StreamMetrics prometheus() {
    return new StreamMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** One record read from the reviews topic. */
  public void received() {
    in.increment();
  }

  /** {@code n} records written to {@code output}. */
  public void emitted(Output output, int n) {
    out.get(output).increment(n);
  }

  /** One dead letter of {@code stage}; {@code reason} is reduced to a short code for the tag. */
  public void deadLettered(String stage, String reason) {
    String s = stage == null || stage.isBlank() ? "unknown" : stage;
    String code = reasonCode(reason);
    Set<String> seen = reasons.computeIfAbsent(s, k -> ConcurrentHashMap.newKeySet());
    if (!seen.contains(code)) {
      if (seen.size() >= MAX_REASONS) {
        code = "other";
      } else {
        seen.add(code);
      }
    }
    Counter.builder("reelsense.dlq")
        .description("dead letters by stage and reason")
        .tag("stage", s)
        .tag("reason", code)
        .register(registry)
        .increment();
    emitted(Output.DLQ, 1);
  }

  /** One model call over {@code size} reviews. */
  public void batch(int size) {
    batchSize.record(size);
  }

  /** The model time of one batch at {@code stage} ({@code classify} or {@code embed}). */
  public void inference(String stage, long nanos) {
    inference
        .computeIfAbsent(
            stage,
            s ->
                Timer.builder("reelsense.inference")
                    .description("model time per batch")
                    .tag("stage", s)
                    .publishPercentileHistogram()
                    .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Names the models in use: {@code reelsense_model_info{model=…,embedder=…} 1}. */
  public void model(String modelId, Optional<String> embedderId) {
    Gauge.builder("reelsense.model.info", () -> 1)
        .description("the models in use")
        .tag("model", modelId == null ? "" : modelId)
        .tag("embedder", embedderId.orElse("none"))
        .register(registry);
  }

  /** Reports the reviews waiting in the buffers of {@code control}. */
  public void buffer(BatchControl control) {
    Gauge.builder("reelsense.buffer.pending", control, BatchControl::pending)
        .description("reviews waiting in the micro-batch buffers")
        .register(registry);
  }

  /**
   * Binds the client metrics of {@code streams} (consumer lag among them); the returned binder is
   * closed with the application.
   */
  public KafkaStreamsMetrics bind(KafkaStreams streams) {
    KafkaStreamsMetrics binder = new KafkaStreamsMetrics(streams);
    binder.bindTo(registry);
    Gauge.builder("reelsense.consumer.lag.max", streams, StreamMetrics::maxLag)
        .description("largest records-lag-max of the application's consumers")
        .register(registry);
    return binder;
  }

  /** The largest {@code records-lag-max} of the consumers of {@code streams}; 0 when unknown. */
  static double maxLag(KafkaStreams streams) {
    double max = 0;
    for (Map.Entry<MetricName, ? extends Metric> e : streams.metrics().entrySet()) {
      MetricName n = e.getKey();
      if (n.name().equals("records-lag-max")
          && n.group().equals("consumer-fetch-manager-metrics")
          && !n.tags().containsKey("topic")) {
        Object v = e.getValue().metricValue();
        if (v instanceof Number num && !Double.isNaN(num.doubleValue())) {
          max = Math.max(max, num.doubleValue());
        }
      }
    }
    return max;
  }

  /** The application's consumer lag as {@code reelsense_consumer_lag_max} reports it; 0 before. */
  public double consumerLag() {
    var g = registry.find("reelsense.consumer.lag.max").gauge();
    return g == null || Double.isNaN(g.value()) ? 0 : g.value();
  }

  /** The Prometheus text exposition, when this is a Prometheus registry. */
  public Optional<String> scrape() {
    return registry instanceof PrometheusMeterRegistry p
        ? Optional.of(p.scrape())
        : Optional.empty();
  }

  /**
   * Codes of the reasons whose leading words do not name the problem (a size or a count follows
   * them), by the lower-case start of the reason. The codes before these names are listed in
   * CHANGELOG.md: {@code text_has}, {@code value_of}, {@code empty_or_whitespaceonly_text}, {@code
   * malformed_avro_payload_for_schema}.
   */
  private static final Map<String, String> KNOWN_REASONS =
      Map.of(
          "text has ", "text_too_long",
          "description has ", "description_too_long",
          "value of ", "value_too_short",
          "empty or whitespace-only text", "blank_text",
          "malformed avro payload", "malformed_avro_payload");

  /**
   * A short, bounded code for a dead-letter reason, for a metric tag: a clear name for the reasons
   * of {@code KNOWN_REASONS} ({@code "text has 1000000 characters, …"} → {@code text_too_long}),
   * else the leading words of the reason up to the first number, quote, parenthesis, colon or
   * comma, lower case, joined by {@code _} (at most 5 words): {@code "unknown magic byte 0x07
   * (...)"} → {@code unknown_magic_byte}, {@code "IllegalStateException: boom"} → {@code
   * illegalstateexception}.
   */
  public static String reasonCode(String reason) {
    if (reason == null || reason.isBlank()) {
      return "unspecified";
    }
    String lower = reason.trim().toLowerCase(Locale.ROOT);
    for (Map.Entry<String, String> known : KNOWN_REASONS.entrySet()) {
      if (lower.startsWith(known.getKey())) {
        return known.getValue();
      }
    }
    StringBuilder sb = new StringBuilder();
    int words = 0;
    for (String w : reason.trim().split("\\s+")) {
      String word = w.toLowerCase(Locale.ROOT);
      int stop = indexOfStop(word);
      String head = stop < 0 ? word : word.substring(0, stop);
      head = head.replaceAll("[^a-z_]", "");
      if (!head.isEmpty()) {
        if (sb.length() > 0) {
          sb.append('_');
        }
        sb.append(head);
        words++;
      }
      if (stop >= 0 || words == 5) {
        break;
      }
    }
    return sb.length() == 0 ? "other" : sb.toString();
  }

  private static int indexOfStop(String word) {
    for (int i = 0; i < word.length(); i++) {
      char c = word.charAt(i);
      if (Character.isDigit(c) || "'\"(:,;=[{".indexOf(c) >= 0) {
        return i;
      }
    }
    return -1;
  }
}
