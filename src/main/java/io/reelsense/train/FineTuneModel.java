package io.reelsense.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import io.reelsense.model.encoder.BertEncoder;
import io.reelsense.model.encoder.Pooling;
import io.reelsense.model.weights.BertCheckpoint;
import io.reelsense.model.weights.NamedTensor;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * What fine-tuning trains: a BERT encoder, the model's pooling, dropout and one linear head per
 * task ({@code sentiment}: 2 logits, {@code rating}: 8 logits), all on one device. Head weights
 * start as Hugging Face initializes them (normal, standard deviation 0.02, drawn from the seed;
 * zero biases).
 */
public final class FineTuneModel implements AutoCloseable {

  /** Head name prefix in {@link #namedParameters()}. */
  public static final String HEAD_PREFIX = "head.";

  private final BertEncoder encoder;
  private final Pooling pooling;
  private final NDManager manager;
  private final Map<String, Linear> heads = new LinkedHashMap<>();
  private final Dropout dropout;
  private final ParameterStore store;

  private FineTuneModel(
      BertEncoder encoder, Pooling pooling, Map<String, Integer> classes, float p) {
    this.encoder = encoder;
    this.pooling = pooling;
    this.manager = NDManager.newBaseManager(encoder.device(), "PyTorch");
    this.store = new ParameterStore(manager, false);
    int h = encoder.config().hiddenSize();
    this.dropout = Dropout.builder().optRate(p).build();
    dropout.initialize(manager, DataType.FLOAT32, new Shape(1, h));
    for (Map.Entry<String, Integer> e : classes.entrySet()) {
      Linear head = Linear.builder().setUnits(e.getValue()).build();
      head.setInitializer(Initializer.ZEROS, q -> true);
      head.initialize(manager, DataType.FLOAT32, new Shape(1, h));
      heads.put(e.getKey(), head);
    }
  }

  /**
   * Loads the encoder from {@code checkpoint} (with dropout {@code dropout} in training) and adds
   * freshly initialized heads, one per entry of {@code classes} (task name → number of classes).
   */
  public static FineTuneModel create(
      BertCheckpoint checkpoint,
      Pooling pooling,
      Map<String, Integer> classes,
      float dropout,
      Device device,
      long seed) {
    BertEncoder encoder = BertEncoder.load(checkpoint, device, dropout);
    try {
      FineTuneModel model = new FineTuneModel(encoder, pooling, classes, dropout);
      Random random = new Random(seed);
      for (Linear head : model.heads.values()) {
        NDArray w = head.getParameters().get("weight").getArray();
        float[] values = new float[Math.toIntExact(w.size())];
        for (int i = 0; i < values.length; i++) {
          values[i] = (float) (random.nextGaussian() * 0.02);
        }
        w.set(FloatBuffer.wrap(values));
      }
      encoder.setTrainable(true);
      return model;
    } catch (RuntimeException e) {
      encoder.close();
      throw e;
    }
  }

  /** The encoder. */
  public BertEncoder encoder() {
    return encoder;
  }

  /** How hidden states become one vector. */
  public Pooling pooling() {
    return pooling;
  }

  /** Task names of the heads, in order. */
  public List<String> tasks() {
    return List.copyOf(heads.keySet());
  }

  /**
   * Logits per task, {@code (B, classes)}, for a padded batch; with dropout when {@code training}.
   */
  public Map<String, NDArray> forward(BertEncoder.PaddedBatch batch, boolean training) {
    NDArray hidden = encoder.forward(batch.ids(), batch.typeIds(), batch.mask(), training);
    NDArray pooled = pooling.pool(hidden, batch.mask());
    pooled = dropout.forward(store, new NDList(pooled), training).head();
    Map<String, NDArray> logits = new LinkedHashMap<>();
    for (Map.Entry<String, Linear> e : heads.entrySet()) {
      logits.put(e.getKey(), e.getValue().forward(store, new NDList(pooled), training).head());
    }
    return logits;
  }

  /**
   * Every trainable parameter by name: the encoder's Hugging Face names, then {@code
   * head.<task>.weight} and {@code head.<task>.bias}.
   */
  public Map<String, Parameter> namedParameters() {
    Map<String, Parameter> all = new LinkedHashMap<>(encoder.namedParameters());
    for (Map.Entry<String, Linear> e : heads.entrySet()) {
      all.put(HEAD_PREFIX + e.getKey() + ".weight", e.getValue().getParameters().get("weight"));
      all.put(HEAD_PREFIX + e.getKey() + ".bias", e.getValue().getParameters().get("bias"));
    }
    return all;
  }

  /** Number of weights, encoder and heads. */
  public long parameterCount() {
    long n = 0;
    for (Parameter p : namedParameters().values()) {
      n += p.getArray().size();
    }
    return n;
  }

  /** The heads' weights (a copy), named {@code <task>.weight} and {@code <task>.bias}. */
  public Map<String, NamedTensor> headTensors() {
    Map<String, NamedTensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, Linear> e : heads.entrySet()) {
      for (String kind : List.of("weight", "bias")) {
        NDArray a = e.getValue().getParameters().get(kind).getArray();
        String name = e.getKey() + "." + kind;
        out.put(name, new NamedTensor(name, a.getShape().getShape(), a.toFloatArray()));
      }
    }
    return out;
  }

  /** Replaces the heads' weights with {@code tensors} (as {@link #headTensors()} names them). */
  public void setHeadTensors(Map<String, NamedTensor> tensors) {
    for (Map.Entry<String, Linear> e : heads.entrySet()) {
      for (String kind : List.of("weight", "bias")) {
        String name = e.getKey() + "." + kind;
        NamedTensor t = tensors.get(name);
        if (t == null) {
          throw new IllegalArgumentException("no head tensor " + name);
        }
        setArray(e.getValue().getParameters().get(kind).getArray(), t);
      }
    }
  }

  /** Replaces the encoder's weights with those of {@code checkpoint} (same shape). */
  public void setEncoderWeights(BertCheckpoint checkpoint) {
    for (Map.Entry<String, Parameter> e : encoder.namedParameters().entrySet()) {
      setArray(e.getValue().getArray(), checkpoint.tensor(e.getKey()));
    }
  }

  private static void setArray(NDArray array, NamedTensor t) {
    if (!Arrays.equals(array.getShape().getShape(), t.shape())) {
      throw new IllegalArgumentException(
          "tensor "
              + t.name()
              + " has shape "
              + Arrays.toString(t.shape())
              + ", the model needs "
              + array.getShape());
    }
    array.set(FloatBuffer.wrap(t.data()));
  }

  @Override
  public void close() {
    manager.close();
    encoder.close();
  }
}
