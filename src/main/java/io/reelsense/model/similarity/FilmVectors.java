package io.reelsense.model.similarity;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A growing set of film vectors for exact nearest-neighbour queries while films arrive: the
 * streaming counterpart of {@link FilmIndex}. Vectors are normalized and kept row after row in one
 * array that doubles when full; a changed film overwrites its row, a removed one is replaced by the
 * last row. Safe for one writer and many readers at once (a read-write lock); title lookups use a
 * {@link FilmTitles} rebuilt on the first lookup after a change.
 */
public final class FilmVectors {

  private final int dimension;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final Map<String, Integer> rows = new HashMap<>();
  private final List<FilmIndex.Film> films = new ArrayList<>();
  private float[] matrix;
  private FilmTitles titles;
  private long version;

  /** An empty set of vectors of this length. */
  public FilmVectors(int dimension) {
    if (dimension < 1) {
      throw new IllegalArgumentException("dimension must be at least 1, got " + dimension);
    }
    this.dimension = dimension;
    this.matrix = new float[dimension * 1024];
  }

  /** Length of every vector. */
  public int dimension() {
    return dimension;
  }

  /** Number of films. */
  public int size() {
    lock.readLock().lock();
    try {
      return films.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Adds a film or replaces its entry and vector (by id). */
  public void put(FilmIndex.Film film, float[] vector) {
    if (vector.length != dimension) {
      throw new IllegalArgumentException(
          "vector has " + vector.length + " dimensions, expected " + dimension);
    }
    float[] v = FilmIndex.normalized(vector);
    lock.writeLock().lock();
    try {
      Integer row = rows.get(film.id());
      if (row == null) {
        row = films.size();
        if ((row + 1) * dimension > matrix.length) {
          matrix = Arrays.copyOf(matrix, matrix.length * 2);
        }
        rows.put(film.id(), row);
        films.add(film);
      } else {
        films.set(row, film);
      }
      System.arraycopy(v, 0, matrix, row * dimension, dimension);
      titles = null;
      version++;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Removes a film (its row is filled with the last row, so the array stays contiguous); returns
   * whether it was there.
   */
  public boolean remove(String id) {
    lock.writeLock().lock();
    try {
      Integer row = rows.remove(id);
      if (row == null) {
        return false;
      }
      int last = films.size() - 1;
      if (row != last) {
        FilmIndex.Film moved = films.get(last);
        films.set(row, moved);
        rows.put(moved.id(), row);
        System.arraycopy(matrix, last * dimension, matrix, row * dimension, dimension);
      }
      films.remove(last);
      titles = null;
      version++;
      return true;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Removes every film. */
  public void clear() {
    lock.writeLock().lock();
    try {
      rows.clear();
      films.clear();
      titles = null;
      version++;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** The film with this id, if present. */
  public Optional<FilmIndex.Film> film(String id) {
    lock.readLock().lock();
    try {
      Integer row = rows.get(id);
      return row == null ? Optional.empty() : Optional.of(films.get(row));
    } finally {
      lock.readLock().unlock();
    }
  }

  /** A copy of the normalized vector of a film, if present. */
  public Optional<float[]> vector(String id) {
    lock.readLock().lock();
    try {
      Integer row = rows.get(id);
      return row == null
          ? Optional.empty()
          : Optional.of(Arrays.copyOfRange(matrix, row * dimension, (row + 1) * dimension));
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * The id of the film with this title (and year when not null).
   *
   * @throws FilmLookupException when no film or several films match, with the candidates
   */
  public String findTitle(String title, Integer year) {
    FilmTitles t;
    List<FilmIndex.Film> snapshot;
    long seen;
    lock.readLock().lock();
    try {
      snapshot = List.copyOf(films);
      t = titles;
      seen = version;
    } finally {
      lock.readLock().unlock();
    }
    if (t == null) {
      t = new FilmTitles(snapshot);
      lock.writeLock().lock();
      try {
        if (version == seen) {
          titles = t;
        }
      } finally {
        lock.writeLock().unlock();
      }
    }
    return snapshot.get(t.find(title, year)).id();
  }

  /** The {@code k} films most similar to the film with this id (itself excluded). */
  public List<FilmIndex.Neighbour> similarTo(String id, int k) {
    lock.readLock().lock();
    try {
      int row = rowOf(id);
      float[] q = Arrays.copyOfRange(matrix, row * dimension, (row + 1) * dimension);
      return scan(q, k, row);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * The row of the film with this id (callers hold the read lock); an error naming an unknown id.
   */
  private int rowOf(String id) {
    Integer row = rows.get(id);
    if (row == null) {
      throw new IllegalArgumentException("no film with id '" + id + "'");
    }
    return row;
  }

  /** Receives one film and its score. */
  @FunctionalInterface
  public interface ScoreSink {
    /** One film and its cosine with the query film. */
    void accept(FilmIndex.Film film, float score);
  }

  /**
   * Hands {@code sink} every other film with its cosine with the film with this id, in one scan
   * (the sink runs under the read lock and must not change these vectors).
   */
  public void scores(String id, ScoreSink sink) {
    lock.readLock().lock();
    try {
      int row = rowOf(id);
      float[] q = Arrays.copyOfRange(matrix, row * dimension, (row + 1) * dimension);
      int n = films.size();
      for (int i = 0; i < n; i++) {
        if (i != row) {
          sink.accept(films.get(i), FilmIndex.dot(q, matrix, i * dimension, dimension));
        }
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The ids of all films, in no particular order. */
  public List<String> ids() {
    lock.readLock().lock();
    try {
      return List.copyOf(rows.keySet());
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The {@code k} films closest to a vector (of any length scale), best first. */
  public List<FilmIndex.Neighbour> nearest(float[] query, int k) {
    if (query.length != dimension) {
      throw new IllegalArgumentException(
          "query has " + query.length + " dimensions, the films " + dimension);
    }
    float[] q = FilmIndex.normalized(query);
    lock.readLock().lock();
    try {
      return scan(q, k, -1);
    } finally {
      lock.readLock().unlock();
    }
  }

  private List<FilmIndex.Neighbour> scan(float[] q, int k, int exclude) {
    if (k < 0) {
      throw new IllegalArgumentException("k must be 0 or more, got " + k);
    }
    FilmIndex.TopK top = FilmIndex.topK(q, matrix, films.size(), dimension, k, exclude);
    List<FilmIndex.Neighbour> out = new ArrayList<>(top.positions().length);
    for (int i = 0; i < top.positions().length; i++) {
      int p = top.positions()[i];
      out.add(new FilmIndex.Neighbour(p, films.get(p), top.scores()[i]));
    }
    return out;
  }
}
