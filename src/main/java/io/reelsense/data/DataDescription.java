package io.reelsense.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IntSummaryStatistics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

/**
 * The answers to the original study's exploration questions about the IMDb reviews and the film
 * catalog: sizes, class balance, ratings, reviews per film, the original study's validation split,
 * cleaned lengths and token lengths. Built by {@link #of}; {@link #toJson()} gives the
 * machine-readable form.
 *
 * @param train reviews in the official train split
 * @param test reviews in the official test split
 * @param balance per split: {@code neg} and {@code pos} counts
 * @param ratings per split: rating → count
 * @param films distinct IMDb films and reviews per film
 * @param split the original study's 80/20 stratified split of the train split (seed 42)
 * @param catalogFilms films in the catalog; null when it was not read
 * @param catalogWithDescription catalog films with a non-empty description; null when not read
 * @param profile name of the cleaning applied before measuring lengths
 * @param cleaned lengths after cleaning
 * @param tokens token lengths after cleaning
 * @param shown the first reviews, raw and cleaned
 */
public record DataDescription(
    int train,
    int test,
    Map<String, Map<String, Integer>> balance,
    Map<String, Map<Integer, Integer>> ratings,
    FilmStats films,
    SplitStats split,
    Integer catalogFilms,
    Integer catalogWithDescription,
    String profile,
    CleanStats cleaned,
    TokenStats tokens,
    List<Shown> shown) {

  /** Token budgets whose coverage is reported. */
  public static final int[] BUDGETS = {128, 256, 384, 512};

  /**
   * Reviews per IMDb film.
   *
   * @param distinct distinct film ids over both splits
   * @param perSplit distinct film ids per split
   * @param inBothSplits films with reviews in both train and test (0 when the splits' films are
   *     disjoint)
   * @param minReviews fewest reviews of a film
   * @param meanReviews mean reviews per film
   * @param maxReviews most reviews of a film
   */
  public record FilmStats(
      int distinct,
      Map<String, Integer> perSplit,
      int inBothSplits,
      int minReviews,
      double meanReviews,
      int maxReviews) {}

  /**
   * The original study's split of the official train split ({@link StratifiedSplit#of(List)}).
   *
   * @param train reviews left to train on
   * @param validation held-out reviews
   * @param validationPositive positive held-out reviews (the original study's answer: 2,500)
   * @param seed the random seed
   */
  public record SplitStats(int train, int validation, long validationPositive, long seed) {}

  /**
   * Lengths after cleaning.
   *
   * @param meanChars mean length in characters over all reviews
   * @param meanCharsPerSplit the same per split
   * @param meanRawChars mean length before cleaning
   * @param emptyAfterCleaning reviews whose cleaned text is blank (the pipeline drops them)
   */
  public record CleanStats(
      double meanChars,
      Map<String, Double> meanCharsPerSplit,
      double meanRawChars,
      int emptyAfterCleaning) {}

  /**
   * Token lengths of the cleaned texts (percentiles by nearest rank).
   *
   * @param counter the counter's name ({@code words} or {@code wordpiece})
   * @param text the cleaning of the texts whose tokens were counted (a profile's name)
   * @param mean mean tokens per review
   * @param p50 median
   * @param p90 90th percentile
   * @param p95 95th percentile
   * @param p99 99th percentile
   * @param max longest review
   * @param fit budget → share of reviews with at most that many tokens
   */
  public record TokenStats(
      String counter,
      String text,
      double mean,
      int p50,
      int p90,
      int p95,
      int p99,
      int max,
      Map<Integer, Double> fit) {}

  /**
   * One review shown raw and cleaned.
   *
   * @param id the review id
   * @param label 0/1
   * @param rating stars
   * @param raw the text as read
   * @param clean the text after cleaning
   */
  public record Shown(String id, Integer label, Integer rating, String raw, String clean) {}

  /**
   * Describes the corpus.
   *
   * @param corpus the IMDb reviews
   * @param catalog the film catalog, or null when it was not read
   * @param profile the cleaning's name in the report
   * @param cleaner the cleaning (thread-safe: it runs on parallel threads)
   * @param counter counts tokens of cleaned texts (thread-safe)
   * @param show how many reviews to show raw and cleaned (the first of train, then test)
   */
  public static DataDescription of(
      ImdbCorpus corpus,
      List<Film> catalog,
      String profile,
      UnaryOperator<String> cleaner,
      TokenCounter counter,
      int show) {
    return of(corpus, catalog, profile, cleaner, profile, cleaner, counter, show);
  }

  /**
   * Describes the corpus, counting tokens on texts cleaned otherwise than for the character lengths
   * (a subword tokenizer wants the light cleaning whatever the chosen profile).
   *
   * @param corpus the IMDb reviews
   * @param catalog the film catalog, or null when it was not read
   * @param profile the cleaning's name in the report
   * @param cleaner the cleaning (thread-safe: it runs on parallel threads)
   * @param tokenProfile the name of the cleaning before counting tokens
   * @param tokenCleaner the cleaning before counting tokens (thread-safe)
   * @param counter counts tokens of texts cleaned by {@code tokenCleaner} (thread-safe)
   * @param show how many reviews to show raw and cleaned (the first of train, then test)
   */
  public static DataDescription of(
      ImdbCorpus corpus,
      List<Film> catalog,
      String profile,
      UnaryOperator<String> cleaner,
      String tokenProfile,
      UnaryOperator<String> tokenCleaner,
      TokenCounter counter,
      int show) {
    Map<String, Map<String, Integer>> balance = new LinkedHashMap<>();
    Map<String, Map<Integer, Integer>> ratings = new LinkedHashMap<>();
    for (String name : ImdbCorpus.SPLITS) {
      Map<String, Integer> b = new LinkedHashMap<>();
      b.put("neg", 0);
      b.put("pos", 0);
      Map<Integer, Integer> h = new TreeMap<>();
      for (Review r : corpus.split(name)) {
        if (r.label() != null) {
          b.merge(r.label() == 1 ? "pos" : "neg", 1, Integer::sum);
        }
        if (r.rating() != null) {
          h.merge(r.rating(), 1, Integer::sum);
        }
      }
      balance.put(name, b);
      ratings.put(name, h);
    }

    StratifiedSplit seedSplit = StratifiedSplit.of(corpus.train());
    SplitStats split =
        new SplitStats(
            seedSplit.train().size(),
            seedSplit.validation().size(),
            seedSplit.validationCount(1),
            StratifiedSplit.SEED);

    List<Review> all = corpus.all();
    int n = all.size();
    int[] cleanChars = new int[n];
    int[] tokens = new int[n];
    boolean[] empty = new boolean[n];
    IntStream.range(0, n)
        .parallel()
        .forEach(
            i -> {
              String raw = all.get(i).text();
              String clean = cleaner.apply(raw);
              cleanChars[i] = clean.length();
              tokens[i] = counter.count(tokenCleaner == cleaner ? clean : tokenCleaner.apply(raw));
              empty[i] = clean.isBlank();
            });

    Map<String, Double> meanPerSplit = new LinkedHashMap<>();
    meanPerSplit.put("train", mean(cleanChars, 0, corpus.train().size()));
    meanPerSplit.put("test", mean(cleanChars, corpus.train().size(), n));
    int emptyCount = 0;
    for (boolean e : empty) {
      emptyCount += e ? 1 : 0;
    }
    long rawChars = 0;
    for (Review r : all) {
      rawChars += r.text().length();
    }
    CleanStats cleaned =
        new CleanStats(
            mean(cleanChars, 0, n), meanPerSplit, n == 0 ? 0 : (double) rawChars / n, emptyCount);

    List<Shown> shown = new ArrayList<>();
    for (Review r : all.subList(0, Math.min(Math.max(show, 0), n))) {
      shown.add(new Shown(r.id(), r.label(), r.rating(), r.text(), cleaner.apply(r.text())));
    }

    Integer catalogFilms = catalog == null ? null : catalog.size();
    Integer withDescription =
        catalog == null
            ? null
            : (int) catalog.stream().filter(f -> !f.description().isBlank()).count();

    return new DataDescription(
        corpus.train().size(),
        corpus.test().size(),
        balance,
        ratings,
        filmStats(corpus),
        split,
        catalogFilms,
        withDescription,
        profile,
        cleaned,
        tokenStats(counter.name(), tokenProfile, tokens),
        shown);
  }

  private static FilmStats filmStats(ImdbCorpus corpus) {
    Map<String, Integer> perFilm = new HashMap<>();
    Map<String, Integer> perSplit = new LinkedHashMap<>();
    List<Set<String>> splitFilms = new ArrayList<>();
    for (String name : ImdbCorpus.SPLITS) {
      Set<String> films = new HashSet<>();
      for (Review r : corpus.split(name)) {
        if (r.filmId() != null) {
          films.add(r.filmId());
          perFilm.merge(r.filmId(), 1, Integer::sum);
        }
      }
      perSplit.put(name, films.size());
      splitFilms.add(films);
    }
    Set<String> both = new HashSet<>(splitFilms.get(0));
    both.retainAll(splitFilms.get(1));
    IntSummaryStatistics s =
        perFilm.values().stream().mapToInt(Integer::intValue).summaryStatistics();
    return new FilmStats(
        perFilm.size(),
        perSplit,
        both.size(),
        perFilm.isEmpty() ? 0 : s.getMin(),
        perFilm.isEmpty() ? 0 : s.getAverage(),
        perFilm.isEmpty() ? 0 : s.getMax());
  }

  private static TokenStats tokenStats(String counter, String text, int[] tokens) {
    int[] sorted = tokens.clone();
    Arrays.sort(sorted);
    Map<Integer, Double> fit = new LinkedHashMap<>();
    for (int budget : BUDGETS) {
      fit.put(
          budget, sorted.length == 0 ? 0.0 : (double) upperBound(sorted, budget) / sorted.length);
    }
    return new TokenStats(
        counter,
        text,
        mean(sorted, 0, sorted.length),
        percentile(sorted, 50),
        percentile(sorted, 90),
        percentile(sorted, 95),
        percentile(sorted, 99),
        sorted.length == 0 ? 0 : sorted[sorted.length - 1],
        fit);
  }

  /** Nearest-rank percentile of sorted values: the smallest value with at least p % at or below. */
  static int percentile(int[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.min(Math.max(rank, 1), sorted.length) - 1];
  }

  /** Number of sorted values {@code <= limit}. */
  private static int upperBound(int[] sorted, int limit) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] <= limit) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static double mean(int[] values, int from, int to) {
    if (to <= from) {
      return 0;
    }
    long sum = 0;
    for (int i = from; i < to; i++) {
      sum += values[i];
    }
    return (double) sum / (to - from);
  }

  /** The figures as one JSON-ready map with snake_case keys (stable across versions). */
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("train", train);
    json.put("test", test);
    json.put("balance", balance);
    json.put("ratings", ratings);
    json.put("imdb_films", films.distinct());
    json.put("imdb_films_per_split", films.perSplit());
    json.put("films_in_both_splits", films.inBothSplits());
    Map<String, Object> perFilm = new LinkedHashMap<>();
    perFilm.put("min", films.minReviews());
    perFilm.put("mean", round(films.meanReviews()));
    perFilm.put("max", films.maxReviews());
    json.put("reviews_per_film", perFilm);
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("seed", split.seed());
    s.put("train", split.train());
    s.put("validation", split.validation());
    s.put("val_positive", split.validationPositive());
    json.put("split", s);
    json.put("val_positive", split.validationPositive());
    json.put("catalog_films", catalogFilms);
    json.put("catalog_with_description", catalogWithDescription);
    json.put("profile", profile);
    json.put("mean_clean_chars", round(cleaned.meanChars()));
    Map<String, Double> perSplit = new LinkedHashMap<>();
    cleaned.meanCharsPerSplit().forEach((k, v) -> perSplit.put(k, round(v)));
    json.put("mean_clean_chars_per_split", perSplit);
    json.put("mean_raw_chars", round(cleaned.meanRawChars()));
    json.put("empty_after_cleaning", cleaned.emptyAfterCleaning());
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("counter", tokens.counter());
    t.put("text", tokens.text());
    t.put("mean", round(tokens.mean()));
    t.put("p50", tokens.p50());
    t.put("p90", tokens.p90());
    t.put("p95", tokens.p95());
    t.put("p99", tokens.p99());
    t.put("max", tokens.max());
    Map<String, Double> fit = new LinkedHashMap<>();
    tokens.fit().forEach((k, v) -> fit.put(String.valueOf(k), Math.round(v * 10000) / 10000.0));
    t.put("fit", fit);
    json.put("tokens", t);
    if (!shown.isEmpty()) {
      json.put("shown", shown);
    }
    return json;
  }

  private static double round(double v) {
    return Math.round(v * 100.0) / 100.0;
  }
}
