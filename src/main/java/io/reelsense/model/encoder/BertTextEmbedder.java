package io.reelsense.model.encoder;

import io.reelsense.model.TextEmbedder;
import io.reelsense.model.tokenizer.BertTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Texts to sentence vectors with a BERT encoder: tokenize (with the model's prefix and the chosen
 * truncation), group texts of similar token length into batches so padding stays small, encode each
 * batch in its own memory scope, pool, normalize, and return the vectors in input order. Closing it
 * closes the encoder and the tokenizer.
 */
public final class BertTextEmbedder implements TextEmbedder {

  private final String name;
  private final BertTokenizer tokenizer;
  private final BertEncoder encoder;
  private final Pooling pooling;
  private final boolean normalize;
  private final Encoders.Options options;

  /** An embedder over a tokenizer and an encoder, which it owns from now on. */
  public BertTextEmbedder(
      String name,
      BertTokenizer tokenizer,
      BertEncoder encoder,
      Pooling pooling,
      boolean normalize,
      Encoders.Options options) {
    if (options.truncation().maxLength() > encoder.config().maxLength()) {
      throw new IllegalArgumentException(
          "max length "
              + options.truncation().maxLength()
              + " exceeds the "
              + encoder.config().maxLength()
              + " positions of "
              + name);
    }
    this.name = name;
    this.tokenizer = tokenizer;
    this.encoder = encoder;
    this.pooling = pooling;
    this.normalize = normalize;
    this.options = options;
  }

  @Override
  public String modelId() {
    return name;
  }

  @Override
  public int dimension() {
    return encoder.config().hiddenSize();
  }

  /** The encoder underneath (device, config). */
  public BertEncoder encoder() {
    return encoder;
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    List<String> input = texts;
    if (!options.prefix().isEmpty()) {
      input = texts.stream().map(t -> options.prefix() + t).toList();
    }
    List<long[]> ids = tokenizer.encodeAll(input, options.truncation());
    return embedIds(ids);
  }

  /** The tokenizer it uses. */
  public BertTokenizer tokenizer() {
    return tokenizer;
  }

  /** Embeds already tokenized texts ({@code [CLS] … [SEP]}), in order. */
  public List<float[]> embedIds(List<long[]> ids) {
    Integer[] order = new Integer[ids.size()];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, (a, b) -> Integer.compare(ids.get(a).length, ids.get(b).length));
    float[][] out = new float[ids.size()][];
    int size = options.batchSize();
    for (int from = 0; from < order.length; from += size) {
      int to = Math.min(order.length, from + size);
      List<long[]> batch = new ArrayList<>(to - from);
      for (int k = from; k < to; k++) {
        batch.add(ids.get(order[k]));
      }
      float[][] vectors = encoder.embed(batch, pooling, normalize);
      for (int k = from; k < to; k++) {
        out[order[k]] = vectors[k - from];
      }
    }
    return Arrays.asList(out);
  }

  @Override
  public void close() {
    encoder.close();
    tokenizer.close();
  }
}
