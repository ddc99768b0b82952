package io.reelsense.model.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.reelsense.model.weights.BertConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * A BERT encoder as a DJL block. Inputs: token ids, token-type ids and attention mask (1 for real
 * tokens, 0 for padding), each {@code (B, S)} int64; output: the last hidden state {@code (B, S,
 * H)}. Each layer runs in its own memory scope, so a layer's intermediate arrays (attention scores
 * are {@code B·heads·S²}) are freed before the next layer starts.
 */
public final class BertEncoderBlock extends AbstractBlock {

  final BertEmbeddingBlock embeddings;
  final List<BertLayerBlock> layers = new ArrayList<>();
  private final BertConfig config;

  /** An encoder without dropout (inference). */
  public BertEncoderBlock(BertConfig config) {
    this(config, 0f);
  }

  /**
   * An encoder whose training forward passes apply dropout at {@code dropout} where BERT does
   * (embeddings, attention probabilities, attention and feed-forward outputs); inference is the
   * same whatever the rate.
   */
  public BertEncoderBlock(BertConfig config, float dropout) {
    if (!(dropout >= 0f && dropout < 1f)) {
      throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
    }
    this.config = config;
    embeddings = addChildBlock("embeddings", new BertEmbeddingBlock(config, dropout));
    for (int i = 0; i < config.numLayers(); i++) {
      layers.add(addChildBlock("layer_" + i, new BertLayerBlock(config, dropout)));
    }
  }

  /** The encoder's shape. */
  public BertConfig config() {
    return config;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return run(ps, inputs, training, false);
  }

  /**
   * The embeddings' output and every layer's output, {@code numLayers + 1} arrays {@code (B, S, H)}
   * in the inputs' manager (Hugging Face's {@code hidden_states}), without dropout.
   */
  public NDList hiddenStates(ParameterStore ps, NDList inputs) {
    return run(ps, inputs, false, true);
  }

  private NDList run(ParameterStore ps, NDList inputs, boolean training, boolean everyLayer) {
    NDArray ids = inputs.get(0);
    NDArray mask = inputs.get(2);
    Shape shape = ids.getShape();
    NDArray hidden = embeddings.forward(ps, new NDList(ids, inputs.get(1)), training).head();
    // 0 where a token is real, the lowest finite value of the activations' type where it is
    // padding (as Hugging Face does), so that half precision never adds an infinity
    DataType type = hidden.getDataType();
    NDArray offset =
        mask.toType(type, false)
            .neg()
            .add(1f)
            .mul(lowest(type))
            .reshape(shape.get(0), 1, 1, shape.get(1));
    // a batch without padding needs no mask: one pass less over every (S x S) score matrix
    boolean padded = mask.eq(0).any().getBoolean();
    NDList states = new NDList(hidden);
    for (BertLayerBlock layer : layers) {
      NDList in = padded ? new NDList(hidden, offset) : new NDList(hidden);
      if (everyLayer) {
        hidden = layer.forward(ps, in, training).head();
        states.add(hidden);
        continue;
      }
      try (NDManager scope = NDManager.subManagerOf(hidden)) {
        scope.tempAttachAll(offset);
        hidden.attach(scope); // the previous state is not needed after this layer
        hidden = scope.ret(layer.forward(ps, in, training)).head();
      }
    }
    return everyLayer ? states : new NDList(hidden);
  }

  /** The lowest finite value of a floating type. */
  static float lowest(DataType type) {
    return switch (type) {
      case FLOAT16 -> -65504f;
      default -> -Float.MAX_VALUE;
    };
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0].addAll(new Shape(config.hiddenSize()))};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    embeddings.initialize(manager, dataType, inputShapes[0], inputShapes[1]);
    Shape hidden = getOutputShapes(inputShapes)[0];
    Shape mask = new Shape(inputShapes[0].get(0), 1, 1, inputShapes[0].get(1));
    for (BertLayerBlock layer : layers) {
      layer.initialize(manager, dataType, hidden, mask);
    }
  }
}
