package io.reelsense.train;

import de.bwaldvogel.liblinear.Feature;
import de.bwaldvogel.liblinear.FeatureNode;
import de.bwaldvogel.liblinear.Linear;
import de.bwaldvogel.liblinear.Model;
import de.bwaldvogel.liblinear.Parameter;
import de.bwaldvogel.liblinear.Problem;
import de.bwaldvogel.liblinear.SolverType;
import io.reelsense.model.baseline.LinearModel;
import io.reelsense.model.baseline.SparseVector;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Fits the linear heads of the baseline: L2-regularized logistic regression with liblinear's primal
 * trust-region Newton solver (intercept not regularized, as in scikit-learn's default), one-vs-rest
 * for more than two classes (the binary problems run in parallel), and multinomial naive Bayes.
 */
public final class LinearTrainers {

  /** liblinear's stopping tolerance for the primal logistic solver. */
  public static final double DEFAULT_EPS = 0.01;

  private LinearTrainers() {}

  /**
   * Logistic regression with inverse regularization strength {@code c}.
   *
   * @param x training vectors over {@code dimension} features
   * @param y the label of each vector
   * @param threads how many binary one-vs-rest problems run at once
   */
  public static LinearModel logisticRegression(
      List<SparseVector> x, int[] y, int dimension, double c, int threads) {
    return logisticRegression(x, y, dimension, c, DEFAULT_EPS, threads);
  }

  /** As {@link #logisticRegression(List, int[], int, double, int)} with a solver tolerance. */
  public static LinearModel logisticRegression(
      List<SparseVector> x, int[] y, int dimension, double c, double eps, int threads) {
    int[] classes = classesOf(y);
    Feature[][] features = toLiblinear(x, dimension);
    Linear.disableDebugOutput();
    if (classes.length == 2) {
      float[][] w = new float[1][];
      double[] b = new double[1];
      fitBinary(features, y, classes[1], dimension, c, eps, w, b, 0);
      return new LinearModel(classes, LinearModel.Link.LOGISTIC, w, b);
    }
    float[][] w = new float[classes.length][];
    double[] b = new double[classes.length];
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
    try {
      List<Future<?>> jobs = new ArrayList<>();
      for (int k = 0; k < classes.length; k++) {
        final int row = k;
        jobs.add(
            pool.submit(() -> fitBinary(features, y, classes[row], dimension, c, eps, w, b, row)));
      }
      for (Future<?> job : jobs) {
        job.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while training", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("training failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
    return new LinearModel(classes, LinearModel.Link.LOGISTIC, w, b);
  }

  /** Fits "positive vs the rest" and stores its weights and intercept at {@code row}. */
  private static void fitBinary(
      Feature[][] features,
      int[] y,
      int positive,
      int dimension,
      double c,
      double eps,
      float[][] w,
      double[] b,
      int row) {
    Problem problem = new Problem();
    problem.l = features.length;
    problem.n = dimension + 1;
    problem.x = features;
    problem.bias = 1.0;
    problem.y = new double[y.length];
    for (int i = 0; i < y.length; i++) {
      problem.y[i] = y[i] == positive ? 1 : -1;
    }
    Parameter parameter = new Parameter(SolverType.L2R_LR, c, eps);
    parameter.setRegularizeBias(false);
    parameter.setRandom(new Random(0));
    Model model = Linear.train(problem, parameter);
    double[] weights = model.getFeatureWeights();
    // liblinear orders labels as first seen; its single weight vector scores labels[0].
    double sign = model.getLabels()[0] == 1 ? 1.0 : -1.0;
    float[] row0 = new float[dimension];
    for (int j = 0; j < dimension; j++) {
      row0[j] = (float) (sign * weights[j]);
    }
    w[row] = row0;
    b[row] = sign * weights[dimension];
  }

  private static Feature[][] toLiblinear(List<SparseVector> x, int dimension) {
    Feature[][] features = new Feature[x.size()][];
    for (int i = 0; i < features.length; i++) {
      SparseVector v = x.get(i);
      Feature[] row = new Feature[v.size() + 1];
      int[] idx = v.indices();
      double[] val = v.values();
      for (int k = 0; k < idx.length; k++) {
        row[k] = new FeatureNode(idx[k] + 1, val[k]);
      }
      row[idx.length] = new FeatureNode(dimension + 1, 1.0);
      features[i] = row;
    }
    return features;
  }

  /**
   * Multinomial naive Bayes with additive smoothing {@code alpha} (scikit-learn's {@code
   * MultinomialNB}): per class, log prior and {@code log((count_j + alpha) / (sum + alpha * d))}.
   */
  public static LinearModel naiveBayes(List<SparseVector> x, int[] y, int dimension, double alpha) {
    int[] classes = classesOf(y);
    double[][] counts = new double[classes.length][dimension];
    long[] docs = new long[classes.length];
    for (int i = 0; i < y.length; i++) {
      int k = indexOf(classes, y[i]);
      docs[k]++;
      SparseVector v = x.get(i);
      int[] idx = v.indices();
      double[] val = v.values();
      for (int j = 0; j < idx.length; j++) {
        counts[k][idx[j]] += val[j];
      }
    }
    float[][] w = new float[classes.length][dimension];
    double[] b = new double[classes.length];
    for (int k = 0; k < classes.length; k++) {
      double total = 0;
      for (double v : counts[k]) {
        total += v;
      }
      double denominator = Math.log(total + alpha * dimension);
      for (int j = 0; j < dimension; j++) {
        w[k][j] = (float) (Math.log(counts[k][j] + alpha) - denominator);
      }
      b[k] = Math.log((double) docs[k] / y.length);
    }
    return new LinearModel(classes, LinearModel.Link.SOFTMAX, w, b);
  }

  /** The distinct labels of {@code y}, increasing; at least two. */
  static int[] classesOf(int[] y) {
    TreeSet<Integer> set = new TreeSet<>();
    for (int label : y) {
      set.add(label);
    }
    if (set.size() < 2) {
      throw new IllegalArgumentException(
          "training data needs at least 2 classes, found " + set.size() + ": " + set);
    }
    return set.stream().mapToInt(Integer::intValue).toArray();
  }

  private static int indexOf(int[] classes, int label) {
    for (int k = 0; k < classes.length; k++) {
      if (classes[k] == label) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown label " + label);
  }
}
