package io.reelsense.model.similarity;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Films and their embeddings, for nearest-neighbour queries by cosine similarity.
 *
 * <p>Vectors are L2-normalized once and kept row after row in one contiguous {@code float[]}, so a
 * query is a single pass of dot products over memory (exact search: 34k × 384 floats is 52 MB and
 * one pass takes a few milliseconds), followed by a bounded top-k selection. Titles are looked up
 * case-insensitively, with an optional year to pick among remakes.
 */
public final class FilmIndex {

  private static final int MAGIC = 0x52534649; // "RSFI"
  private static final int FORMAT = 1;

  /**
   * One indexed film.
   *
   * @param id stable id (the catalog's href)
   * @param title the title as in the catalog
   * @param year release year (0 when unknown)
   */
  public record Film(String id, String title, int year) {
    public Film {
      Objects.requireNonNull(id);
      Objects.requireNonNull(title);
    }

    /** {@code Title (Year)}. */
    public String label() {
      return year > 0 ? title + " (" + year + ")" : title;
    }
  }

  /**
   * A film close to a query.
   *
   * @param position the film's position in the index
   * @param film the film
   * @param score cosine similarity with the query, in [-1, 1]
   */
  public record Neighbour(int position, Film film, double score) {}

  private final String model;
  private final String fingerprint;
  private final int dimension;
  private final List<Film> films;
  private final float[] vectors;
  private final FilmTitles titles;

  private FilmIndex(
      String model, String fingerprint, int dimension, List<Film> films, float[] vectors) {
    this.model = model;
    this.fingerprint = fingerprint;
    this.dimension = dimension;
    this.films = List.copyOf(films);
    this.vectors = vectors;
    this.titles = new FilmTitles(this.films);
  }

  /**
   * Builds an index; vectors are copied and L2-normalized (an all-zero vector stays zero and scores
   * 0 against everything).
   *
   * @param model the name of the model that made the vectors (checked when the index is reused)
   * @param fingerprint what the vectors were made from (e.g. a hash of the texts), checked when the
   *     index is reused; any string
   * @param films the films, in the order of {@code vectors}
   * @param vectors one vector per film, all of the same length
   */
  public static FilmIndex of(
      String model, String fingerprint, List<Film> films, List<float[]> vectors) {
    if (films.size() != vectors.size()) {
      throw new IllegalArgumentException(
          films.size() + " films but " + vectors.size() + " vectors");
    }
    int dimension = vectors.isEmpty() ? 0 : vectors.get(0).length;
    float[] flat = new float[Math.multiplyExact(films.size(), dimension)];
    for (int i = 0; i < vectors.size(); i++) {
      float[] v = vectors.get(i);
      if (v.length != dimension) {
        throw new IllegalArgumentException(
            "vector " + i + " has " + v.length + " dimensions, expected " + dimension);
      }
      double norm = 0;
      for (float x : v) {
        norm += (double) x * x;
      }
      float scale = norm > 0 ? (float) (1 / Math.sqrt(norm)) : 0f;
      int base = i * dimension;
      for (int j = 0; j < dimension; j++) {
        flat[base + j] = v[j] * scale;
      }
    }
    return new FilmIndex(model, fingerprint, dimension, films, flat);
  }

  /** The model that made the vectors. */
  public String model() {
    return model;
  }

  /** What the vectors were made from, as given to {@link #of}. */
  public String fingerprint() {
    return fingerprint;
  }

  /** Length of every vector. */
  public int dimension() {
    return dimension;
  }

  /** Number of films. */
  public int size() {
    return films.size();
  }

  /** The films, in index order. */
  public List<Film> films() {
    return films;
  }

  /** The film at a position. */
  public Film film(int position) {
    return films.get(position);
  }

  /** A copy of the normalized vector at a position. */
  public float[] vector(int position) {
    return Arrays.copyOfRange(vectors, position * dimension, (position + 1) * dimension);
  }

  /** The {@code k} films most similar to the film at {@code position}, itself excluded. */
  public List<Neighbour> similarTo(int position, int k) {
    Objects.checkIndex(position, films.size());
    return nearest(vector(position), k, position);
  }

  /** The cosine of the film at {@code position} with every film (itself included), by position. */
  public float[] scores(int position) {
    Objects.checkIndex(position, films.size());
    float[] out = new float[films.size()];
    int base = position * dimension;
    float[] q = Arrays.copyOfRange(vectors, base, base + dimension);
    for (int i = 0; i < out.length; i++) {
      out[i] = dot(q, vectors, i * dimension, dimension);
    }
    return out;
  }

  /**
   * The {@code k} films closest to a query vector by cosine, best first (ties by position).
   *
   * @param query any vector of the index's dimension (it need not be normalized)
   * @param exclude a position to leave out (the query film), or -1
   */
  public List<Neighbour> nearest(float[] query, int k, int exclude) {
    if (query.length != dimension) {
      throw new IllegalArgumentException(
          "query has " + query.length + " dimensions, the index " + dimension);
    }
    if (k < 0) {
      throw new IllegalArgumentException("k must be 0 or more, got " + k);
    }
    float[] q = normalized(query);
    TopK top = topK(q, vectors, films.size(), dimension, k, exclude);
    List<Neighbour> out = new ArrayList<>(top.positions().length);
    for (int i = 0; i < top.positions().length; i++) {
      int p = top.positions()[i];
      out.add(new Neighbour(p, films.get(p), top.scores()[i]));
    }
    return out;
  }

  /** A unit-length copy of a vector (all-zero stays zero). */
  static float[] normalized(float[] v) {
    double norm = 0;
    for (float x : v) {
      norm += (double) x * x;
    }
    float scale = norm > 0 ? (float) (1 / Math.sqrt(norm)) : 0f;
    float[] q = new float[v.length];
    for (int j = 0; j < v.length; j++) {
      q[j] = v[j] * scale;
    }
    return q;
  }

  /** The best rows of a top-k scan, best first, and their scores. */
  record TopK(int[] positions, float[] scores) {}

  /**
   * The {@code k} rows of a row-major matrix with the highest dot product with {@code q}, best
   * first (ties by row), leaving out row {@code exclude} (or none when -1).
   */
  static TopK topK(float[] q, float[] matrix, int n, int dimension, int k, int exclude) {
    int keep = Math.min(k, n - (exclude >= 0 && exclude < n ? 1 : 0));
    if (keep <= 0) {
      return new TopK(new int[0], new float[0]);
    }
    // a sorted array of the best so far (descending score): cheap for small k
    float[] bestScore = new float[keep];
    int[] bestPos = new int[keep];
    int filled = 0;
    for (int i = 0; i < n; i++) {
      if (i == exclude) {
        continue;
      }
      float s = dot(q, matrix, i * dimension, dimension);
      if (filled == keep && s <= bestScore[keep - 1]) {
        continue;
      }
      int at = filled < keep ? filled++ : keep - 1;
      while (at > 0 && bestScore[at - 1] < s) {
        bestScore[at] = bestScore[at - 1];
        bestPos[at] = bestPos[at - 1];
        at--;
      }
      bestScore[at] = s;
      bestPos[at] = i;
    }
    return new TopK(Arrays.copyOf(bestPos, filled), Arrays.copyOf(bestScore, filled));
  }

  /** Dot product with four accumulators (lets the JIT pipeline the multiply-adds). */
  static float dot(float[] q, float[] m, int base, int d) {
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    int j = 0;
    for (; j + 3 < d; j += 4) {
      s0 += q[j] * m[base + j];
      s1 += q[j + 1] * m[base + j + 1];
      s2 += q[j + 2] * m[base + j + 2];
      s3 += q[j + 3] * m[base + j + 3];
    }
    for (; j < d; j++) {
      s0 += q[j] * m[base + j];
    }
    return (s0 + s1) + (s2 + s3);
  }

  /**
   * The position of the film with this title (case and surrounding white space ignored), and this
   * year when it is not null.
   *
   * @throws FilmLookupException when no film matches (listing close titles) or several do (listing
   *     them with their years)
   */
  public int find(String title, Integer year) {
    return titles.find(title, year);
  }

  /** Writes the index to a file (atomically: a temporary file renamed into place). */
  public void save(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
    try {
      try (OutputStream raw = Files.newOutputStream(tmp);
          DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 16))) {
        out.writeInt(MAGIC);
        out.writeInt(FORMAT);
        out.writeUTF(model);
        out.writeUTF(fingerprint);
        out.writeInt(films.size());
        out.writeInt(dimension);
        for (Film f : films) {
          out.writeUTF(f.id());
          out.writeUTF(f.title());
          out.writeInt(f.year());
        }
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : vectors) {
          if (!buf.hasRemaining()) {
            out.write(buf.array(), 0, buf.position());
            buf.clear();
          }
          buf.putFloat(v);
        }
        out.write(buf.array(), 0, buf.position());
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Reads an index written by {@link #save}.
   *
   * @throws IOException when the file is missing, truncated or not a film index; the message names
   *     the file
   */
  public static FilmIndex load(Path file) throws IOException {
    try (InputStream raw = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
      if (in.readInt() != MAGIC) {
        throw new IOException(file + " is not a reelsense film index");
      }
      int format = in.readInt();
      if (format != FORMAT) {
        throw new IOException(
            file + " has film-index format " + format + ", this reelsense reads " + FORMAT);
      }
      String model = in.readUTF();
      String fingerprint = in.readUTF();
      int n = in.readInt();
      int dimension = in.readInt();
      if (n < 0 || dimension < 0) {
        throw new IOException(file + " is corrupt: " + n + " films of " + dimension + " dims");
      }
      // each film takes at least 8 bytes (two empty strings and a year) and 4 per dimension;
      // compared as a quotient, which cannot overflow
      long size = Files.size(file);
      if (n > 0 && 8 + 4L * dimension > size / n) {
        throw new IOException(
            file
                + " is corrupt: it declares "
                + n
                + " films of "
                + dimension
                + " dims, more than its "
                + size
                + " bytes can hold");
      }
      List<Film> films = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        films.add(new Film(in.readUTF(), in.readUTF(), in.readInt()));
      }
      float[] vectors = new float[Math.multiplyExact(n, dimension)];
      byte[] bytes = new byte[1 << 16];
      int done = 0;
      while (done < vectors.length) {
        int len = Math.min(bytes.length, (vectors.length - done) * Float.BYTES);
        in.readFully(bytes, 0, len);
        ByteBuffer.wrap(bytes, 0, len)
            .order(ByteOrder.LITTLE_ENDIAN)
            .asFloatBuffer()
            .get(vectors, done, len / Float.BYTES);
        done += len / Float.BYTES;
      }
      if (in.read() != -1) {
        throw new IOException(file + " has bytes after its last vector: not a film index");
      }
      return new FilmIndex(model, fingerprint, dimension, films, vectors);
    } catch (EOFException e) {
      throw new IOException(file + " is truncated (the film index ends early)", e);
    }
  }
}
