package io.reelsense.eval;

import io.reelsense.data.Film;
import io.reelsense.model.similarity.FilmIndex;
import io.reelsense.model.similarity.SparseIndex;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * {@code films eval}: genre precision@10 of several ways to find a film's neighbours, over the same
 * seeded draw of query films. A model is {@code tfidf}, {@code random}, an encoder (its cached
 * index of the catalog) or a fusion {@code a+b} of tfidf and encoders, whose standardized scores
 * are summed with weights ({@link ScoreFusion}).
 */
public final class FilmGenreEvaluation {

  /** Neighbours per query film. */
  public static final int K = 10;

  /** An encoder's index of the whole catalog's films with a description. */
  public interface EncoderIndexes {
    FilmIndex of(String model) throws IOException;
  }

  /**
   * Genre precision per model.
   *
   * @param films the films with a description and a genre the queries are drawn from
   * @param queries how many query films were drawn
   * @param weights the weights of a fusion's models, or {@code null} for equal weights
   * @param precision precision@{@value #K} per model, in the order asked
   * @param seconds the time per model, index loading included
   */
  public record Result(
      int films,
      int queries,
      long seed,
      int k,
      List<Double> weights,
      Map<String, Double> precision,
      Map<String, Double> seconds) {

    /** The report {@code films eval} prints: a header line, then one line per model. */
    public String summary() {
      StringBuilder sb = new StringBuilder();
      sb.append(
          String.format(
              Locale.ROOT,
              "Genre precision@%d over %d films with a description and a genre (%d queries, seed"
                  + " %d):%n",
              k,
              films,
              queries,
              seed));
      precision.forEach(
          (name, p) ->
              sb.append(
                  String.format(
                      Locale.ROOT, "  %-18s %.4f  (%.1f s)%n", name, p, seconds.get(name))));
      return sb.toString();
    }

    /** {@code films eval --json}: films, queries, seed, k, weights (when given) and the maps. */
    public Map<String, Object> toJson() {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("films", films);
      json.put("queries", queries);
      json.put("seed", seed);
      json.put("k", k);
      if (weights != null && !weights.isEmpty()) {
        json.put("weights", weights);
      }
      json.put("precision_at_10", rounded(precision, 10000));
      json.put("seconds", rounded(seconds, 100));
      return json;
    }

    private static Map<String, Double> rounded(Map<String, Double> values, double scale) {
      Map<String, Double> out = new LinkedHashMap<>();
      values.forEach((name, v) -> out.put(name, Math.round(v * scale) / scale));
      return out;
    }
  }

  private FilmGenreEvaluation() {}

  /**
   * Measures each model on {@code queries} films drawn with {@code seed}.
   *
   * @param models canonical names: tfidf, random, encoders, fusions {@code a+b}
   * @param weights a fusion's weights, one per joined model, or {@code null}/empty for equal
   * @param bars opens a progress bar for a task and its total
   * @throws EvalException when too few films have a description and a genre, or a fusion's weights
   *     do not match its models
   */
  public static Result run(
      List<Film> catalog,
      List<String> models,
      List<Double> weights,
      int queries,
      long seed,
      EncoderIndexes indexes,
      BiFunction<String, Integer, FilmIndexCache.Bar> bars)
      throws IOException {
    List<Film> pool = FilmSimilarity.evaluable(catalog);
    if (pool.size() <= K) {
      throw new EvalException(
          "only "
              + pool.size()
              + " films have a description and a genre; precision@"
              + K
              + " needs more than "
              + K);
    }
    List<Set<String>> genres = pool.stream().map(FilmSimilarity::genres).toList();
    int[] drawn = GenrePrecision.queries(pool.size(), queries, seed);
    Map<String, Double> precision = new LinkedHashMap<>();
    Map<String, Double> seconds = new LinkedHashMap<>();
    for (String name : models) {
      long t0 = System.nanoTime();
      GenrePrecision.Neighbours neighbours = neighbours(name, pool, weights, seed, indexes);
      GenrePrecision.Result r;
      try (FilmIndexCache.Bar bar = bars.apply("eval " + name, drawn.length)) {
        r = GenrePrecision.measure(genres, drawn, K, neighbours, bar::step);
      }
      double s = (System.nanoTime() - t0) / 1e9;
      precision.put(name, r.precision());
      seconds.put(name, s);
    }
    return new Result(pool.size(), drawn.length, seed, K, weights, precision, seconds);
  }

  private static GenrePrecision.Neighbours neighbours(
      String name, List<Film> pool, List<Double> weights, long seed, EncoderIndexes indexes)
      throws IOException {
    if (name.contains("+")) {
      return fusion(name, pool, weights, indexes);
    }
    switch (name) {
      case "random":
        return GenrePrecision.random(pool.size(), seed);
      case "tfidf":
        SparseIndex tfidf = FilmSimilarity.tfidf(pool).index();
        return (q, k) ->
            tfidf.similarTo(q, k).stream().mapToInt(SparseIndex.Scored::position).toArray();
      default:
        FilmIndex index = FilmSimilarity.subset(indexes.of(name), pool);
        return (q, k) ->
            index.similarTo(q, k).stream().mapToInt(FilmIndex.Neighbour::position).toArray();
    }
  }

  private static GenrePrecision.Neighbours fusion(
      String name, List<Film> pool, List<Double> weights, EncoderIndexes indexes)
      throws IOException {
    String[] parts = name.split("\\+");
    double[] w = new double[parts.length];
    if (weights == null || weights.isEmpty()) {
      Arrays.fill(w, 1.0);
    } else if (weights.size() != parts.length) {
      throw new EvalException(
          "--weights has "
              + weights.size()
              + " weights but "
              + name
              + " joins "
              + parts.length
              + " models");
    } else {
      for (int i = 0; i < w.length; i++) {
        w[i] = weights.get(i);
        if (!(w[i] >= 0)) {
          throw new EvalException("--weights must be 0 or more, got " + weights.get(i));
        }
      }
    }
    List<ScoreFusion.Scores> scores = new ArrayList<>();
    for (String part : parts) {
      if (part.equals("tfidf")) {
        scores.add(FilmSimilarity.tfidf(pool).index()::scores);
      } else {
        scores.add(FilmSimilarity.subset(indexes.of(part), pool)::scores);
      }
    }
    return ScoreFusion.fused(scores, w);
  }
}
