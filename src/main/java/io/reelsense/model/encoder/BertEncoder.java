package io.reelsense.model.encoder;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.nn.transformer.IdEmbedding;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import io.reelsense.model.weights.BertCheckpoint;
import io.reelsense.model.weights.BertConfig;
import io.reelsense.model.weights.NamedTensor;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * A BERT encoder with its weights, on one device: padded batches of token ids in, last hidden
 * states or pooled vectors out. Every batch runs in its own {@link NDManager} scope, closed before
 * the method returns, so memory stays flat however many batches go through.
 */
public final class BertEncoder implements AutoCloseable {

  private final BertConfig config;
  private final NDManager manager;
  private final BertEncoderBlock block;
  private final ParameterStore parameters;

  private BertEncoder(BertConfig config, NDManager manager, BertEncoderBlock block) {
    this.config = config;
    this.manager = manager;
    this.block = block;
    this.parameters = new ParameterStore(manager, false);
  }

  /** Builds the blocks for the checkpoint's shape and copies its tensors into their parameters. */
  public static BertEncoder load(BertCheckpoint checkpoint, Device device) {
    BertConfig c = checkpoint.config();
    NDManager manager = NDManager.newBaseManager(device, Devices.ENGINE);
    try {
      BertEncoderBlock block = new BertEncoderBlock(c);
      block.setInitializer(Initializer.ZEROS, p -> true);
      block.initialize(
          manager, DataType.FLOAT32, new Shape(1, 2), new Shape(1, 2), new Shape(1, 2));
      Loader load = new Loader(checkpoint);
      BertEmbeddingBlock e = block.embeddings;
      load.embedding(e.words, "embeddings.word_embeddings.weight");
      load.embedding(e.positions, "embeddings.position_embeddings.weight");
      load.embedding(e.types, "embeddings.token_type_embeddings.weight");
      load.norm(e.norm, "embeddings.LayerNorm");
      for (int i = 0; i < c.numLayers(); i++) {
        BertLayerBlock l = block.layers.get(i);
        String p = "encoder.layer." + i + ".";
        load.linear(l.attention.getQueryProjection(), p + "attention.self.query");
        load.linear(l.attention.getKeyProjection(), p + "attention.self.key");
        load.linear(l.attention.getValueProjection(), p + "attention.self.value");
        load.linear(l.attention.getResultProjection(), p + "attention.output.dense");
        load.norm(l.attentionNorm, p + "attention.output.LayerNorm");
        List<Block> ff = l.feedForward.getChildren().values();
        load.linear((Linear) ff.get(0), p + "intermediate.dense");
        load.linear((Linear) ff.get(ff.size() - 1), p + "output.dense");
        load.norm(l.outputNorm, p + "output.LayerNorm");
      }
      block.freezeParameters(true);
      return new BertEncoder(c, manager, block);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /** The encoder's shape. */
  public BertConfig config() {
    return config;
  }

  /** Where it runs. */
  public Device device() {
    return manager.getDevice();
  }

  /** The DJL block (for callers that build on it, e.g. a classification head). */
  public BertEncoderBlock block() {
    return block;
  }

  /** A fresh scope for one batch's arrays, on the encoder's device; close it after the batch. */
  public NDManager newBatchManager() {
    return manager.newSubManager();
  }

  /**
   * The last hidden state {@code (B, S, H)} of a padded batch; the result lives in the inputs'
   * manager.
   */
  public NDArray forward(NDArray ids, NDArray typeIds, NDArray mask) {
    return block.forward(parameters, new NDList(ids, typeIds, mask), false).head();
  }

  /** Token ids of a batch of texts padded to the longest one, with types and mask. */
  public record PaddedBatch(NDArray ids, NDArray typeIds, NDArray mask) {}

  /**
   * Pads ragged id sequences (each with its {@code [CLS]}/{@code [SEP]}) to the longest in the
   * batch with id 0 and mask 0, in {@code scope}.
   */
  public PaddedBatch pad(NDManager scope, List<long[]> sequences) {
    int b = sequences.size();
    int s = 1;
    for (long[] ids : sequences) {
      if (ids.length > config.maxPositions()) {
        throw new IllegalArgumentException(
            ids.length
                + " tokens exceed the model's "
                + config.maxPositions()
                + " positions; truncate first");
      }
      s = Math.max(s, ids.length);
    }
    long[] ids = new long[b * s];
    long[] mask = new long[b * s];
    for (int i = 0; i < b; i++) {
      long[] seq = sequences.get(i);
      System.arraycopy(seq, 0, ids, i * s, seq.length);
      Arrays.fill(mask, i * s, i * s + seq.length, 1L);
    }
    Shape shape = new Shape(b, s);
    return new PaddedBatch(
        scope.create(ids, shape), scope.zeros(shape, DataType.INT64), scope.create(mask, shape));
  }

  /**
   * What one batch gives: the pooled vectors and, when asked for, each sequence's last hidden state
   * {@code [length][H]} without the padding rows (null otherwise).
   */
  public record Encoded(float[][] pooled, float[][][] hidden) {}

  /** One pooled (and optionally L2-normalized) vector per sequence, in order. */
  public float[][] embed(List<long[]> sequences, Pooling pooling, boolean normalize) {
    return encode(sequences, pooling, normalize, false).pooled();
  }

  /**
   * Runs one padded batch in its own scope: pooled vectors and, with {@code withHidden}, the last
   * hidden states.
   */
  public Encoded encode(
      List<long[]> sequences, Pooling pooling, boolean normalize, boolean withHidden) {
    int n = sequences.size();
    float[][] pooledOut = new float[n][];
    float[][][] hiddenOut = withHidden ? new float[n][][] : null;
    if (n == 0) {
      return new Encoded(pooledOut, hiddenOut);
    }
    int h = config.hiddenSize();
    try (NDManager scope = newBatchManager()) {
      PaddedBatch batch = pad(scope, sequences);
      NDArray hidden = forward(batch.ids(), batch.typeIds(), batch.mask());
      NDArray pooled = pooling.pool(hidden, batch.mask());
      if (normalize) {
        pooled = Pooling.l2Normalize(pooled);
      }
      float[] flat = pooled.toFloatArray();
      for (int i = 0; i < n; i++) {
        pooledOut[i] = Arrays.copyOfRange(flat, i * h, (i + 1) * h);
      }
      if (withHidden) {
        float[] all = hidden.toFloatArray();
        int s = Math.toIntExact(batch.ids().getShape().get(1));
        for (int i = 0; i < n; i++) {
          int len = sequences.get(i).length;
          hiddenOut[i] = new float[len][];
          for (int t = 0; t < len; t++) {
            int from = (i * s + t) * h;
            hiddenOut[i][t] = Arrays.copyOfRange(all, from, from + h);
          }
        }
      }
    }
    return new Encoded(pooledOut, hiddenOut);
  }

  @Override
  public void close() {
    manager.close();
  }

  /** Copies checkpoint tensors into block parameters, checking every shape. */
  private static final class Loader {
    private final BertCheckpoint checkpoint;

    Loader(BertCheckpoint checkpoint) {
      this.checkpoint = checkpoint;
    }

    void embedding(IdEmbedding block, String name) {
      copy(block.getParameters().get("embedding"), name);
    }

    void linear(Linear block, String prefix) {
      copy(block.getParameters().get("weight"), prefix + ".weight");
      copy(block.getParameters().get("bias"), prefix + ".bias");
    }

    void norm(LayerNorm block, String prefix) {
      copy(block.getParameters().get("gamma"), prefix + ".weight");
      copy(block.getParameters().get("beta"), prefix + ".bias");
    }

    private void copy(Parameter parameter, String name) {
      NamedTensor t = checkpoint.tensor(name);
      NDArray array = parameter.getArray();
      long[] expected = array.getShape().getShape();
      if (!Arrays.equals(expected, t.shape())) {
        throw new IllegalArgumentException(
            "tensor "
                + name
                + " has shape "
                + Arrays.toString(t.shape())
                + ", the encoder needs "
                + Arrays.toString(expected));
      }
      array.set(FloatBuffer.wrap(t.data()));
    }
  }
}
