package io.reelsense.model.weights;

/**
 * The shape of a BERT-family encoder, as in a Hugging Face {@code config.json}.
 *
 * @param vocabSize rows of the word embedding matrix
 * @param hiddenSize width of every hidden state
 * @param numLayers number of transformer layers
 * @param numHeads attention heads per layer
 * @param intermediateSize width of the feed-forward layer
 * @param maxPositions rows of the position embedding matrix (the longest input)
 * @param typeVocabSize rows of the token-type embedding matrix
 * @param layerNormEps epsilon of every layer norm
 */
public record BertConfig(
    int vocabSize,
    int hiddenSize,
    int numLayers,
    int numHeads,
    int intermediateSize,
    int maxPositions,
    int typeVocabSize,
    double layerNormEps) {

  public BertConfig {
    if (hiddenSize % numHeads != 0) {
      throw new IllegalArgumentException(
          "hidden size " + hiddenSize + " is not a multiple of " + numHeads + " heads");
    }
  }

  /** Width of one attention head. */
  public int headSize() {
    return hiddenSize / numHeads;
  }
}
