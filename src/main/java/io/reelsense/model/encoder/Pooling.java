package io.reelsense.model.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;

/** How a sequence of hidden states becomes one vector. */
public enum Pooling {
  /** The hidden state of the first token ({@code [CLS]}), as bge does. */
  CLS,
  /** The mean of the hidden states of the real (unmasked) tokens, as sentence-transformers do. */
  MEAN;

  /** Pools {@code hidden (B, S, H)} with {@code mask (B, S)} (1 = real token) to {@code (B, H)}. */
  public NDArray pool(NDArray hidden, NDArray mask) {
    if (this == CLS) {
      return hidden.get(new NDIndex(":, 0, :"));
    }
    NDArray m = mask.toType(DataType.FLOAT32, false).expandDims(2);
    NDArray sum = hidden.mul(m).sum(new int[] {1});
    NDArray count = m.sum(new int[] {1}).maximum(1e-9f);
    return sum.div(count);
  }

  /** Divides each row by its L2 norm (at least 1e-12), as {@code torch.nn.functional.normalize}. */
  public static NDArray l2Normalize(NDArray vectors) {
    NDArray norm = vectors.norm(new int[] {1}, true).maximum(1e-12f);
    return vectors.div(norm);
  }
}
