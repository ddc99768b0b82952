package io.reelsense.stream.film;

import io.reelsense.model.TextEmbedder;
import io.reelsense.model.similarity.FilmIndex;
import io.reelsense.model.similarity.FilmVectors;
import io.reelsense.stream.StreamModels;
import io.reelsense.stream.review.ReviewScorer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The film side of one application instance, shared by the film embedding processor (which writes)
 * and the interactive-query server (which reads): the film encoder, and an in-memory mirror of the
 * changelogged {@link FilmTopology#VECTORS_STORE} for exact top-k scans (the store is the truth;
 * the processor fills the mirror from it when its task starts and updates both). Embedding calls
 * are serialized, as in {@link ReviewScorer}. Closing it closes the encoder.
 */
public final class FilmCatalog implements AutoCloseable {

  private final TextEmbedder embedder;
  private final int k;
  private final FilmVectors vectors;
  private final AtomicLong embedded = new AtomicLong();
  private final AtomicLong unchanged = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong deleted = new AtomicLong();
  private final AtomicLong ignoredDeletes = new AtomicLong();
  private final AtomicLong refreshed = new AtomicLong();
  private volatile boolean local;
  private volatile Map<String, float[]> precomputed = Map.of();

  /**
   * @param embedder the film encoder, owned from now on
   * @param k how many neighbours each new or changed film gets on {@code film-neighbours}
   */
  public FilmCatalog(TextEmbedder embedder, int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, got " + k);
    }
    this.embedder = embedder;
    this.k = k;
    this.vectors = new FilmVectors(embedder.dimension());
  }

  /** The film encoder's name. */
  public String model() {
    return embedder.modelId();
  }

  /** Neighbours per film on {@code film-neighbours}. */
  public int k() {
    return k;
  }

  /** The film vectors held by this instance. */
  public FilmVectors vectors() {
    return vectors;
  }

  /** Whether this instance runs the film task (and so holds every film vector). */
  public boolean local() {
    return local;
  }

  void local(boolean holdsTask) {
    this.local = holdsTask;
  }

  /**
   * Vectors this encoder already made offline (e.g. by {@code reelsense films index}), by {@link
   * io.reelsense.model.similarity.FilmText#key}: a film whose key is there is not embedded again.
   */
  public void precomputed(Map<String, float[]> vectors) {
    this.precomputed = Map.copyOf(vectors);
  }

  /** The precomputed vector of a text key, or null. */
  float[] precomputed(String textKey) {
    float[] v = precomputed.get(textKey);
    return v != null && v.length == vectors.dimension() ? v : null;
  }

  /** Embeds texts with the film encoder; throws when it fails or miscounts. */
  public synchronized List<float[]> embed(List<String> texts) {
    return StreamModels.oneEach(
        embedder.embed(texts), texts, "film encoder " + embedder.modelId(), "vectors");
  }

  /** The films closest to a free text, embedded like a film's text. */
  public List<FilmIndex.Neighbour> similarToText(String text, int k) {
    return vectors.nearest(embed(List.of(text)).get(0), k);
  }

  /** Films embedded so far by this instance. */
  public long embedded() {
    return embedded.get();
  }

  /** Films that arrived again with the same text and model, and were not embedded again. */
  public long unchanged() {
    return unchanged.get();
  }

  /** Films dead-lettered because their batch failed to embed. */
  public long failed() {
    return failed.get();
  }

  /** Films deleted by a tombstone. */
  public long deleted() {
    return deleted.get();
  }

  /** Tombstones of films this instance did not know (nothing to delete). */
  public long ignoredDeletes() {
    return ignoredDeletes.get();
  }

  /**
   * Neighbour lists emitted again for films already there, because a new, changed or deleted film
   * changed them.
   */
  public long refreshed() {
    return refreshed.get();
  }

  void refreshed(long lists) {
    refreshed.addAndGet(lists);
  }

  void deleted(boolean known) {
    (known ? deleted : ignoredDeletes).incrementAndGet();
  }

  void counted(long embeddedNow, long unchangedNow, long failedNow) {
    embedded.addAndGet(embeddedNow);
    unchanged.addAndGet(unchangedNow);
    failed.addAndGet(failedNow);
  }

  @Override
  public void close() {
    embedder.close();
  }
}
