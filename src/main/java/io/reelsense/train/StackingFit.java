package io.reelsense.train;

import io.reelsense.metrics.Scores;
import io.reelsense.model.ReviewPrediction;
import io.reelsense.model.baseline.LinearHeads;
import io.reelsense.model.baseline.LinearModel;
import io.reelsense.model.baseline.SparseVector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@link EnsembleTrainer.Combination#STACKING} combination: logistic-regression heads over the
 * stacking features of the reviews they are fitted on, each head's C chosen by {@value #FOLDS}-fold
 * cross-validation (sentiment by accuracy, rating by rating accuracy, ties by MAE) and then fitted
 * on all of them. The out-of-fold predictions of the chosen C are kept, so the figures reported for
 * the reviews fitted on are not flattered by the fit.
 */
final class StackingFit {

  /** The C values the stacking heads are cross-validated over. */
  static final double[] C_GRID = {0.01, 0.1, 1, 10};

  /** Folds of the cross-validation; review i is in fold i mod folds. */
  static final int FOLDS = 5;

  /**
   * Heads fitted on all the reviews, and the out-of-fold predictions of every review.
   *
   * @param heads the heads
   * @param outOfFold one prediction per review, by a head that did not see it (no rating for the
   *     reviews past the rated ones)
   */
  record Fitted(LinearHeads heads, List<ReviewPrediction> outOfFold) {}

  private StackingFit() {}

  /**
   * Chooses each head's C by cross-validation, keeps the out-of-fold predictions of the chosen C,
   * and fits the heads on all the reviews.
   *
   * @param x the stacking features of each review
   * @param labels each review's sentiment (the sentiment head is fitted on every review)
   * @param stars the stars of the first {@code stars.length} reviews, which the rating head is
   *     fitted on; null when the ensemble does not rate
   * @param metrics where the chosen C and the cross-validated accuracy by C are put
   */
  static Fitted fit(List<SparseVector> x, int[] labels, int[] stars, Map<String, Object> metrics) {
    boolean rating = stars != null;
    List<SparseVector> rated = rating ? x.subList(0, stars.length) : List.of();
    int dim = x.get(0).size();
    int threads = Runtime.getRuntime().availableProcessors();
    LinearModel[][] sentimentFolds = new LinearModel[C_GRID.length][];
    LinearModel[][] ratingFolds = new LinearModel[C_GRID.length][];
    int bestSentiment = 0;
    int bestRating = 0;
    double[] sentimentRight = new double[C_GRID.length];
    double[] ratingRight = new double[C_GRID.length];
    double[] ratingErrors = new double[C_GRID.length];
    for (int c = 0; c < C_GRID.length; c++) {
      sentimentFolds[c] = folds(x, labels, dim, C_GRID[c], threads);
      for (int i = 0; i < labels.length; i++) {
        if (sentimentFolds[c][i % FOLDS].predict(x.get(i)) == labels[i]) {
          sentimentRight[c]++;
        }
      }
      if (sentimentRight[c] > sentimentRight[bestSentiment]) {
        bestSentiment = c;
      }
      if (rating) {
        ratingFolds[c] = folds(rated, stars, dim, C_GRID[c], threads);
        for (int i = 0; i < stars.length; i++) {
          int predicted = ratingFolds[c][i % FOLDS].predict(x.get(i));
          ratingRight[c] += predicted == stars[i] ? 1 : 0;
          ratingErrors[c] += Math.abs(predicted - stars[i]);
        }
        if (ratingRight[c] > ratingRight[bestRating]
            || (ratingRight[c] == ratingRight[bestRating]
                && ratingErrors[c] < ratingErrors[bestRating])) {
          bestRating = c;
        }
      }
    }
    List<ReviewPrediction> outOfFold = new ArrayList<>(labels.length);
    for (int i = 0; i < labels.length; i++) {
      int fold = i % FOLDS;
      boolean rate = rating && i < stars.length;
      LinearHeads heads =
          new LinearHeads(
              sentimentFolds[bestSentiment][fold], rate ? ratingFolds[bestRating][fold] : null);
      outOfFold.add(heads.scores(x.get(i)).toPrediction());
    }
    LinearHeads heads =
        new LinearHeads(
            LinearTrainers.logisticRegression(x, labels, dim, C_GRID[bestSentiment], threads),
            rating
                ? LinearTrainers.logisticRegression(rated, stars, dim, C_GRID[bestRating], threads)
                : null);
    metrics.put("stacking_sentiment_C", C_GRID[bestSentiment]);
    Map<String, Object> byC = new LinkedHashMap<>();
    for (int c = 0; c < C_GRID.length; c++) {
      byC.put(
          String.format(Locale.ROOT, "%g", C_GRID[c]),
          Scores.round(sentimentRight[c] / labels.length));
    }
    metrics.put("stacking_sentiment_cv_accuracy_by_C", byC);
    if (rating) {
      metrics.put("stacking_rating_C", C_GRID[bestRating]);
    }
    return new Fitted(heads, outOfFold);
  }

  /** One model per fold, each fitted on the other folds (review i is in fold i mod folds). */
  private static LinearModel[] folds(
      List<SparseVector> x, int[] y, int dim, double c, int threads) {
    LinearModel[] out = new LinearModel[FOLDS];
    for (int f = 0; f < FOLDS; f++) {
      List<SparseVector> xf = new ArrayList<>();
      List<Integer> yf = new ArrayList<>();
      for (int i = 0; i < y.length; i++) {
        if (i % FOLDS != f) {
          xf.add(x.get(i));
          yf.add(y[i]);
        }
      }
      out[f] =
          LinearTrainers.logisticRegression(
              xf, yf.stream().mapToInt(Integer::intValue).toArray(), dim, c, threads);
    }
    return out;
  }
}
