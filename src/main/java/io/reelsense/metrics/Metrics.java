package io.reelsense.metrics;

/**
 * Classification metrics shared by training and evaluation. Labels are ints: 0/1 for sentiment (1 =
 * positive), stars 1-10 for ratings. Every method takes the truth first, the prediction second, and
 * fails on arrays of different lengths.
 */
public final class Metrics {

  /** The rating from which a review counts as positive in IMDb (ratings 7-10 are positive). */
  public static final int POSITIVE_FROM_STARS = 7;

  private Metrics() {}

  /** Fraction of equal entries; 0 for empty arrays. */
  public static double accuracy(int[] truth, int[] predicted) {
    checkSameLength(truth, predicted);
    if (truth.length == 0) {
      return 0.0;
    }
    int correct = 0;
    for (int i = 0; i < truth.length; i++) {
      if (truth[i] == predicted[i]) {
        correct++;
      }
    }
    return (double) correct / truth.length;
  }

  /** Precision, recall and F1 of the positive class (label 1) of a 0/1 task. */
  public static BinaryScores binary(int[] truth, int[] predicted) {
    checkSameLength(truth, predicted);
    long tp = 0;
    long fp = 0;
    long fn = 0;
    long tn = 0;
    for (int i = 0; i < truth.length; i++) {
      boolean t = isPositive(truth[i]);
      boolean p = isPositive(predicted[i]);
      if (t && p) {
        tp++;
      } else if (p) {
        fp++;
      } else if (t) {
        fn++;
      } else {
        tn++;
      }
    }
    return new BinaryScores(tp, fp, fn, tn);
  }

  private static boolean isPositive(int label) {
    if (label != 0 && label != 1) {
      throw new IllegalArgumentException("binary labels must be 0 or 1, got " + label);
    }
    return label == 1;
  }

  /** Unweighted mean of the per-label F1 over {@code labels} (scikit-learn's macro F1). */
  public static double macroF1(int[] labels, int[] truth, int[] predicted) {
    return ConfusionMatrix.of(labels, truth, predicted).macroF1();
  }

  /** Mean absolute difference between true and predicted stars; 0 for empty arrays. */
  public static double meanAbsoluteError(int[] truthStars, int[] predictedStars) {
    checkSameLength(truthStars, predictedStars);
    if (truthStars.length == 0) {
      return 0.0;
    }
    long sum = 0;
    for (int i = 0; i < truthStars.length; i++) {
      sum += Math.abs(truthStars[i] - predictedStars[i]);
    }
    return (double) sum / truthStars.length;
  }

  /** Maps stars to sentiment: 1 when {@code stars >= 7}, else 0. */
  public static int sentimentOfStars(int stars) {
    return stars >= POSITIVE_FROM_STARS ? 1 : 0;
  }

  /**
   * Binary accuracy implied by a rating prediction: a predicted rating of 7 or more counts as
   * positive, and is compared with the sentiment of the true rating.
   */
  public static double impliedBinaryAccuracy(int[] truthStars, int[] predictedStars) {
    checkSameLength(truthStars, predictedStars);
    if (truthStars.length == 0) {
      return 0.0;
    }
    int correct = 0;
    for (int i = 0; i < truthStars.length; i++) {
      if (sentimentOfStars(truthStars[i]) == sentimentOfStars(predictedStars[i])) {
        correct++;
      }
    }
    return (double) correct / truthStars.length;
  }

  static void checkSameLength(int[] truth, int[] predicted) {
    if (truth.length != predicted.length) {
      throw new IllegalArgumentException(
          "truth has " + truth.length + " labels but predictions " + predicted.length);
    }
  }

  /**
   * Counts of a binary task, positive class = 1.
   *
   * @param truePositives predicted 1, truly 1
   * @param falsePositives predicted 1, truly 0
   * @param falseNegatives predicted 0, truly 1
   * @param trueNegatives predicted 0, truly 0
   */
  public record BinaryScores(
      long truePositives, long falsePositives, long falseNegatives, long trueNegatives) {

    /** TP / (TP + FP); 0 when nothing was predicted positive. */
    public double precision() {
      long d = truePositives + falsePositives;
      return d == 0 ? 0.0 : (double) truePositives / d;
    }

    /** TP / (TP + FN); 0 when nothing is truly positive. */
    public double recall() {
      long d = truePositives + falseNegatives;
      return d == 0 ? 0.0 : (double) truePositives / d;
    }

    /** Harmonic mean of precision and recall; 0 when both are 0. */
    public double f1() {
      double p = precision();
      double r = recall();
      return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
    }

    /** (TP + TN) / all; 0 when empty. */
    public double accuracy() {
      long n = truePositives + falsePositives + falseNegatives + trueNegatives;
      return n == 0 ? 0.0 : (double) (truePositives + trueNegatives) / n;
    }
  }
}
