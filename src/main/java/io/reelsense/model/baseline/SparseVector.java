package io.reelsense.model.baseline;

/**
 * A sparse vector: feature indices in increasing order and their values (same length).
 *
 * @param indices strictly increasing feature indices
 * @param values the value of each index
 */
public record SparseVector(int[] indices, double[] values) {

  public SparseVector {
    if (indices.length != values.length) {
      throw new IllegalArgumentException(
          indices.length + " indices but " + values.length + " values");
    }
  }

  /** A dense vector as a sparse one: every index, zeros included (e.g. an encoder's output). */
  public static SparseVector dense(float[] values) {
    int[] idx = new int[values.length];
    double[] val = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      idx[i] = i;
      val[i] = values[i];
    }
    return new SparseVector(idx, val);
  }

  /** Number of stored (non-zero) entries. */
  public int size() {
    return indices.length;
  }

  /** Dot product with a dense vector; indices beyond its length count as 0. */
  public double dot(float[] dense) {
    double sum = 0;
    for (int i = 0; i < indices.length; i++) {
      int j = indices[i];
      if (j < dense.length) {
        sum += values[i] * dense[j];
      }
    }
    return sum;
  }
}
