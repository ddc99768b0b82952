package io.reelsense.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Genre precision@k of a film-similarity model: for seeded random query films, the share of their
 * {@code k} nearest films that share at least one genre with the query.
 */
public final class GenrePrecision {

  private GenrePrecision() {}

  /** A model's nearest films: the positions of the {@code k} films closest to {@code query}. */
  @FunctionalInterface
  public interface Neighbours {
    int[] of(int query, int k);
  }

  /**
   * The result.
   *
   * @param precision share of (query, neighbour) pairs that share a genre
   * @param queries number of query films
   * @param k neighbours per query
   * @param hits neighbours that share a genre (precision = hits / (queries × k) when every query
   *     has k neighbours)
   */
  public record Result(double precision, int queries, int k, long hits) {}

  /**
   * The seeded query films: {@code count} distinct positions among {@code size} (all of them when
   * {@code count >= size}), in draw order.
   */
  public static int[] queries(int size, int count, long seed) {
    List<Integer> all = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      all.add(i);
    }
    Collections.shuffle(all, new Random(seed));
    return all.subList(0, Math.min(count, size)).stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * Measures precision@k.
   *
   * @param genres each film's genres (already without ignored ones), by position
   * @param queries the query films' positions
   * @param k neighbours per query
   * @param model the neighbours of a film (it must leave the film itself out)
   * @param progress called once per query done (from any thread)
   */
  public static Result measure(
      List<Set<String>> genres, int[] queries, int k, Neighbours model, IntConsumer progress) {
    AtomicLong hits = new AtomicLong();
    AtomicLong total = new AtomicLong();
    IntStream.of(queries)
        .parallel()
        .forEach(
            q -> {
              int[] near = model.of(q, k);
              long h = 0;
              for (int n : near) {
                if (n == q) {
                  throw new IllegalStateException("film " + q + " is among its own neighbours");
                }
                if (!Collections.disjoint(genres.get(q), genres.get(n))) {
                  h++;
                }
              }
              hits.addAndGet(h);
              total.addAndGet(near.length);
              progress.accept(1);
            });
    double precision = total.get() == 0 ? 0 : (double) hits.get() / total.get();
    return new Result(precision, queries.length, k, hits.get());
  }

  /**
   * Random neighbours: {@code k} distinct other films drawn per query with a generator seeded from
   * {@code seed} and the query (so the draw does not depend on thread scheduling).
   */
  public static Neighbours random(int size, long seed) {
    return (q, k) -> {
      Random r = new Random(seed * 1_000_003L + q);
      int want = Math.min(k, size - 1);
      Set<Integer> picked = new LinkedHashSet<>();
      while (picked.size() < want) {
        int p = r.nextInt(size);
        if (p != q) {
          picked.add(p);
        }
      }
      return picked.stream().mapToInt(Integer::intValue).toArray();
    };
  }
}
