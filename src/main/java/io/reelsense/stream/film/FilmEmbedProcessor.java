package io.reelsense.stream.film;

import io.reelsense.avro.Film;
import io.reelsense.avro.FilmEmbedding;
import io.reelsense.avro.FilmNeighbour;
import io.reelsense.avro.FilmNeighbours;
import io.reelsense.model.similarity.FilmIndex;
import io.reelsense.model.similarity.FilmText;
import io.reelsense.model.similarity.FilmVectors;
import io.reelsense.stream.BatchControl;
import io.reelsense.stream.BatchSizer;
import io.reelsense.stream.DeadLetters;
import io.reelsense.stream.MicroBatchBuffer;
import io.reelsense.stream.serve.StreamMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;
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
 * inference). Other films wait in a changelogged {@link MicroBatchBuffer} keyed by film id (a newer
 * version replaces a waiting one) until the buffer holds {@link BatchSizer#limit()} films (the
 * batch size, cut so that the encoder call fits the flush time limit, as for reviews) or its oldest
 * has waited {@code maxWait}; the batch is embedded in one call (the encoder closes its tensors at
 * the end of the call), each vector goes to the changelogged vector store, the in-memory mirror of
 * {@link FilmCatalog} and {@code film-embeddings}, then each film's top-k to {@code
 * film-neighbours}, followed by the top-k of every older film whose list changed (see {@link
 * NeighbourList}). If the encoder fails, every film of the batch is dead-lettered with stage {@code
 * film-embed}.
 *
 * <p>A tombstone (film id, null value) deletes the film from the buffer, the vector store (its
 * changelog gets the tombstone, so a restore does not bring the film back) and the mirror, and
 * forwards tombstones to {@code film-embeddings} and {@code film-neighbours}; a tombstone of an
 * unknown film is ignored.
 */
final class FilmEmbedProcessor implements Processor<String, PendingFilm, String, FilmStage> {

  private static final Logger LOG = LoggerFactory.getLogger(FilmEmbedProcessor.class);

  private final BatchSizer sizer;
  private final FilmCatalog catalog;
  private final BatchControl control;
  private final StreamMetrics metrics;
  private final MicroBatchBuffer<PendingFilm> buffer;
  private ProcessorContext<String, FilmStage> context;
  private KeyValueStore<String, FilmVector> vectorStore;
  private KeyValueStore<String, NeighbourList> listStore;

  /** Every film's current nearest films (a copy of the list store, for the films in the mirror). */
  private final Map<String, NeighbourList> lists = new HashMap<>();

  /**
   * Lists computed when the task started (none was stored): stored and emitted at the next call.
   */
  private final Set<String> unsaved = new LinkedHashSet<>();

  private boolean idle;

  FilmEmbedProcessor(
      BatchSizer sizer,
      Duration maxWait,
      FilmCatalog catalog,
      BatchControl control,
      StreamMetrics metrics) {
    this.sizer = sizer;
    this.buffer =
        MicroBatchBuffer.byKey(FilmTopology.BUFFER_STORE, maxWait, PendingFilm::bufferedAt);
    this.catalog = catalog;
    this.control = control;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, FilmStage> context) {
    this.context = context;
    // The films source shares this sub-topology (the dead-letter merge), so there is one task per
    // partition of films; only partition 0's task reads the single films-single partition. The
    // others never get a record and must leave the shared catalog alone.
    idle = context.taskId().partition() != 0;
    if (idle) {
      return;
    }
    this.vectorStore = context.getStateStore(FilmTopology.VECTORS_STORE);
    this.listStore = context.getStateStore(FilmTopology.LISTS_STORE);
    // the store is the truth: a mirror left by an earlier run of this task (e.g. one whose
    // transaction was aborted, or before a film was deleted) may differ from it
    catalog.vectors().clear();
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
    buffer.restore(context);
    int computed = restoreLists();
    catalog.local(true);
    LOG.info(
        "film vectors restored: {} ({}), {} films waiting, {} neighbour lists computed (none"
            + " stored)",
        loaded,
        catalog.model(),
        buffer.size(),
        computed);
    buffer.schedule(context, this::tick);
  }

  /**
   * Loads the stored neighbour lists of the films in the mirror; a film without a usable one (a
   * store written before lists were kept, another encoder or {@code k}) gets one by a scan, stored
   * and emitted at the next record or tick. Returns how many were computed.
   */
  private int restoreLists() {
    lists.clear();
    unsaved.clear();
    FilmVectors mirror = catalog.vectors();
    int expected = Math.min(catalog.k(), Math.max(0, mirror.size() - 1));
    try (KeyValueIterator<String, NeighbourList> it = listStore.all()) {
      while (it.hasNext()) {
        KeyValue<String, NeighbourList> kv = it.next();
        if (usable(kv.key, kv.value, expected)) {
          lists.put(kv.key, kv.value);
        }
      }
    }
    for (String id : mirror.ids()) {
      if (!lists.containsKey(id)) {
        lists.put(id, scan(id));
        unsaved.add(id);
      }
    }
    return unsaved.size();
  }

  private boolean usable(String id, NeighbourList l, int expected) {
    if (!l.model().equals(catalog.model())
        || l.k() != catalog.k()
        || l.size() != expected
        || catalog.vectors().film(id).isEmpty()) {
      return false;
    }
    for (int i = 0; i < l.size(); i++) {
      if (l.id(i).equals(id) || catalog.vectors().film(l.id(i)).isEmpty()) {
        return false;
      }
    }
    return true;
  }

  /** A film's list by a full scan of the mirror. */
  private NeighbourList scan(String id) {
    NeighbourList l = new NeighbourList(catalog.model(), catalog.k());
    for (FilmIndex.Neighbour n : catalog.vectors().similarTo(id, catalog.k())) {
      l.offer(n.film().id(), (float) n.score());
    }
    return l;
  }

  private void saveUnsaved(long timestamp) {
    if (unsaved.isEmpty()) {
      return;
    }
    for (String id : unsaved) {
      NeighbourList l = lists.get(id);
      if (l != null) {
        save(id, l, timestamp);
      }
    }
    unsaved.clear();
  }

  /** Stores a film's list and emits it to {@code film-neighbours}. */
  private void save(String id, NeighbourList l, long timestamp) {
    listStore.put(id, l);
    context.forward(
        new Record<String, FilmStage>(id, new FilmStage.Neighbours(avro(id, l)), timestamp));
  }

  @Override
  public void process(Record<String, PendingFilm> record) {
    saveUnsaved(record.timestamp());
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
      buffer.remove(id);
      catalog.counted(0, 1, 0);
      return;
    }
    buffer.put(id, p);
    if (buffer.size() >= sizer.limit() || control.draining()) {
      flush();
    }
  }

  /**
   * Deletes a film: from the buffer if it waits there, and from the vector store and the mirror if
   * it was embedded, in which case tombstones go to {@code film-embeddings} and {@code
   * film-neighbours}. An unknown film is ignored.
   */
  private void delete(String id, long timestamp) {
    boolean waiting = buffer.remove(id);
    boolean stored = vectorStore.get(id) != null;
    if (stored) {
      vectorStore.delete(id);
      catalog.vectors().remove(id);
      lists.remove(id);
      unsaved.remove(id);
      listStore.delete(id);
      context.forward(new Record<String, FilmStage>(id, new FilmStage.Embedded(null), timestamp));
      context.forward(new Record<String, FilmStage>(id, new FilmStage.Neighbours(null), timestamp));
      // the films that listed it get their list again, by one scan each
      List<String> listing = listing(id);
      for (String other : listing) {
        NeighbourList l = scan(other);
        lists.put(other, l);
        save(other, l, timestamp);
      }
      catalog.refreshed(listing.size());
    }
    catalog.deleted(waiting || stored);
  }

  /** The films whose list holds this film. */
  private List<String> listing(String id) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, NeighbourList> e : lists.entrySet()) {
      if (!e.getKey().equals(id) && e.getValue().contains(id)) {
        out.add(e.getKey());
      }
    }
    return out;
  }

  private void tick(long now) {
    saveUnsaved(now);
    if (buffer.due(now, control.draining())) {
      flush();
    }
  }

  private void flush() {
    MicroBatchBuffer.Batch<PendingFilm> taken = buffer.take(sizer.limit());
    List<PendingFilm> batch = taken.values();
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
        long nanos = System.nanoTime() - t0;
        metrics.inference(DeadLetters.STAGE_FILM_EMBED, nanos);
        // per film embedded: a later batch is cut as if none of its films were precomputed
        sizer.timed(nanos, missing.size());
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
                    p.origin().deadLetter(DeadLetters.STAGE_FILM_EMBED, failure, now)),
                p.bufferedAt()));
      }
      catalog.counted(0, 0, batch.size());
    } else {
      // films whose list changed (to store and emit) and films whose list must be scanned again
      Set<String> changed = new LinkedHashSet<>();
      Set<String> stale = new HashSet<>();
      long latest = 0;
      for (int i = 0; i < batch.size(); i++) {
        PendingFilm p = batch.get(i);
        Film f = p.film();
        latest = Math.max(latest, p.bufferedAt());
        FilmVector v =
            new FilmVector(
                f.getFilmId(),
                f.getTitle(),
                year(f),
                FilmText.key(catalog.model(), texts.get(i)),
                catalog.model(),
                vectors.get(i));
        boolean moved = catalog.vectors().film(v.filmId()).isPresent();
        vectorStore.put(v.filmId(), v);
        catalog.vectors().put(v.entry(), v.vector());
        context.forward(
            new Record<String, FilmStage>(
                v.filmId(), new FilmStage.Embedded(embedding(v)), p.bufferedAt()));
        if (moved) {
          // a changed vector: the films that listed it may now have better candidates
          stale.addAll(listing(v.filmId()));
        }
        offer(v.filmId(), changed, stale);
      }
      for (String id : stale) {
        if (catalog.vectors().film(id).isPresent()) {
          lists.put(id, scan(id));
          changed.add(id);
        }
      }
      for (PendingFilm p : batch) {
        String id = p.film().getFilmId();
        save(id, lists.get(id), p.bufferedAt());
        changed.remove(id);
      }
      for (String id : changed) {
        save(id, lists.get(id), latest);
      }
      catalog.refreshed(changed.size());
      catalog.counted(batch.size(), 0, 0);
    }
    buffer.release(taken);
  }

  /**
   * One scan of the mirror for a new or changed film: its own list, and the film offered to every
   * other film's list (a film whose list it enters goes to {@code changed}; one without a list to
   * {@code stale}).
   */
  private void offer(String id, Set<String> changed, Set<String> stale) {
    NeighbourList own = new NeighbourList(catalog.model(), catalog.k());
    catalog
        .vectors()
        .scores(
            id,
            (film, score) -> {
              own.offer(film.id(), score);
              NeighbourList theirs = lists.get(film.id());
              if (theirs == null) {
                stale.add(film.id());
              } else if (theirs.offer(id, score)) {
                changed.add(film.id());
              }
            });
    lists.put(id, own);
    stale.remove(id);
  }

  private FilmNeighbours avro(String id, NeighbourList l) {
    List<FilmNeighbour> list = new ArrayList<>(l.size());
    for (int i = 0; i < l.size(); i++) {
      String other = l.id(i);
      list.add(
          FilmNeighbour.newBuilder()
              .setFilmId(other)
              .setTitle(catalog.vectors().film(other).map(FilmIndex.Film::title).orElse(""))
              .setScore(l.score(i))
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
    if (idle) {
      return;
    }
    catalog.local(false);
    // waiting films stay in the changelogged buffer; whoever gets the task next embeds them
    buffer.forget();
  }
}
