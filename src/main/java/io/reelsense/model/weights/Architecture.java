package io.reelsense.model.weights;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The BERT-family encoders reelsense reads, by Hugging Face {@code model_type}. All three are
 * post-norm transformer encoders with the same layer; they differ only in the embeddings and the
 * classification head:
 *
 * <ul>
 *   <li>{@link #BERT}: word + token type + position {@code 0..S-1}; head on the pooler ({@code
 *       dense} + tanh on {@code [CLS]}) then {@code classifier}.
 *   <li>{@link #ROBERTA}: one token type; position ids start after the padding index ({@code
 *       pad_token_id + 1 + i} for the i-th real token, {@code pad_token_id} for padding), so the
 *       table has {@code pad_token_id + 1} rows more than the longest input; head {@code
 *       classifier.dense} + tanh + {@code classifier.out_proj} on {@code <s>}.
 *   <li>{@link #DISTILBERT}: no token types, no pooler, positions {@code 0..S-1} (learned, or the
 *       fixed sinusoidal table when {@code sinusoidal_pos_embds}); head {@code pre_classifier} +
 *       ReLU + {@code classifier} on {@code [CLS]}.
 * </ul>
 */
public enum Architecture {
  /** Google's BERT ({@code model_type} {@code bert}). */
  BERT("bert"),
  /** Facebook's RoBERTa ({@code model_type} {@code roberta}). */
  ROBERTA("roberta"),
  /** Hugging Face's DistilBERT ({@code model_type} {@code distilbert}). */
  DISTILBERT("distilbert");

  private final String modelType;

  Architecture(String modelType) {
    this.modelType = modelType;
  }

  /** The {@code model_type} of its {@code config.json}. */
  public String modelType() {
    return modelType;
  }

  /** The architecture of a {@code model_type}, if it is one of these. */
  public static Optional<Architecture> ofModelType(String modelType) {
    String t = modelType.toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(a -> a.modelType.equals(t)).findFirst();
  }
}
