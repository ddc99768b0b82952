package io.reelsense.train;

import io.reelsense.data.StratifiedSplit;
import io.reelsense.text.CleaningProfile;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How to train the TF-IDF baseline.
 *
 * @param algorithm logistic regression or naive Bayes
 * @param task which heads to train
 * @param cleaning the cleaning profile applied to every text first
 * @param maxFeatures keep the most frequent terms only; 0 = all
 * @param ngramMin smallest n-gram
 * @param ngramMax largest n-gram
 * @param minDf keep terms in at least this many training documents
 * @param sublinearTf {@code 1 + ln(tf)} instead of raw counts
 * @param c inverse regularization strength of logistic regression
 * @param englishStopWords drop scikit-learn's English stop words before forming n-grams
 * @param seed seed of the train/validation split
 * @param fitOnAll after validating on the held-out 20 %, refit on the whole official train split
 * @param threads threads for cleaning, vectorizing and one-vs-rest training
 */
public record BaselineOptions(
    Algorithm algorithm,
    Task task,
    CleaningProfile cleaning,
    int maxFeatures,
    int ngramMin,
    int ngramMax,
    int minDf,
    boolean sublinearTf,
    double c,
    boolean englishStopWords,
    long seed,
    boolean fitOnAll,
    int threads) {

  /** The model families of the baseline. */
  public enum Algorithm {
    LR("tfidf-lr"),
    NB("tfidf-nb");

    private final String kind;

    Algorithm(String kind) {
      this.kind = kind;
    }

    /** The bundle kind, e.g. {@code tfidf-lr}. */
    public String kind() {
      return kind;
    }

    /** Parses {@code tfidf-lr} / {@code tfidf-nb} (or {@code lr} / {@code nb}). */
    public static Algorithm parse(String name) {
      for (Algorithm a : values()) {
        if (a.kind.equalsIgnoreCase(name) || a.name().equalsIgnoreCase(name)) {
          return a;
        }
      }
      throw new IllegalArgumentException(
          "unknown baseline model '" + name + "'; known: tfidf-lr, tfidf-nb");
    }
  }

  /** Which heads to train. */
  public enum Task {
    SENTIMENT,
    RATING,
    BOTH;

    public boolean sentiment() {
      return this != RATING;
    }

    public boolean rating() {
      return this != SENTIMENT;
    }
  }

  public BaselineOptions {
    if (!(c > 0)) {
      throw new IllegalArgumentException("C must be > 0, got " + c);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
  }

  /**
   * The settings that reproduce the reference 0.907 (uni+bigrams, min_df 2, sublinear tf, C=10, no
   * stop words, raw text) with both heads.
   */
  public static BaselineOptions defaults() {
    return new BaselineOptions(
        Algorithm.LR,
        Task.BOTH,
        CleaningProfile.NONE,
        0,
        1,
        2,
        2,
        true,
        10.0,
        false,
        StratifiedSplit.SEED,
        false,
        Math.max(1, Runtime.getRuntime().availableProcessors()));
  }

  /** A copy with another cleaning profile. */
  public BaselineOptions withCleaning(CleaningProfile profile) {
    return new BaselineOptions(
        algorithm,
        task,
        profile,
        maxFeatures,
        ngramMin,
        ngramMax,
        minDf,
        sublinearTf,
        c,
        englishStopWords,
        seed,
        fitOnAll,
        threads);
  }

  /** The training arguments as recorded in the bundle manifest and the report. */
  public Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model", algorithm.kind());
    m.put("task", task.name().toLowerCase(java.util.Locale.ROOT));
    m.put("cleaning", cleaning.label());
    m.put("max_features", maxFeatures);
    m.put("ngram_range", new int[] {ngramMin, ngramMax});
    m.put("min_df", minDf);
    m.put("sublinear_tf", sublinearTf);
    if (algorithm == Algorithm.LR) {
      m.put("C", c);
      m.put("solver", "liblinear L2R_LR (primal), intercept not regularized, one-vs-rest");
    } else {
      m.put("alpha", 1.0);
    }
    m.put("stop_words", englishStopWords ? "english" : "none");
    m.put("seed", seed);
    m.put("validation_share", StratifiedSplit.VALIDATION_SHARE);
    m.put("fit_on", fitOnAll ? "all-train" : "train-80");
    return m;
  }
}
