package io.reelsense.stream.review;

import io.reelsense.avro.ScoredReview;
import io.reelsense.stream.BatchControl;
import io.reelsense.stream.BatchSizer;
import io.reelsense.stream.DeadLetters;
import io.reelsense.stream.ReelsenseConfig;
import io.reelsense.stream.Topics;
import io.reelsense.stream.film.FilmTopology;
import io.reelsense.stream.serve.StreamMetrics;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The scoring topology:
 *
 * <pre>
 * reviews (raw bytes) → validate (wire format, Avro, id, text) ─┬─ ok → micro-batch classify (+embed)
 *                                                               │        ├─ reviews-scored ──→ per-film sentiment (KTable)
 *                                                               │        ├─ review-embeddings
 *                                                               │        └─ batch failed ──┐
 *                                                               └─ rejected ───────────────┴→ reviews-dlq
 * </pre>
 *
 * See {@code topology/TOPOLOGY.md} for the design and the exactly-once argument.
 */
public final class ReviewTopology {

  /** The changelogged store holding the reviews of the open micro-batch. */
  public static final String BATCH_STORE = "review-batch-buffer";

  /** The queryable store of per-film sentiment (film id → {@link FilmSentiment}). */
  public static final String FILM_SENTIMENT_STORE = "film-sentiment";

  /** Name of the repartition step that keys scores by film (topic {@code <app>-film-votes-…}). */
  public static final String FILM_VOTES = "film-votes";

  /**
   * What the topology needs from the configuration.
   *
   * @param batchSize reviews per model call
   * @param maxWait longest a review waits for its batch
   * @param maxReviewChars longer texts are dead-lettered
   * @param flushTimeLimit longest one batch's model calls should take: a batch is cut to the size
   *     that the measured time per review says fits (see {@link MicroBatchProcessor})
   */
  public record Settings(
      int batchSize, Duration maxWait, int maxReviewChars, Duration flushTimeLimit) {

    /** With the flush time limit of Kafka Streams' default timeouts under exactly-once. */
    public Settings(int batchSize, Duration maxWait, int maxReviewChars) {
      this(batchSize, maxWait, maxReviewChars, BatchSizer.DEFAULT_FLUSH_TIME_LIMIT);
    }

    public static Settings from(ReelsenseConfig config) {
      return new Settings(
          config.batchSize(),
          config.batchMaxWait(),
          config.maxReviewChars(),
          BatchSizer.flushTimeLimit(config.streamsProperties()));
    }
  }

  private ReviewTopology() {}

  /** Builds the topology over {@code topics} with the given value serdes and models. */
  public static Topology build(
      Topics topics,
      Topics.ValueSerdes serdes,
      Settings settings,
      ReviewScorer scorer,
      BatchControl control) {
    return build(topics, serdes, settings, scorer, control, StreamMetrics.inMemory());
  }

  /** Builds the topology, its processors reporting to {@code metrics}. */
  public static Topology build(
      Topics topics,
      Topics.ValueSerdes serdes,
      Settings settings,
      ReviewScorer scorer,
      BatchControl control,
      StreamMetrics metrics) {
    return build(topics, serdes, settings, scorer, control, metrics, null);
  }

  /**
   * Builds the topology with the film sub-topology of {@link FilmTopology} when {@code films} is
   * not null.
   */
  public static Topology build(
      Topics topics,
      Topics.ValueSerdes serdes,
      Settings settings,
      ReviewScorer scorer,
      BatchControl control,
      StreamMetrics metrics,
      FilmTopology.Settings films) {
    StreamsBuilder builder = new StreamsBuilder();
    // one sizer for every task of this instance: the time per review outlives a re-created task
    BatchSizer sizer = new BatchSizer(settings.batchSize(), settings.flushTimeLimit());
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(BATCH_STORE), Serdes.String(), PendingReview.serde())
            // A review scored before the next commit is put and deleted in the cache: only the
            // tombstone reaches the changelog. Whatever is buffered at a commit is flushed to the
            // changelog in that commit's transaction (see topology/TOPOLOGY.md).
            .withCachingEnabled());

    KStream<byte[], byte[]> raw =
        builder.stream(
            topics.reviews(),
            Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("reviews-source"));

    Map<String, KStream<String, StageOutput>> validated =
        raw.process(
                () ->
                    new ValidateProcessor(
                        serdes.review().deserializer(), settings.maxReviewChars(), metrics),
                Named.as("validate"))
            .split(Named.as("validate-"))
            .branch((k, v) -> v instanceof StageOutput.Accepted, Branched.as("ok"))
            .defaultBranch(Branched.as("rejected"));

    Map<String, KStream<String, StageOutput>> batched =
        validated
            .get("validate-ok")
            .mapValues(v -> ((StageOutput.Accepted) v).pending(), Named.as("accepted"))
            .process(
                () ->
                    new MicroBatchProcessor(
                        BATCH_STORE, sizer, settings.maxWait(), scorer, control, metrics),
                Named.as("micro-batch-classify"),
                BATCH_STORE)
            .split(Named.as("batch-"))
            .branch((k, v) -> v instanceof StageOutput.Scored, Branched.as("scored"))
            .branch((k, v) -> v instanceof StageOutput.Embedded, Branched.as("embedded"))
            .defaultBranch(Branched.as("failed"));

    KStream<String, ScoredReview> scored =
        batched
            .get("batch-scored")
            .mapValues(
                v -> {
                  metrics.emitted(StreamMetrics.Output.SCORED, 1);
                  return ((StageOutput.Scored) v).value();
                },
                Named.as("scored"));
    scored.to(
        topics.reviewsScored(),
        Produced.with(Topics.keySerde(), serdes.scored()).withName("reviews-scored-sink"));

    batched
        .get("batch-embedded")
        .mapValues(
            v -> {
              metrics.emitted(StreamMetrics.Output.EMBEDDINGS, 1);
              return ((StageOutput.Embedded) v).value();
            },
            Named.as("embedded"))
        .to(
            topics.reviewEmbeddings(),
            Produced.with(Topics.keySerde(), serdes.embedding())
                .withName("review-embeddings-sink"));

    DeadLetters.send(
        validated
            .get("validate-rejected")
            .merge(batched.get("batch-failed"), Named.as("dead-letters")),
        v -> ((StageOutput.Rejected) v).value(),
        topics,
        serdes,
        metrics,
        "dead-letter-original-key",
        "reviews-dlq-sink");

    scored
        .filter((k, s) -> s.getFilmId() != null && !s.getFilmId().isEmpty(), Named.as("has-film"))
        .map(
            (k, s) -> KeyValue.pair(s.getFilmId(), FilmSentiment.of(s.getLabel(), s.getRating())),
            Named.as("film-vote"))
        .groupByKey(Grouped.with(FILM_VOTES, Serdes.String(), FilmSentiment.serde()))
        .reduce(
            FilmSentiment::plus,
            Named.as("film-sentiment-sum"),
            Materialized.<String, FilmSentiment, KeyValueStore<Bytes, byte[]>>as(
                    FILM_SENTIMENT_STORE)
                .withKeySerde(Serdes.String())
                .withValueSerde(FilmSentiment.serde()));

    if (films != null) {
      FilmTopology.addTo(builder, topics, serdes, films, control, metrics);
    }
    return builder.build();
  }
}
