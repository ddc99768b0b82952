package io.reelsense.bench;

import io.reelsense.model.similarity.FilmIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Top-10 query latency of {@link FilmIndex} (exact cosine over a contiguous float array): p50 and
 * p99 over 34,000 seeded random 384-dimensional vectors, and over a real index when one was built
 * ({@code models/films-bge-small.idx}, or the files given as arguments).
 *
 * <p>Run: {@code mvn -o -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.reelsense.bench.FilmIndexBenchmark}
 */
public final class FilmIndexBenchmark {

  private static final int FILMS = 34_000;
  private static final int DIMENSION = 384;
  private static final int WARMUP = 300;
  private static final int QUERIES = 2_000;

  private FilmIndexBenchmark() {}

  public static void main(String[] args) throws IOException {
    Random random = new Random(42);
    List<FilmIndex.Film> films = new ArrayList<>(FILMS);
    List<float[]> vectors = new ArrayList<>(FILMS);
    for (int i = 0; i < FILMS; i++) {
      films.add(new FilmIndex.Film("F" + i, "Film " + i, 2000));
      float[] v = new float[DIMENSION];
      for (int j = 0; j < DIMENSION; j++) {
        v[j] = (float) random.nextGaussian();
      }
      vectors.add(v);
    }
    measure(
        "random " + FILMS + " x " + DIMENSION, FilmIndex.of("random", "seed 42", films, vectors));

    List<Path> real = new ArrayList<>();
    for (String a : args) {
      real.add(Path.of(a));
    }
    if (real.isEmpty()) {
      real.add(Path.of("models", "films-bge-small.idx"));
    }
    for (Path file : real) {
      if (Files.isRegularFile(file)) {
        FilmIndex index = FilmIndex.load(file);
        measure(file + " (" + index.size() + " x " + index.dimension() + ")", index);
      } else {
        System.out.println(file + ": not built (reelsense films index), skipped");
      }
    }
  }

  private static void measure(String name, FilmIndex index) {
    Random random = new Random(7);
    for (int i = 0; i < WARMUP; i++) {
      index.similarTo(random.nextInt(index.size()), 10);
    }
    long[] nanos = new long[QUERIES];
    for (int i = 0; i < QUERIES; i++) {
      int q = random.nextInt(index.size());
      long t0 = System.nanoTime();
      index.similarTo(q, 10);
      nanos[i] = System.nanoTime() - t0;
    }
    Arrays.sort(nanos);
    System.out.printf(
        Locale.ROOT,
        "%s: top-10 query p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d queries, %d cores)%n",
        name,
        nanos[QUERIES / 2] / 1e6,
        nanos[(int) Math.ceil(QUERIES * 0.99) - 1] / 1e6,
        nanos[QUERIES - 1] / 1e6,
        QUERIES,
        Runtime.getRuntime().availableProcessors());
  }
}
