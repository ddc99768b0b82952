package io.reelsense.stream.film;

import io.reelsense.avro.FilmEmbedding;
import io.reelsense.avro.FilmNeighbours;
import io.reelsense.stream.BatchControl;
import io.reelsense.stream.BatchSizer;
import io.reelsense.stream.DeadLetters;
import io.reelsense.stream.Topics;
import io.reelsense.stream.review.ReviewTopology;
import io.reelsense.stream.serve.StreamMetrics;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The film sub-topology, added to {@link ReviewTopology}'s builder when a film encoder is
 * configured:
 *
 * <pre>
 * films (raw bytes) → validate-film ─┬─ ok → films-single (repartition, 1 partition) → film micro-batch embed
 *              (tombstone = delete)  │         ├─ film-embeddings (tombstone for a deleted film)
 *                                    │         ├─ film-neighbours (top-k of every new or changed film,
 *                                    │         │    and of every film whose top-k that changed)
 *                                    │         └─ batch failed ──┐
 *                                    └─ rejected ────────────────┴→ reviews-dlq (stages film-*)
 * review-embeddings → review-vectors (KTable, for "films nearest to a review")
 * </pre>
 *
 * All films go through one partition so that one task holds every film vector, which a top-k over
 * the whole catalog needs (embedding, not the scan, is the cost; see {@code topology/TOPOLOGY.md}).
 */
public final class FilmTopology {

  /** Changelogged buffer of films waiting to be embedded (film id → {@link PendingFilm}). */
  public static final String BUFFER_STORE = "film-batch-buffer";

  /** Changelogged film vectors (film id → {@link FilmVector}); queried through the mirror. */
  public static final String VECTORS_STORE = "film-vectors";

  /**
   * Changelogged current neighbour lists (film id → {@link NeighbourList}), so that an older film's
   * list can be updated when a new film enters it without a scan per film on restart.
   */
  public static final String LISTS_STORE = "film-neighbour-lists";

  /** Queryable review vectors (review id → ReviewEmbedding), from {@code review-embeddings}. */
  public static final String REVIEW_VECTORS_STORE = "review-vectors";

  /** Name of the single-partition repartition step (topic {@code <app>-films-single-…}). */
  public static final String SINGLE = "films-single";

  /**
   * What the film sub-topology needs.
   *
   * @param catalog the film encoder and the vectors' in-memory mirror
   * @param batchSize films per encoder call
   * @param maxWait longest a film waits for its batch
   * @param maxChars longer descriptions are dead-lettered
   * @param flushTimeLimit longest one batch's encoder call should take: a batch is cut to the size
   *     that the measured time per film says fits (see {@link BatchSizer})
   */
  public record Settings(
      FilmCatalog catalog, int batchSize, Duration maxWait, int maxChars, Duration flushTimeLimit) {
    public Settings {
      if (batchSize < 1) {
        throw new IllegalArgumentException("film batch size must be at least 1, got " + batchSize);
      }
    }

    /** With the flush time limit of Kafka Streams' default timeouts under exactly-once. */
    public Settings(FilmCatalog catalog, int batchSize, Duration maxWait, int maxChars) {
      this(catalog, batchSize, maxWait, maxChars, BatchSizer.DEFAULT_FLUSH_TIME_LIMIT);
    }
  }

  private FilmTopology() {}

  /** Adds the film sub-topology to a builder. */
  public static void addTo(
      StreamsBuilder builder,
      Topics topics,
      Topics.ValueSerdes serdes,
      Settings settings,
      BatchControl control,
      StreamMetrics metrics) {
    // one sizer for every task of this instance: the time per film outlives a re-created task
    BatchSizer sizer = new BatchSizer(settings.batchSize(), settings.flushTimeLimit());
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(BUFFER_STORE), Serdes.String(), PendingFilm.serde()));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(VECTORS_STORE), Serdes.String(), FilmVector.serde()));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(LISTS_STORE), Serdes.String(), NeighbourList.serde()));

    Map<String, KStream<String, FilmStage>> validated =
        builder.stream(
                topics.films(),
                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("films-source"))
            .process(
                () ->
                    new FilmValidateProcessor(
                        serdes.film().deserializer(), settings.maxChars(), metrics),
                Named.as("validate-film"))
            .split(Named.as("validate-film-"))
            .branch(
                (k, v) -> v instanceof FilmStage.Accepted || v instanceof FilmStage.Deleted,
                Branched.as("ok"))
            .defaultBranch(Branched.as("rejected"));

    Map<String, KStream<String, FilmStage>> embedded =
        validated
            .get("validate-film-ok")
            // a deletion travels as a tombstone: key film id, value null
            .mapValues(
                v -> v instanceof FilmStage.Accepted a ? a.pending() : null,
                Named.as("accepted-film"))
            .repartition(
                Repartitioned.with(Serdes.String(), PendingFilm.serde())
                    .withName(SINGLE)
                    .withNumberOfPartitions(1))
            .process(
                () ->
                    new FilmEmbedProcessor(
                        sizer, settings.maxWait(), settings.catalog(), control, metrics),
                Named.as("micro-batch-embed-film"),
                BUFFER_STORE,
                VECTORS_STORE,
                LISTS_STORE)
            .split(Named.as("film-batch-"))
            .branch((k, v) -> v instanceof FilmStage.Embedded, Branched.as("embedded"))
            .branch((k, v) -> v instanceof FilmStage.Neighbours, Branched.as("neighbours"))
            .defaultBranch(Branched.as("failed"));

    embedded
        .get("film-batch-embedded")
        .mapValues(v -> ((FilmStage.Embedded) v).value(), Named.as("film-embedding"))
        .to(
            topics.filmEmbeddings(),
            Produced.<String, FilmEmbedding>with(Topics.keySerde(), serdes.filmEmbedding())
                .withName("film-embeddings-sink"));
    embedded
        .get("film-batch-neighbours")
        .mapValues(v -> ((FilmStage.Neighbours) v).value(), Named.as("film-neighbour-list"))
        .to(
            topics.filmNeighbours(),
            Produced.<String, FilmNeighbours>with(Topics.keySerde(), serdes.filmNeighbours())
                .withName("film-neighbours-sink"));
    DeadLetters.send(
        validated
            .get("validate-film-rejected")
            .merge(embedded.get("film-batch-failed"), Named.as("film-dead-letters")),
        v -> ((FilmStage.Rejected) v).value(),
        topics,
        serdes,
        metrics,
        "film-dead-letter-original-key",
        "films-dlq-sink");

    builder.table(
        topics.reviewEmbeddings(),
        Consumed.with(Topics.keySerde(), serdes.embedding()).withName("review-embeddings-source"),
        Materialized.<String, io.reelsense.avro.ReviewEmbedding, KeyValueStore<Bytes, byte[]>>as(
                REVIEW_VECTORS_STORE)
            .withKeySerde(Topics.keySerde())
            .withValueSerde(serdes.embedding()));
  }
}
