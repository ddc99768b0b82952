package io.reelsense.model.encoder;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * BERT's multi-head self-attention: query, key and value projections, {@code softmax(Q K^T /
 * sqrt(d) + mask) V} per head, and the output projection. Inputs: hidden states {@code (B, S, E)}
 * and, when the batch has padding, an additive mask {@code (B, 1, 1, S)} (0 for real tokens, a very
 * negative number for padding); without a mask every position attends to every other.
 *
 * <p>The same computation as DJL's {@code ScaledDotProductAttentionBlock}, with the scale applied
 * to the queries {@code (B, S, E)} rather than to the scores {@code (B, heads, S, S)}: at 512
 * tokens the score matrices are the largest tensors of the forward pass, and every elementwise pass
 * over them costs as much memory traffic as a matrix product. With a dropout rate above 0 the
 * attention probabilities are dropped out in a training forward pass, as in Hugging Face's BERT.
 */
final class BertSelfAttentionBlock extends AbstractBlock {

  /** Score-matrix elements attended at once on the CPU (8 MB of floats). */
  static final long CPU_SCORES_PER_SLICE = 2L << 20;

  private final int embeddingSize;
  private final int headCount;
  private final Linear query;
  private final Linear key;
  private final Linear value;
  private final Linear output;
  private final Dropout probabilityDropout;

  private final long scoresPerSlice;

  BertSelfAttentionBlock(int embeddingSize, int headCount, float dropout) {
    this(embeddingSize, headCount, dropout, CPU_SCORES_PER_SLICE);
  }

  /** As above, cutting CPU batches at {@code scoresPerSlice} score elements (tests use small). */
  BertSelfAttentionBlock(int embeddingSize, int headCount, float dropout, long scoresPerSlice) {
    this.scoresPerSlice = scoresPerSlice;
    if (embeddingSize % headCount != 0) {
      throw new IllegalArgumentException(
          "hidden size " + embeddingSize + " is not a multiple of " + headCount + " heads");
    }
    this.embeddingSize = embeddingSize;
    this.headCount = headCount;
    query = addChildBlock("query", projection(embeddingSize));
    key = addChildBlock("key", projection(embeddingSize));
    value = addChildBlock("value", projection(embeddingSize));
    output = addChildBlock("output", projection(embeddingSize));
    probabilityDropout =
        addChildBlock("probability_dropout", Dropout.builder().optRate(dropout).build());
  }

  private static Linear projection(int units) {
    return Linear.builder().setUnits(units).optBias(true).build();
  }

  Linear query() {
    return query;
  }

  Linear key() {
    return key;
  }

  Linear value() {
    return value;
  }

  Linear output() {
    return output;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.get(0);
    long b = x.getShape().get(0);
    long s = x.getShape().get(1);
    long d = embeddingSize / headCount;
    NDArray q =
        heads(Constants.times(apply(ps, query, x, training), 1f / (float) Math.sqrt(d)), b, s, d);
    NDArray k = heads(apply(ps, key, x, training), b, s, d);
    NDArray v = heads(apply(ps, value, x, training), b, s, d);
    NDArray mask = inputs.size() > 1 ? inputs.get(1) : null;
    int chunk = chunk(x.getDevice(), b, s);
    NDArray context;
    if (chunk >= b) {
      context = attend(ps, q, k, v, mask, training);
    } else {
      NDList parts = new NDList();
      for (long from = 0; from < b; from += chunk) {
        NDIndex rows = new NDIndex("{}:{}", from, Math.min(b, from + chunk));
        try (NDManager scope = NDManager.subManagerOf(x)) {
          NDArray part =
              attend(
                  ps,
                  q.get(rows),
                  k.get(rows),
                  v.get(rows),
                  mask == null ? null : mask.get(rows),
                  training);
          parts.add(scope.ret(part));
        }
      }
      context = NDArrays.concat(parts, 0);
    }
    context = context.transpose(0, 2, 1, 3).reshape(b, s, embeddingSize); // (B, S, E)
    return new NDList(apply(ps, output, context, training));
  }

  /**
   * How many sequences attend at once. On the CPU a batch is cut so that one slice's score matrices
   * ({@code heads x S x S} floats per sequence) stay near {@link #CPU_SCORES_PER_SLICE}: written
   * and read back while they are still in the cache, where a whole batch of 512-token scores (25 MB
   * a sequence for 12 heads) goes through memory at every pass. Elsewhere the whole batch.
   */
  private int chunk(Device device, long b, long s) {
    if (!Device.Type.CPU.equals(device.getDeviceType())) {
      return (int) b;
    }
    long perSequence = headCount * s * s;
    return (int) Math.max(1, Math.min(b, scoresPerSlice / perSequence));
  }

  /**
   * {@code softmax(q k^T + mask) v} for heads {@code (n, heads, S, d)}: {@code (n, heads, S, d)}.
   */
  private NDArray attend(
      ParameterStore ps, NDArray q, NDArray k, NDArray v, NDArray mask, boolean training) {
    NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)); // (n, heads, S, S)
    if (mask != null) {
      scores = scores.add(mask);
    }
    NDArray probabilities = scores.softmax(3);
    probabilities = probabilityDropout.forward(ps, new NDList(probabilities), training).head();
    return probabilities.matMul(v);
  }

  private static NDArray apply(ParameterStore ps, Linear l, NDArray x, boolean training) {
    return l.forward(ps, new NDList(x), training).head();
  }

  /** {@code (B, S, E)} to {@code (B, heads, S, d)}. */
  private NDArray heads(NDArray projected, long b, long s, long d) {
    return projected.reshape(b, s, headCount, d).transpose(0, 2, 1, 3);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape rows = new Shape(-1L, embeddingSize);
    for (Linear l : new Linear[] {query, key, value, output}) {
      l.initialize(manager, dataType, rows);
    }
    probabilityDropout.initialize(manager, dataType, inputShapes[0]);
  }
}
