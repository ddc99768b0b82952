package io.reelsense.train;

import io.reelsense.model.ReviewScores;
import io.reelsense.model.ensemble.EnsembleClassifier;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link EnsembleTrainer.Combination#AVERAGE} combination: the member weights on a grid over
 * the simplex with the best validation accuracy (sentiment) and rating accuracy (rating), ties
 * broken by log loss and mean absolute error.
 */
final class WeightedAverage {

  private WeightedAverage() {}

  /** Every weight vector of {@code m} non-negative multiples of {@code step} summing to 1. */
  static List<double[]> simplex(int m, double step) {
    int k = (int) Math.round(1 / step);
    List<double[]> out = new ArrayList<>();
    fill(new int[m], 0, k, k, out);
    return out;
  }

  private static void fill(int[] parts, int i, int left, int k, List<double[]> out) {
    if (i == parts.length - 1) {
      parts[i] = left;
      double[] w = new double[parts.length];
      for (int j = 0; j < w.length; j++) {
        w[j] = (double) parts[j] / k;
      }
      out.add(w);
      return;
    }
    for (int v = left; v >= 0; v--) {
      parts[i] = v;
      fill(parts, i + 1, left - v, k, out);
    }
  }

  /** The sentiment weights with the best accuracy on {@code y}, ties broken by log loss. */
  static double[] bestSentiment(List<List<ReviewScores>> scores, int[] y, double step) {
    double[] best = null;
    double bestAccuracy = -1;
    double bestLoss = Double.MAX_VALUE;
    for (double[] w : simplex(scores.size(), step)) {
      int right = 0;
      double loss = 0;
      for (int i = 0; i < y.length; i++) {
        double p = 0;
        for (int m = 0; m < w.length; m++) {
          p += w[m] * scores.get(m).get(i).positive();
        }
        if ((p > 0.5 ? 1 : 0) == y[i]) {
          right++;
        }
        double q = Math.min(1 - 1e-12, Math.max(1e-12, y[i] == 1 ? p : 1 - p));
        loss -= Math.log(q);
      }
      double accuracy = (double) right / y.length;
      if (accuracy > bestAccuracy || (accuracy == bestAccuracy && loss < bestLoss)) {
        best = w;
        bestAccuracy = accuracy;
        bestLoss = loss;
      }
    }
    return best;
  }

  /**
   * The rating weights with the best rating accuracy on {@code stars} (the first {@code
   * stars.length} reviews), ties broken by MAE.
   */
  static double[] bestRating(List<List<ReviewScores>> scores, int[] stars, double step) {
    double[] best = null;
    double bestAccuracy = -1;
    double bestMae = Double.MAX_VALUE;
    for (double[] w : simplex(scores.size(), step)) {
      int right = 0;
      double errors = 0;
      for (int i = 0; i < stars.length; i++) {
        int predicted =
            EnsembleClassifier.combine(MemberRows.row(scores, i), w, w, true)
                .toPrediction()
                .rating();
        if (predicted == stars[i]) {
          right++;
        }
        errors += Math.abs(predicted - stars[i]);
      }
      double accuracy = (double) right / stars.length;
      double mae = errors / stars.length;
      if (accuracy > bestAccuracy || (accuracy == bestAccuracy && mae < bestMae)) {
        best = w;
        bestAccuracy = accuracy;
        bestMae = mae;
      }
    }
    return best;
  }
}
