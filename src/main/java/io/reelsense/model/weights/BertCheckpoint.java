package io.reelsense.model.weights;

import java.util.Map;

/**
 * A BERT-family encoder's weights in one layout, whatever file they came from.
 *
 * <p>Names are Hugging Face's without the {@code bert.} prefix ({@code
 * embeddings.word_embeddings.weight}, {@code encoder.layer.0.attention.self.query.weight}, …,
 * {@code pooler.dense.weight}); linear weights are in PyTorch's {@code [out, in]} layout.
 *
 * @param config the encoder's shape
 * @param tensors tensors by name
 */
public record BertCheckpoint(BertConfig config, Map<String, NamedTensor> tensors) {

  public BertCheckpoint {
    tensors = Map.copyOf(tensors);
  }

  /** The tensor with this name; an error naming it and the source when absent. */
  public NamedTensor tensor(String name) {
    NamedTensor t = tensors.get(name);
    if (t == null) {
      throw new IllegalArgumentException("checkpoint has no tensor " + name);
    }
    return t;
  }
}
