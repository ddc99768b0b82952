package io.reelsense.model.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.nn.transformer.PointwiseFeedForwardBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.reelsense.model.weights.Architecture;
import io.reelsense.model.weights.BertConfig;
import java.util.List;

/**
 * One post-norm BERT layer: {@code h = LN(x + Attn(x))}, {@code out = LN(h + FFN(h))}, with {@link
 * BertSelfAttentionBlock} (query/key/value/output projections, additive mask), DJL's {@link
 * PointwiseFeedForwardBlock} with GELU (exact erf, or tanh when the checkpoint's {@link
 * BertConfig#hiddenAct} says so, as Google's TensorFlow BERT), and {@link LayerNorm} with the
 * checkpoint's epsilon. Inputs: hidden states {@code (B, S, H)} and, for a padded batch, an
 * additive attention mask {@code (B, 1, 1, S)}.
 *
 * <p>With a dropout rate above 0 (fine-tuning), dropout is applied where Hugging Face's BERT
 * applies it: to the attention probabilities and to the attention and feed-forward outputs before
 * their residual additions; it acts only in a training forward pass.
 *
 * <p>DJL's {@code TransformerEncoderBlock} is not used: it normalizes with batch norms and adds the
 * layer's input, not the attention output, as the second residual.
 */
final class BertLayerBlock extends AbstractBlock {

  final BertSelfAttentionBlock attention;
  final LayerNorm attentionNorm;
  final PointwiseFeedForwardBlock feedForward;
  final LayerNorm outputNorm;
  private final Dropout attentionDropout;
  private final Dropout outputDropout;

  BertLayerBlock(BertConfig c, float dropout) {
    attention =
        addChildBlock(
            "attention", new BertSelfAttentionBlock(c.hiddenSize(), c.numHeads(), dropout));
    attentionNorm = addChildBlock("attention_LayerNorm", layerNorm(c));
    feedForward =
        addChildBlock(
            "feed_forward",
            new PointwiseFeedForwardBlock(
                List.of(c.intermediateSize()),
                c.hiddenSize(),
                BertConfig.GELU_TANH.equals(c.hiddenAct())
                    ? BertLayerBlock::geluTanh
                    : Activation::gelu));
    outputNorm = addChildBlock("output_LayerNorm", layerNorm(c));
    // DistilBERT adds the attention output to the residual without dropping any of it out
    float attentionOutputDropout = c.architecture() == Architecture.DISTILBERT ? 0f : dropout;
    attentionDropout =
        addChildBlock(
            "attention_dropout", Dropout.builder().optRate(attentionOutputDropout).build());
    outputDropout = addChildBlock("output_dropout", Dropout.builder().optRate(dropout).build());
  }

  /**
   * GELU's tanh approximation, {@code 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3)))}: what
   * Google's TensorFlow BERT computes ({@link BertConfig#GELU_TANH}); the exact form moves
   * BERT-base's last hidden state by up to 0.065.
   */
  static NDList geluTanh(NDList in) {
    NDArray x = in.singletonOrThrow();
    NDArray cube = Constants.times(Constants.pow(x, 3), 0.044715f);
    NDArray inner = Constants.times(cube.add(x), (float) Math.sqrt(2 / Math.PI));
    return new NDList(Constants.times(inner.tanh().add(1f).mul(x), 0.5f));
  }

  static LayerNorm layerNorm(BertConfig c) {
    return LayerNorm.builder().axis(2).optEpsilon((float) c.layerNormEps()).build();
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.get(0);
    NDArray attended = attention.forward(ps, inputs, training).head();
    attended = attentionDropout.forward(ps, new NDList(attended), training).head();
    NDArray h = attentionNorm.forward(ps, new NDList(attended.add(x)), training).head();
    NDArray ff = feedForward.forward(ps, new NDList(h), training).head();
    ff = outputDropout.forward(ps, new NDList(ff), training).head();
    return outputNorm.forward(ps, new NDList(ff.add(h)), training);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    attention.initialize(manager, dataType, inputShapes);
    attentionNorm.initialize(manager, dataType, inputShapes[0]);
    feedForward.initialize(manager, dataType, inputShapes[0]);
    outputNorm.initialize(manager, dataType, inputShapes[0]);
    attentionDropout.initialize(manager, dataType, inputShapes[0]);
    outputDropout.initialize(manager, dataType, inputShapes[0]);
  }
}
