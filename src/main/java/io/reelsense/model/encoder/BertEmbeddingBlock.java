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
import io.reelsense.model.weights.Architecture;
import io.reelsense.model.weights.BertConfig;

/**
 * The input embeddings of the BERT family: word + token type + position, then a layer norm and (in
 * a training forward pass, when the rate is above 0) dropout. Inputs: token ids and token-type ids,
 * both {@code (B, S)} int64; output {@code (B, S, H)}.
 *
 * <p>BERT and DistilBERT number positions {@code 0..S-1} of the padded batch, so any length up to
 * the table's rows works; RoBERTa numbers the real tokens from {@code pad_token_id + 1} and gives
 * padding {@code pad_token_id} (Hugging Face's {@code create_position_ids_from_input_ids}).
 * DistilBERT has no token-type table, and its token-type input is ignored.
 *
 * <p>DJL's own {@code BertBlock} cannot be used: it normalizes with a batch norm instead of a layer
 * norm and adds the whole position table, which forces every input to the maximum length.
 */
final class BertEmbeddingBlock extends AbstractBlock {

  final LookupEmbedding words;
  final LookupEmbedding positions;

  /** The token-type table; null for DistilBERT, which has none. */
  final LookupEmbedding types;

  final LayerNorm norm;
  private final Dropout dropout;
  private final int hidden;
  private final boolean countedPositions;
  private final long padId;

  BertEmbeddingBlock(BertConfig c, float dropoutRate) {
    hidden = c.hiddenSize();
    countedPositions = c.architecture() == Architecture.ROBERTA;
    padId = c.padTokenId();
    words = addChildBlock("word_embeddings", embedding(c.vocabSize(), hidden));
    positions = addChildBlock("position_embeddings", embedding(c.maxPositions(), hidden));
    types =
        c.hasTokenTypes()
            ? addChildBlock("token_type_embeddings", embedding(c.typeVocabSize(), hidden))
            : null;
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
    NDArray positionIds;
    if (countedPositions) {
      // 1 for a real token, 0 for padding
      NDArray real = ids.neq(padId).toType(DataType.INT64, false);
      // the running count of real tokens (1, 2, …), zeroed on padding, after the padding index
      positionIds = real.cumSum(1).mul(real).add(padId);
    } else {
      int length = Math.toIntExact(ids.getShape().get(1));
      // 0..S-1, broadcast over the batch
      positionIds = ids.getManager().arange(0, length, 1, DataType.INT64).expandDims(0);
    }
    NDArray sum =
        words
            .forward(ps, new NDList(ids), training)
            .head()
            .add(positions.forward(ps, new NDList(positionIds), training).head());
    if (types != null) {
      sum = sum.add(types.forward(ps, new NDList(typeIds), training).head());
    }
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
    if (types != null) {
      types.initialize(manager, dataType, inputShapes[1]);
    }
    positions.initialize(manager, dataType, inputShapes[0]);
    norm.initialize(manager, dataType, getOutputShapes(inputShapes));
    dropout.initialize(manager, dataType, getOutputShapes(inputShapes));
  }
}
