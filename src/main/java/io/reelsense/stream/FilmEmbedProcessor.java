package io.reelsense.stream;

import io.reelsense.avro.Film;
import io.reelsense.avro.FilmEmbedding;
import io.reelsense.avro.FilmNeighbour;
import io.reelsense.avro.FilmNeighbours;
import io.reelsense.model.similarity.FilmIndex;
import io.reelsense.model.similarity.FilmText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embeds films in micro-batches and answers, for every new or changed film, its nearest films.
 *
 * <p>It runs on the single partition of the films repartition topic, so one task sees every film. A
 * film whose text (FilmText: its description without the opening title) and encoder are those of
 * its stored vector is not embedded again (a restart or a replay of the catalog costs no
 * inference). Other films wait in a changelogged buffer keyed by film id (a newer version replaces
 * a waiting one) until the buffer holds {@code batchSize} films or its oldest has waited {@code
 * maxWait}; the batch is embedded in one call (the encoder closes its tensors at the end of the
 * call), each vector goes to the changelogged vector store, the in-memory mirror of {@link
 * FilmCatalog} and {@code film-embeddings}, then each film's top-k to {@code film-neighbours}. If
 * the encoder fails, every film of the batch is dead-lettered with stage {@code film-embed}.
 *
 * <p>A tombstone (film id, null value) deletes the film from the buffer, the vector store (its
 * changelog gets the tombstone, so a restore does not bring the film back) and the mirror, and
 * forwards tombstones to {@code film-embeddings} and {@code film-neighbours}; a tombstone of an
 * unknown film is ignored.
 */
final class FilmEmbedProcessor implements Processor<String, PendingFilm, String, FilmStage> {

  private static final Logger LOG = LoggerFactory.getLogger(FilmEmbedProcessor.class);

  private final int batchSize;
  private final long maxWaitMs;
  private final FilmCatalog catalog;
  private final BatchControl control;
  private final StreamMetrics metrics;
  private final Map<String, PendingFilm> buffer = new LinkedHashMap<>();
  private ProcessorContext<String, FilmStage> context;
  private KeyValueStore<String, PendingFilm> bufferStore;
  private KeyValueStore<String, FilmVector> vectorStore;
  private Cancellable punctuation;
  private long oldestBufferedAt = Long.MAX_VALUE;

  FilmEmbedProcessor(
      int batchSize,
      Duration maxWait,
      FilmCatalog catalog,
      BatchControl control,
      StreamMetrics metrics) {
    this.batchSize = batchSize;
    this.maxWaitMs = Math.max(1, maxWait.toMillis());
    this.catalog = catalog;
    this.control = control;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, FilmStage> context) {
    this.context = context;
    this.bufferStore = context.getStateStore(FilmTopology.BUFFER_STORE);
    this.vectorStore = context.getStateStore(FilmTopology.VECTORS_STORE);
    buffer.clear();
    oldestBufferedAt = Long.MAX_VALUE;
    int loaded = 0;
    int otherModel = 0;
    try (KeyValueIterator<String, FilmVector> it = vectorStore.all()) {
      while (it.hasNext()) {
        FilmVector v = it.next().value;
        if (v.model().equals(catalog.model())
            && v.vector().length == catalog.vectors().dimension()) {
          catalog.vectors().put(v.entry(), v.vector());
          loaded++;
        } else {
          otherModel++;
        }
      }
    }
    if (otherModel > 0) {
      LOG.warn(
          "{} stored film vectors were made by another encoder than {}; those films are embedded"
              + " again when they arrive again",
          otherModel,
          catalog.model());
    }
    try (KeyValueIterator<String, PendingFilm> it = bufferStore.all()) {
      while (it.hasNext()) {
        KeyValue<String, PendingFilm> kv = it.next();
        buffer.put(kv.key, kv.value);
        oldestBufferedAt = Math.min(oldestBufferedAt, kv.value.bufferedAt());
      }
    }
    catalog.local(true);
    LOG.info(
        "film vectors restored: {} ({}), {} films waiting", loaded, catalog.model(), buffer.size());
    long interval = Math.max(1, Math.min(maxWaitMs / 4, MicroBatchProcessor.MAX_TICK_MS));
    punctuation =
        context.schedule(Duration.ofMillis(interval), PunctuationType.WALL_CLOCK_TIME, this::tick);
  }

  @Override
  public void process(Record<String, PendingFilm> record) {
    PendingFilm p = record.value();
    if (p == null) {
      delete(record.key(), record.timestamp());
      return;
    }
    Film f = p.film();
    String id = f.getFilmId();
    FilmVector stored = vectorStore.get(id);
    String key = FilmText.key(catalog.model(), text(f));
    if (stored != null && stored.textKey().equals(key) && stored.model().equals(catalog.model())) {
      int year = year(f);
      if (stored.year() != year) {
        FilmVector updated =
            new FilmVector(id, f.getTitle(), year, key, stored.model(), stored.vector());
        vectorStore.put(id, updated);
        catalog.vectors().put(updated.entry(), updated.vector());
      }
      if (buffer.remove(id) != null) {
        bufferStore.delete(id);
      }
      catalog.counted(0, 1, 0);
      return;
    }
    buffer.remove(id);
    buffer.put(id, p);
    bufferStore.put(id, p);
    oldestBufferedAt = Math.min(oldestBufferedAt, p.bufferedAt());
    if (buffer.size() >= batchSize || control.draining()) {
      flush();
    }
  }

  /**
   * Deletes a film: from the buffer if it waits there, and from the vector store and the mirror if
   * it was embedded, in which case tombstones go to {@code film-embeddings} and {@code
   * film-neighbours}. An unknown film is ignored.
   */
  private void delete(String id, long timestamp) {
    boolean waiting = buffer.remove(id) != null;
    if (waiting) {
      bufferStore.delete(id);
      oldestBufferedAt = Long.MAX_VALUE;
      for (PendingFilm w : buffer.values()) {
        oldestBufferedAt = Math.min(oldestBufferedAt, w.bufferedAt());
      }
    }
    boolean stored = vectorStore.get(id) != null;
    if (stored) {
      vectorStore.delete(id);
      catalog.vectors().remove(id);
      context.forward(new Record<String, FilmStage>(id, new FilmStage.Embedded(null), timestamp));
      context.forward(new Record<String, FilmStage>(id, new FilmStage.Neighbours(null), timestamp));
    }
    catalog.deleted(waiting || stored);
  }

  private void tick(long now) {
    if (!buffer.isEmpty() && (control.draining() || now - oldestBufferedAt >= maxWaitMs)) {
      flush();
    }
  }

  private void flush() {
    List<PendingFilm> batch = new ArrayList<>(buffer.values());
    List<String> texts = batch.stream().map(p -> text(p.film())).toList();
    List<float[]> vectors = null;
    String failure = null;
    long t0 = System.nanoTime();
    try {
      vectors = new ArrayList<>(batch.size());
      List<Integer> missing = new ArrayList<>();
      for (int i = 0; i < texts.size(); i++) {
        float[] known = catalog.precomputed(FilmText.key(catalog.model(), texts.get(i)));
        vectors.add(known);
        if (known == null) {
          missing.add(i);
        }
      }
      if (!missing.isEmpty()) {
        List<float[]> made = catalog.embed(missing.stream().map(texts::get).toList());
        for (int m = 0; m < missing.size(); m++) {
          vectors.set(missing.get(m), made.get(m));
        }
        metrics.inference(DeadLetters.STAGE_FILM_EMBED, System.nanoTime() - t0);
      }
    } catch (RuntimeException e) {
      vectors = null;
      failure = DeadLetters.reason(e);
    }
    long now = context.currentSystemTimeMs();
    if (failure != null) {
      for (PendingFilm p : batch) {
        context.forward(
            new Record<String, FilmStage>(
                p.film().getFilmId(),
                new FilmStage.Rejected(
                    DeadLetters.of(
                        p.topic(),
                        p.partition(),
                        p.offset(),
                        DeadLetters.STAGE_FILM_EMBED,
                        failure,
                        p.key(),
                        p.value(),
                        now)),
                p.bufferedAt()));
      }
      catalog.counted(0, 0, batch.size());
    } else {
      for (int i = 0; i < batch.size(); i++) {
        Film f = batch.get(i).film();
        FilmVector v =
            new FilmVector(
                f.getFilmId(),
                f.getTitle(),
                year(f),
                FilmText.key(catalog.model(), texts.get(i)),
                catalog.model(),
                vectors.get(i));
        vectorStore.put(v.filmId(), v);
        catalog.vectors().put(v.entry(), v.vector());
        context.forward(
            new Record<String, FilmStage>(
                v.filmId(), new FilmStage.Embedded(embedding(v)), batch.get(i).bufferedAt()));
      }
      for (PendingFilm p : batch) {
        String id = p.film().getFilmId();
        context.forward(
            new Record<String, FilmStage>(
                id, new FilmStage.Neighbours(neighbours(id)), p.bufferedAt()));
      }
      catalog.counted(batch.size(), 0, 0);
    }
    for (PendingFilm p : batch) {
      bufferStore.delete(p.film().getFilmId());
    }
    buffer.clear();
    oldestBufferedAt = Long.MAX_VALUE;
  }

  private FilmNeighbours neighbours(String id) {
    List<FilmNeighbour> list = new ArrayList<>();
    for (FilmIndex.Neighbour n : catalog.vectors().similarTo(id, catalog.k())) {
      list.add(
          FilmNeighbour.newBuilder()
              .setFilmId(n.film().id())
              .setTitle(n.film().title())
              .setScore(n.score())
              .build());
    }
    return FilmNeighbours.newBuilder()
        .setFilmId(id)
        .setModel(catalog.model())
        .setNeighbours(list)
        .build();
  }

  private static FilmEmbedding embedding(FilmVector v) {
    List<Float> list = new ArrayList<>(v.vector().length);
    for (float x : v.vector()) {
      list.add(x);
    }
    return FilmEmbedding.newBuilder()
        .setFilmId(v.filmId())
        .setModel(v.model())
        .setVector(list)
        .build();
  }

  private static String text(Film f) {
    return FilmText.of(f.getTitle(), f.getDescription());
  }

  private static int year(Film f) {
    return f.getYear() == null ? 0 : f.getYear();
  }

  @Override
  public void close() {
    if (punctuation != null) {
      punctuation.cancel();
    }
    catalog.local(false);
    // waiting films stay in the changelogged buffer; whoever gets the task next embeds them
    buffer.clear();
  }
}
