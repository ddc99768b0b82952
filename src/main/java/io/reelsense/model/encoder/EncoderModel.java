package io.reelsense.model.encoder;

import io.reelsense.model.baseline.LinearHeads;
import io.reelsense.model.tokenizer.Truncation;
import io.reelsense.model.weights.BertCheckpoint;

/**
 * Everything an encoder bundle holds: the encoder's weights and tokenizer, how a text becomes one
 * vector, and the linear heads on that vector. The same shape serves a frozen pretrained encoder
 * with trained heads and a fine-tuned encoder with its heads.
 *
 * @param base the pretrained model it started from (a catalog name such as {@code minilm-l6}, or
 *     any description)
 * @param checkpoint the encoder's weights (fine-tuned or not)
 * @param tokenizerJson the Hugging Face {@code tokenizer.json} of the encoder (WordPiece, BERT
 *     template)
 * @param pooling how the last hidden states become one vector
 * @param normalize whether that vector is L2-normalized before the heads
 * @param truncation how long texts are cut (and the max length, special tokens included)
 * @param prefix prepended to every text before tokenizing (e5's {@code "query: "}); empty for none
 * @param frozen true when the encoder's weights are the pretrained ones (only the heads trained)
 * @param heads sentiment and/or rating heads over the pooled vector
 */
public record EncoderModel(
    String base,
    BertCheckpoint checkpoint,
    String tokenizerJson,
    Pooling pooling,
    boolean normalize,
    Truncation truncation,
    String prefix,
    boolean frozen,
    LinearHeads heads) {

  public EncoderModel {
    prefix = prefix == null ? "" : prefix;
    int hidden = checkpoint.config().hiddenSize();
    if (heads.dimension() != hidden) {
      throw new IllegalArgumentException(
          "the heads take " + heads.dimension() + " inputs but the encoder gives " + hidden);
    }
    if (truncation.maxLength() > checkpoint.config().maxLength()) {
      throw new IllegalArgumentException(
          "max length "
              + truncation.maxLength()
              + " exceeds the encoder's "
              + checkpoint.config().maxLength()
              + " positions");
    }
    if (tokenizerJson == null || tokenizerJson.isBlank()) {
      throw new IllegalArgumentException("an encoder model needs its tokenizer.json");
    }
  }
}
