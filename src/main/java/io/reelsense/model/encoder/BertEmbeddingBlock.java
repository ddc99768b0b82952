package io.reelsense.model.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.reelsense.model.weights.BertConfig;

/**
 * BERT's input embeddings: word + token type + position (positions {@code 0..S-1} of the padded
 * batch, so any length up to {@code maxPositions} works), then a layer norm and (in a training
 * forward pass, when the rate is above 0) dropout. Inputs: token ids and token-type ids, both
 * {@code (B, S)} int64; output {@code (B, S, H)}.
 *
 * <p>DJL's own {@code BertBlock} cannot be used: it normalizes with a batch norm instead of a layer
 * norm and adds the whole position table, which forces every input to the maximum length.
 */
final class BertEmbeddingBlock extends AbstractBlock {

  final LookupEmbedding words;
  final LookupEmbedding positions;
  final LookupEmbedding types;
  final LayerNorm norm;
  private final Dropout dropout;
  private final int hidden;

  BertEmbeddingBlock(BertConfig c, float dropoutRate) {
    hidden = c.hiddenSize();
    words = addChildBlock("word_embeddings", embedding(c.vocabSize(), hidden));
    positions = addChildBlock("position_embeddings", embedding(c.maxPositions(), hidden));
    types = addChildBlock("token_type_embeddings", embedding(c.typeVocabSize(), hidden));
    norm = addChildBlock("LayerNorm", BertLayerBlock.layerNorm(c));
    dropout = addChildBlock("dropout", Dropout.builder().optRate(dropoutRate).build());
  }

  private static LookupEmbedding embedding(int rows, int width) {
    return new LookupEmbedding(rows, width);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray ids = inputs.get(0);
    NDArray typeIds = inputs.get(1);
    int length = Math.toIntExact(ids.getShape().get(1));
    NDArray positionIds = ids.getManager().arange(0, length, 1, DataType.INT64).expandDims(0);
    NDArray sum =
        words
            .forward(ps, new NDList(ids), training)
            .head()
            .add(types.forward(ps, new NDList(typeIds), training).head())
            .add(positions.forward(ps, new NDList(positionIds), training).head());
    NDList normed = norm.forward(ps, new NDList(sum), training);
    return dropout.forward(ps, normed, training);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0].addAll(new Shape(hidden))};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    words.initialize(manager, dataType, inputShapes[0]);
    types.initialize(manager, dataType, inputShapes[1]);
    positions.initialize(manager, dataType, new Shape(1, inputShapes[0].get(1)));
    norm.initialize(manager, dataType, getOutputShapes(inputShapes));
    dropout.initialize(manager, dataType, getOutputShapes(inputShapes));
  }
}
