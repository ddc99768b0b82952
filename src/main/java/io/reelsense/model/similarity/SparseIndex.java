package io.reelsense.model.similarity;

import io.reelsense.model.baseline.SparseVector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cosine nearest neighbours over sparse vectors (TF-IDF), through an inverted index: a query only
 * touches the postings of its own terms. Vectors are L2-normalized when added, so a dot product is
 * the cosine.
 */
public final class SparseIndex {

  private final int size;
  private final SparseVector[] rows;
  private final int[][] postingDocs;
  private final float[][] postingWeights;

  private SparseIndex(SparseVector[] rows, int[][] docs, float[][] weights) {
    this.size = rows.length;
    this.rows = rows;
    this.postingDocs = docs;
    this.postingWeights = weights;
  }

  /** Indexes vectors whose feature indices lie below {@code dimension}. */
  public static SparseIndex of(List<SparseVector> vectors, int dimension) {
    SparseVector[] rows = new SparseVector[vectors.size()];
    int[] counts = new int[dimension];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = normalized(vectors.get(i));
      for (int j : rows[i].indices()) {
        counts[j]++;
      }
    }
    int[][] docs = new int[dimension][];
    float[][] weights = new float[dimension][];
    for (int j = 0; j < dimension; j++) {
      docs[j] = new int[counts[j]];
      weights[j] = new float[counts[j]];
    }
    int[] filled = new int[dimension];
    for (int i = 0; i < rows.length; i++) {
      int[] idx = rows[i].indices();
      double[] val = rows[i].values();
      for (int t = 0; t < idx.length; t++) {
        int j = idx[t];
        docs[j][filled[j]] = i;
        weights[j][filled[j]++] = (float) val[t];
      }
    }
    return new SparseIndex(rows, docs, weights);
  }

  private static SparseVector normalized(SparseVector v) {
    double norm = 0;
    for (double x : v.values()) {
      norm += x * x;
    }
    if (norm == 0 || Math.abs(norm - 1) < 1e-9) {
      return v;
    }
    double scale = 1 / Math.sqrt(norm);
    double[] values = v.values().clone();
    for (int i = 0; i < values.length; i++) {
      values[i] *= scale;
    }
    return new SparseVector(v.indices(), values);
  }

  /** Number of indexed vectors. */
  public int size() {
    return size;
  }

  /** The {@code k} rows most similar to row {@code position}, itself excluded. */
  public List<Scored> similarTo(int position, int k) {
    return nearest(rows[position], k, position);
  }

  /**
   * A row and its cosine with a query.
   *
   * @param position the row
   * @param score the cosine
   */
  public record Scored(int position, double score) {}

  /** The cosine of row {@code position} with every row (itself included), by row. */
  public float[] scores(int position) {
    return scores(rows[position]);
  }

  /** The cosine of a query with every row, by row. */
  public float[] scores(SparseVector query) {
    SparseVector q = normalized(query);
    float[] scores = new float[size];
    int[] idx = q.indices();
    double[] val = q.values();
    for (int t = 0; t < idx.length; t++) {
      if (idx[t] >= postingDocs.length) {
        continue;
      }
      int[] docs = postingDocs[idx[t]];
      float[] w = postingWeights[idx[t]];
      float qv = (float) val[t];
      for (int p = 0; p < docs.length; p++) {
        scores[docs[p]] += qv * w[p];
      }
    }
    return scores;
  }

  /**
   * The {@code k} rows closest to a query by cosine, best first (ties by position); rows that share
   * no term with the query score 0 and come last.
   *
   * @param exclude a row to leave out, or -1
   */
  public List<Scored> nearest(SparseVector query, int k, int exclude) {
    float[] scores = scores(query);
    int keep = Math.min(k, size - (exclude >= 0 && exclude < size ? 1 : 0));
    if (keep <= 0) {
      return List.of();
    }
    float[] bestScore = new float[keep];
    int[] bestPos = new int[keep];
    Arrays.fill(bestScore, Float.NEGATIVE_INFINITY);
    int filled = 0;
    for (int i = 0; i < size; i++) {
      if (i == exclude) {
        continue;
      }
      float s = scores[i];
      if (filled == keep && s <= bestScore[keep - 1]) {
        continue;
      }
      int at = filled < keep ? filled++ : keep - 1;
      while (at > 0 && bestScore[at - 1] < s) {
        bestScore[at] = bestScore[at - 1];
        bestPos[at] = bestPos[at - 1];
        at--;
      }
      bestScore[at] = s;
      bestPos[at] = i;
    }
    List<Scored> out = new ArrayList<>(filled);
    for (int i = 0; i < filled; i++) {
      out.add(new Scored(bestPos[i], bestScore[i]));
    }
    return out;
  }
}
