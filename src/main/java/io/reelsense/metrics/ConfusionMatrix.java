package io.reelsense.metrics;

import java.util.Arrays;

/**
 * Counts of (true label, predicted label) pairs over a fixed, ordered label set.
 *
 * <p>Row {@code i} is the true label {@code labels[i]}, column {@code j} the predicted label {@code
 * labels[j]}.
 */
public final class ConfusionMatrix {

  private final int[] labels;
  private final long[][] counts;

  private ConfusionMatrix(int[] labels, long[][] counts) {
    this.labels = labels;
    this.counts = counts;
  }

  /**
   * Builds the matrix of {@code truth} against {@code predicted} over {@code labels}.
   *
   * @throws IllegalArgumentException when the arrays differ in length or hold a label not in {@code
   *     labels}
   */
  public static ConfusionMatrix of(int[] labels, int[] truth, int[] predicted) {
    Metrics.checkSameLength(truth, predicted);
    long[][] counts = new long[labels.length][labels.length];
    for (int i = 0; i < truth.length; i++) {
      counts[indexIn(labels, truth[i])][indexIn(labels, predicted[i])]++;
    }
    return new ConfusionMatrix(labels.clone(), counts);
  }

  private static int indexIn(int[] labels, int label) {
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] == label) {
        return i;
      }
    }
    throw new IllegalArgumentException(
        "label " + label + " is not one of " + Arrays.toString(labels));
  }

  /** The labels, in row/column order. */
  public int[] labels() {
    return labels.clone();
  }

  /** How many examples with true label {@code labels[row]} were predicted {@code labels[col]}. */
  public long count(int row, int col) {
    return counts[row][col];
  }

  /** A copy of the counts, rows = truth, columns = prediction. */
  public long[][] counts() {
    long[][] copy = new long[counts.length][];
    for (int i = 0; i < counts.length; i++) {
      copy[i] = counts[i].clone();
    }
    return copy;
  }

  /** Total number of examples. */
  public long total() {
    long n = 0;
    for (long[] row : counts) {
      for (long c : row) {
        n += c;
      }
    }
    return n;
  }

  /**
   * Precision of the label at {@code index}: correct / predicted as it (0 when never predicted).
   */
  public double precision(int index) {
    long predicted = 0;
    for (long[] row : counts) {
      predicted += row[index];
    }
    return predicted == 0 ? 0.0 : (double) counts[index][index] / predicted;
  }

  /** Recall of the label at {@code index}: correct / truly it (0 when absent from the truth). */
  public double recall(int index) {
    long actual = 0;
    for (long c : counts[index]) {
      actual += c;
    }
    return actual == 0 ? 0.0 : (double) counts[index][index] / actual;
  }

  /** F1 of the label at {@code index} (0 when precision and recall are both 0). */
  public double f1(int index) {
    double p = precision(index);
    double r = recall(index);
    return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
  }

  /** Unweighted mean of the per-label F1 scores (scikit-learn's {@code average="macro"}). */
  public double macroF1() {
    double sum = 0;
    for (int i = 0; i < labels.length; i++) {
      sum += f1(i);
    }
    return labels.length == 0 ? 0.0 : sum / labels.length;
  }

  /** Fraction on the diagonal (0 for an empty matrix). */
  public double accuracy() {
    long total = total();
    long diagonal = 0;
    for (int i = 0; i < labels.length; i++) {
      diagonal += counts[i][i];
    }
    return total == 0 ? 0.0 : (double) diagonal / total;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("true\\pred");
    for (int label : labels) {
      sb.append('\t').append(label);
    }
    for (int i = 0; i < labels.length; i++) {
      sb.append('\n').append(labels[i]);
      for (long c : counts[i]) {
        sb.append('\t').append(c);
      }
    }
    return sb.toString();
  }
}
