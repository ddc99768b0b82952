package io.reelsense.model.weights;

import java.util.Arrays;

/**
 * One tensor read from a checkpoint: its name, its shape and its values in row-major order.
 *
 * @param name the tensor's name in the layout of {@link BertCheckpoint} (Hugging Face names)
 * @param shape dimensions, outermost first
 * @param data values, row-major; its length is the product of {@code shape}
 */
public record NamedTensor(String name, long[] shape, float[] data) {

  public NamedTensor {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    if (n != data.length) {
      throw new IllegalArgumentException(
          "tensor "
              + name
              + ": shape "
              + Arrays.toString(shape)
              + " holds "
              + n
              + " values but "
              + data.length
              + " were given");
    }
  }

  /** Number of values. */
  public int size() {
    return data.length;
  }

  /** The transpose of a 2-D tensor ([in, out] to [out, in]), under a new name. */
  public NamedTensor transposed(String newName) {
    if (shape.length != 2) {
      throw new IllegalArgumentException(
          "tensor " + name + " has shape " + Arrays.toString(shape) + ", not 2-D");
    }
    int rows = (int) shape[0];
    int cols = (int) shape[1];
    float[] t = new float[data.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        t[c * rows + r] = data[r * cols + c];
      }
    }
    return new NamedTensor(newName, new long[] {cols, rows}, t);
  }

  /** The same values under another name. */
  public NamedTensor renamed(String newName) {
    return new NamedTensor(newName, shape, data);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NamedTensor t
        && name.equals(t.name)
        && Arrays.equals(shape, t.shape)
        && Arrays.equals(data, t.data);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * name.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return name + Arrays.toString(shape);
  }
}
