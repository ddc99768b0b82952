package io.reelsense.model.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A table of {@code rows x width} vectors looked up by int64 ids: ids of any shape in, one vector
 * per id out ({@code (..., width)}). Its one parameter is named {@code embedding}.
 *
 * <p>The lookup is the engine's embedding operator ({@code torch.nn.functional.embedding} on
 * PyTorch), whose CPU gradient gives each table row to one thread and adds the batch's rows for it
 * in input order: the same batch gives the same bits every time. DJL's {@code IdEmbedding} gathers
 * rows by advanced indexing instead, and on a CPU with more than one thread PyTorch adds the
 * gradient of repeated ids (punctuation, the one token type) with atomic adds in whatever order the
 * threads meet: two fine-tunings with the same seed drifted apart in the last bits from their
 * second step, and a run could not be repeated.
 */
final class LookupEmbedding extends AbstractBlock {

  private final int width;
  private final Parameter embedding;

  LookupEmbedding(int rows, int width) {
    this.width = width;
    this.embedding =
        addParameter(
            Parameter.builder()
                .setName("embedding")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(rows, width))
                .build());
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray ids = inputs.singletonOrThrow();
    NDArray table = ps.getValue(embedding, ids.getDevice(), training);
    return ids.getNDArrayInternal().embedding(ids, table, SparseFormat.DENSE);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0].addAll(new Shape(width))};
  }
}
