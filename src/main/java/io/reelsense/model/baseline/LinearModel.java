package io.reelsense.model.baseline;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * A linear classifier over sparse vectors: one score {@code w·x + b} per row, turned into class
 * probabilities by its {@link Link}. It holds the weights of logistic regression (binary: one row
 * scoring the second class; multi-class: one-vs-rest rows) and of multinomial naive Bayes (one row
 * of log feature probabilities per class, the log prior as intercept). Immutable, so thread-safe.
 *
 * <p>The weights are stored feature-major (the rows' weights of one feature side by side), so that
 * scoring a sparse vector touches one cache line per non-zero feature instead of one per row and
 * feature; each row's score is summed in the same order as a row-by-row dot product, so the scores
 * are the same to the last bit.
 */
public final class LinearModel {

  private static final int FORMAT = 1;

  /** How row scores become probabilities. */
  public enum Link {
    /**
     * Logistic: with one row, {@code p(classes[1]) = sigmoid(score)}; with one row per class, each
     * sigmoid normalized by their sum (scikit-learn's one-vs-rest).
     */
    LOGISTIC,
    /** Softmax over one row per class (naive Bayes joint log likelihoods, multinomial models). */
    SOFTMAX
  }

  private final int[] classes;
  private final Link link;
  private final int rows;
  private final int dimension;

  /** {@code columns[j * rows + r]} = weight of feature {@code j} in row {@code r}. */
  private final float[] columns;

  private final double[] intercepts;

  /**
   * @param classes class labels in increasing order
   * @param link how scores become probabilities
   * @param weights one row per class, or one row for a binary logistic model
   * @param intercepts one per row
   */
  public LinearModel(int[] classes, Link link, float[][] weights, double[] intercepts) {
    if (classes.length < 2) {
      throw new IllegalArgumentException("a classifier needs at least 2 classes");
    }
    boolean binaryLogistic = link == Link.LOGISTIC && classes.length == 2 && weights.length == 1;
    if (!binaryLogistic && weights.length != classes.length) {
      throw new IllegalArgumentException(
          weights.length + " weight rows for " + classes.length + " classes");
    }
    if (intercepts.length != weights.length) {
      throw new IllegalArgumentException(
          intercepts.length + " intercepts for " + weights.length + " weight rows");
    }
    this.classes = classes.clone();
    this.link = link;
    this.rows = weights.length;
    this.dimension = weights[0].length;
    this.columns = new float[Math.multiplyExact(rows, dimension)];
    for (int r = 0; r < rows; r++) {
      if (weights[r].length != dimension) {
        throw new IllegalArgumentException(
            "weight row " + r + " has " + weights[r].length + " features, row 0 has " + dimension);
      }
      for (int j = 0; j < dimension; j++) {
        columns[j * rows + r] = weights[r][j];
      }
    }
    this.intercepts = intercepts.clone();
  }

  /** The class labels, in the order of {@link #probabilities}. */
  public int[] classes() {
    return classes.clone();
  }

  public Link link() {
    return link;
  }

  /** Number of input features. */
  public int dimension() {
    return dimension;
  }

  /** Number of weight rows: one per class, or one for a binary logistic model. */
  public int rows() {
    return rows;
  }

  /** The weights of row {@code r}, one per feature (a copy). */
  public float[] row(int r) {
    float[] w = new float[dimension];
    for (int j = 0; j < dimension; j++) {
      w[j] = columns[j * rows + r];
    }
    return w;
  }

  /** The intercept of row {@code r}. */
  public double intercept(int r) {
    return intercepts[r];
  }

  /** Number of weights and intercepts. */
  public long parameterCount() {
    return (long) rows * dimension + intercepts.length;
  }

  /** The probability of each class of {@link #classes()} for {@code x}. */
  public double[] probabilities(SparseVector x) {
    double[] scores = new double[rows];
    int[] idx = x.indices();
    double[] val = x.values();
    for (int i = 0; i < idx.length; i++) {
      int j = idx[i];
      if (j < dimension) {
        int base = j * rows;
        for (int r = 0; r < rows; r++) {
          scores[r] += val[i] * columns[base + r];
        }
      }
    }
    for (int r = 0; r < rows; r++) {
      scores[r] += intercepts[r];
    }
    if (rows == 1) {
      double p = sigmoid(scores[0]);
      return new double[] {1.0 - p, p};
    }
    double[] p = new double[rows];
    double sum = 0;
    if (link == Link.LOGISTIC) {
      for (int r = 0; r < rows; r++) {
        p[r] = sigmoid(scores[r]);
        sum += p[r];
      }
    } else {
      double max = Arrays.stream(scores).max().orElse(0);
      for (int r = 0; r < rows; r++) {
        p[r] = Math.exp(scores[r] - max);
        sum += p[r];
      }
    }
    for (int r = 0; r < rows; r++) {
      p[r] /= sum;
    }
    return p;
  }

  /** Index in {@link #classes()} of the largest value (first one on ties). */
  public static int argmax(double[] values) {
    int best = 0;
    for (int i = 1; i < values.length; i++) {
      if (values[i] > values[best]) {
        best = i;
      }
    }
    return best;
  }

  /** The most probable class label for {@code x}. */
  public int predict(SparseVector x) {
    return classes[argmax(probabilities(x))];
  }

  private static double sigmoid(double z) {
    return z >= 0 ? 1.0 / (1.0 + Math.exp(-z)) : Math.exp(z) / (1.0 + Math.exp(z));
  }

  /** Writes the model (the caller owns and closes the stream). */
  public void write(DataOutputStream out) throws IOException {
    out.writeInt(FORMAT);
    out.writeUTF(link.name());
    out.writeInt(classes.length);
    for (int c : classes) {
      out.writeInt(c);
    }
    out.writeInt(rows);
    out.writeInt(dimension);
    for (int r = 0; r < rows; r++) {
      out.writeDouble(intercepts[r]);
      for (int j = 0; j < dimension; j++) {
        out.writeFloat(columns[j * rows + r]);
      }
    }
  }

  /**
   * The most classes a model file may declare: ratings have 8, sentiment 2; anything far beyond is
   * a damaged or hostile file, refused before an array is allocated.
   */
  public static final int MAX_CLASSES = 1 << 10;

  /**
   * The most features a model file may declare (2^24, about 16.8 million: a TF-IDF vocabulary with
   * bigrams of a large corpus, or any encoder's pooled width, stays far below).
   */
  public static final int MAX_DIMENSION = 1 << 24;

  /** Reads what {@link #write} wrote; every length is bounded before anything is allocated. */
  public static LinearModel read(DataInputStream in) throws IOException {
    int format = in.readInt();
    if (format != FORMAT) {
      throw new IOException("linear model format " + format + " is not the supported " + FORMAT);
    }
    String linkName = in.readUTF();
    Link link;
    try {
      link = Link.valueOf(linkName);
    } catch (IllegalArgumentException e) {
      throw new IOException("unknown link '" + linkName + "' (known: LOGISTIC, SOFTMAX)", e);
    }
    int[] classes = new int[bounded(in.readInt(), 2, MAX_CLASSES, "classes")];
    for (int i = 0; i < classes.length; i++) {
      classes[i] = in.readInt();
    }
    int rows = bounded(in.readInt(), 1, classes.length, "weight rows");
    int dim = bounded(in.readInt(), 1, MAX_DIMENSION, "features");
    float[][] weights = new float[rows][];
    double[] intercepts = new double[rows];
    for (int r = 0; r < rows; r++) {
      intercepts[r] = in.readDouble();
      weights[r] = new float[dim];
      for (int j = 0; j < dim; j++) {
        weights[r][j] = in.readFloat();
      }
    }
    return new LinearModel(classes, link, weights, intercepts);
  }

  private static int bounded(int value, int min, int max, String what) throws IOException {
    if (value < min || value > max) {
      throw new IOException(
          "declares "
              + value
              + " "
              + what
              + "; a linear model has at least "
              + min
              + " and at most "
              + max);
    }
    return value;
  }
}
