package io.reelsense.model.weights;

import java.util.Set;

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
 * @param hiddenAct the feed-forward activation, in Hugging Face's words: {@link #GELU} (exact, erf)
 *     or {@link #GELU_TANH} (the tanh approximation Google's TensorFlow BERT uses; on BERT-base the
 *     two differ by up to 0.065 in the last hidden state)
 * @param architecture which member of the family: how positions and token types are embedded
 * @param padTokenId the id that pads a batch (RoBERTa's position ids are counted from it)
 * @param sinusoidalPositions true when the position table is DistilBERT's fixed sinusoidal one
 *     (computed when a checkpoint leaves it out; fine-tuning trains it as a learned table, where
 *     Hugging Face keeps it fixed)
 */
public record BertConfig(
    int vocabSize,
    int hiddenSize,
    int numLayers,
    int numHeads,
    int intermediateSize,
    int maxPositions,
    int typeVocabSize,
    double layerNormEps,
    String hiddenAct,
    Architecture architecture,
    int padTokenId,
    boolean sinusoidalPositions) {

  /** GELU with the error function: {@code 0.5 x (1 + erf(x / sqrt 2))}. */
  public static final String GELU = "gelu";

  /** GELU's tanh approximation: {@code 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3)))}. */
  public static final String GELU_TANH = "gelu_new";

  private static final Set<String> ACTIVATIONS = Set.of(GELU, GELU_TANH);

  public BertConfig {
    if (numHeads <= 0 || hiddenSize % numHeads != 0) {
      throw new IllegalArgumentException(
          "hidden size " + hiddenSize + " is not a multiple of " + numHeads + " heads");
    }
    if (!ACTIVATIONS.contains(hiddenAct)) {
      throw new IllegalArgumentException(
          "activation '" + hiddenAct + "' is not one of " + GELU + ", " + GELU_TANH);
    }
    if (architecture == Architecture.DISTILBERT ? typeVocabSize != 0 : typeVocabSize < 1) {
      throw new IllegalArgumentException(
          architecture.modelType()
              + " takes "
              + (architecture == Architecture.DISTILBERT ? "no" : "at least one")
              + " token type, got "
              + typeVocabSize);
    }
    if (padTokenId < 0 || padTokenId >= vocabSize) {
      throw new IllegalArgumentException(
          "pad token id " + padTokenId + " is outside the vocabulary of " + vocabSize);
    }
    if (architecture == Architecture.ROBERTA && maxPositions <= padTokenId + 1) {
      throw new IllegalArgumentException(
          "a RoBERTa position table of "
              + maxPositions
              + " rows leaves no room after the padding index "
              + padTokenId);
    }
    if (sinusoidalPositions && architecture != Architecture.DISTILBERT) {
      throw new IllegalArgumentException("sinusoidal positions are DistilBERT's alone");
    }
  }

  /** A BERT configuration ({@code model_type} {@code bert}, padding id 0). */
  public BertConfig(
      int vocabSize,
      int hiddenSize,
      int numLayers,
      int numHeads,
      int intermediateSize,
      int maxPositions,
      int typeVocabSize,
      double layerNormEps,
      String hiddenAct) {
    this(
        vocabSize,
        hiddenSize,
        numLayers,
        numHeads,
        intermediateSize,
        maxPositions,
        typeVocabSize,
        layerNormEps,
        hiddenAct,
        Architecture.BERT,
        0,
        false);
  }

  /** A configuration with the exact (erf) GELU, as Hugging Face's BERT checkpoints use. */
  public BertConfig(
      int vocabSize,
      int hiddenSize,
      int numLayers,
      int numHeads,
      int intermediateSize,
      int maxPositions,
      int typeVocabSize,
      double layerNormEps) {
    this(
        vocabSize,
        hiddenSize,
        numLayers,
        numHeads,
        intermediateSize,
        maxPositions,
        typeVocabSize,
        layerNormEps,
        GELU);
  }

  /** Width of one attention head. */
  public int headSize() {
    return hiddenSize / numHeads;
  }

  /** Whether inputs carry token types (not DistilBERT). */
  public boolean hasTokenTypes() {
    return typeVocabSize > 0;
  }

  /**
   * The longest input, special tokens included: the position table's rows, less RoBERTa's rows up
   * to and including the padding index.
   */
  public int maxLength() {
    return architecture == Architecture.ROBERTA ? maxPositions - padTokenId - 1 : maxPositions;
  }
}
