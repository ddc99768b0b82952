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
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import io.reelsense.model.weights.BertCheckpoint;
import io.reelsense.model.weights.BertConfig;
import io.reelsense.model.weights.NamedTensor;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
  private final Precision precision;

  private BertEncoder(
      BertConfig config, NDManager manager, BertEncoderBlock block, Precision precision) {
    this.config = config;
    this.manager = manager;
    this.block = block;
    this.parameters = new ParameterStore(manager, false);
    this.precision = precision;
  }

  /** Builds the blocks for the checkpoint's shape and copies its tensors into their parameters. */
  public static BertEncoder load(BertCheckpoint checkpoint, Device device) {
    return load(checkpoint, device, 0f);
  }

  /**
   * As {@link #load(BertCheckpoint, Device)}, with blocks that apply {@code dropout} in training
   * forward passes (fine-tuning). The parameters start frozen; {@link #setTrainable} unfreezes
   * them.
   */
  public static BertEncoder load(BertCheckpoint checkpoint, Device device, float dropout) {
    return load(checkpoint, device, dropout, Precision.FP32);
  }

  /**
   * As {@link #load(BertCheckpoint, Device)}, with the weights and activations in {@code precision}
   * (pooled vectors still come back as fp32). fp16 on the CPU is refused ({@link
   * Precision#checkRunsOn}).
   */
  public static BertEncoder load(BertCheckpoint checkpoint, Device device, Precision precision) {
    return load(checkpoint, device, 0f, precision);
  }

  /**
   * Builds the blocks, with {@code dropout} in training forward passes, and fills every parameter
   * with its checkpoint tensor converted to {@code precision}'s data type.
   */
  public static BertEncoder load(
      BertCheckpoint checkpoint, Device device, float dropout, Precision precision) {
    precision.checkRunsOn(device);
    return build(checkpoint, device, dropout, precision);
  }

  /** As {@link #load(BertCheckpoint, Device, float, Precision)}, without the device check. */
  static BertEncoder build(
      BertCheckpoint checkpoint, Device device, float dropout, Precision precision) {
    BertConfig c = checkpoint.config();
    NDManager manager = NDManager.newBaseManager(device, Devices.ENGINE);
    try {
      BertEncoderBlock block = new BertEncoderBlock(c, dropout);
      block.setInitializer(Initializer.ZEROS, p -> true);
      BertEncoder encoder = new BertEncoder(c, manager, block, precision);
      for (Map.Entry<String, Parameter> e : encoder.namedParameters().entrySet()) {
        String name = e.getKey();
        e.getValue()
            .setInitializer(
                (m, shape, type) -> {
                  NDArray single = fromCheckpoint(checkpoint, name, shape, m);
                  if (single.getDataType() == type) {
                    return single;
                  }
                  NDArray converted = single.toType(type, false);
                  single.close();
                  return converted;
                });
      }
      block.initialize(
          manager, precision.dataType(), new Shape(1, 2), new Shape(1, 2), new Shape(1, 2));
      block.freezeParameters(true);
      return encoder;
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /** The number format of its weights and activations. */
  public Precision precision() {
    return precision;
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

  /**
   * Freezes (false) or unfreezes (true) every parameter: unfrozen parameters collect gradients in a
   * {@code GradientCollector}.
   */
  public void setTrainable(boolean trainable) {
    block.freezeParameters(!trainable);
  }

  /**
   * The encoder's parameters under their Hugging Face names ({@code
   * encoder.layer.0.attention.self.query.weight}, …), in a fixed order: the arrays themselves, not
   * copies.
   */
  public Map<String, Parameter> namedParameters() {
    Map<String, Parameter> named = new LinkedHashMap<>();
    BertEmbeddingBlock e = block.embeddings;
    named.put("embeddings.word_embeddings.weight", e.words.getParameters().get("embedding"));
    named.put(
        "embeddings.position_embeddings.weight", e.positions.getParameters().get("embedding"));
    if (e.types != null) {
      named.put(
          "embeddings.token_type_embeddings.weight", e.types.getParameters().get("embedding"));
    }
    putNorm(named, e.norm, "embeddings.LayerNorm");
    for (int i = 0; i < config.numLayers(); i++) {
      BertLayerBlock l = block.layers.get(i);
      String p = "encoder.layer." + i + ".";
      putLinear(named, l.attention.query(), p + "attention.self.query");
      putLinear(named, l.attention.key(), p + "attention.self.key");
      putLinear(named, l.attention.value(), p + "attention.self.value");
      putLinear(named, l.attention.output(), p + "attention.output.dense");
      putNorm(named, l.attentionNorm, p + "attention.output.LayerNorm");
      List<Block> ff = l.feedForward.getChildren().values();
      putLinear(named, (Linear) ff.get(0), p + "intermediate.dense");
      putLinear(named, (Linear) ff.get(ff.size() - 1), p + "output.dense");
      putNorm(named, l.outputNorm, p + "output.LayerNorm");
    }
    return named;
  }

  private static void putLinear(Map<String, Parameter> named, Linear linear, String prefix) {
    named.put(prefix + ".weight", linear.getParameters().get("weight"));
    named.put(prefix + ".bias", linear.getParameters().get("bias"));
  }

  private static void putNorm(Map<String, Parameter> named, LayerNorm norm, String prefix) {
    named.put(prefix + ".weight", norm.getParameters().get("gamma"));
    named.put(prefix + ".bias", norm.getParameters().get("beta"));
  }

  /**
   * The current weights as a checkpoint in the Hugging Face layout (what {@link #load} reads): a
   * copy, so training may go on.
   */
  public BertCheckpoint toCheckpoint() {
    Map<String, NamedTensor> tensors = new LinkedHashMap<>();
    for (Map.Entry<String, Parameter> e : namedParameters().entrySet()) {
      NDArray array = e.getValue().getArray();
      tensors.put(
          e.getKey(),
          new NamedTensor(
              e.getKey(),
              array.getShape().getShape(),
              array.toType(DataType.FLOAT32, false).toFloatArray()));
    }
    return new BertCheckpoint(config, tensors);
  }

  /** Number of weights (every parameter's element count). */
  public long parameterCount() {
    long n = 0;
    for (Parameter p : namedParameters().values()) {
      n += p.getArray().size();
    }
    return n;
  }

  /**
   * The last hidden state {@code (B, S, H)} of a padded batch, with dropout when {@code training}
   * (and a rate above 0 was given to {@link #load(BertCheckpoint, Device, float)}); the result
   * lives in the inputs' manager. Gradients flow when called inside a {@code GradientCollector}
   * with trainable parameters.
   */
  public NDArray forward(NDArray ids, NDArray typeIds, NDArray mask, boolean training) {
    return block.forward(parameters, new NDList(ids, typeIds, mask), training).head();
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

  /**
   * The embeddings' output and every layer's output for a padded batch, {@code numLayers + 1}
   * arrays {@code (B, S, H)} in the batch's manager, as Hugging Face's {@code
   * output_hidden_states}.
   */
  public List<NDArray> hiddenStates(PaddedBatch batch) {
    return block
        .hiddenStates(parameters, new NDList(batch.ids(), batch.typeIds(), batch.mask()))
        .subNDList(0);
  }

  /** Token ids of a batch of texts padded to the longest one, with types and mask. */
  public record PaddedBatch(NDArray ids, NDArray typeIds, NDArray mask) {}

  /**
   * Pads ragged id sequences (each with its {@code [CLS]}/{@code [SEP]}) to the longest in the
   * batch with the model's padding id (0 for BERT, 1 for RoBERTa) and mask 0, in {@code scope}.
   */
  public PaddedBatch pad(NDManager scope, List<long[]> sequences) {
    int b = sequences.size();
    int s = 1;
    for (long[] ids : sequences) {
      if (ids.length > config.maxLength()) {
        throw new IllegalArgumentException(
            ids.length
                + " tokens exceed the model's "
                + config.maxLength()
                + " positions; truncate first");
      }
      s = Math.max(s, ids.length);
    }
    long[] ids = new long[b * s];
    Arrays.fill(ids, config.padTokenId());
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
      // pooled, normalized and copied out in fp32, whatever the encoder's precision
      NDArray hidden =
          forward(batch.ids(), batch.typeIds(), batch.mask()).toType(DataType.FLOAT32, false);
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

  /** A checkpoint tensor as an fp32 array in {@code manager}, checking its shape. */
  private static NDArray fromCheckpoint(
      BertCheckpoint checkpoint, String name, Shape shape, NDManager manager) {
    NamedTensor t = checkpoint.tensor(name);
    long[] expected = shape.getShape();
    if (!Arrays.equals(expected, t.shape())) {
      throw new IllegalArgumentException(
          "tensor "
              + name
              + " has shape "
              + Arrays.toString(t.shape())
              + ", the encoder needs "
              + Arrays.toString(expected));
    }
    return manager.create(FloatBuffer.wrap(t.data()), shape);
  }
}
