package io.reelsense.model.weights;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tensors a BERT encoder needs, by Hugging Face name, with the shape each must have under a
 * {@link BertConfig}. The pooler is optional (sentence-embedding exports drop it).
 */
public final class BertLayout {

  private BertLayout() {}

  /** Every required tensor name with its expected shape, in a stable order. */
  public static Map<String, long[]> expected(BertConfig c) {
    Map<String, long[]> m = new LinkedHashMap<>();
    long h = c.hiddenSize();
    long i = c.intermediateSize();
    m.put("embeddings.word_embeddings.weight", new long[] {c.vocabSize(), h});
    m.put("embeddings.position_embeddings.weight", new long[] {c.maxPositions(), h});
    m.put("embeddings.token_type_embeddings.weight", new long[] {c.typeVocabSize(), h});
    m.put("embeddings.LayerNorm.weight", new long[] {h});
    m.put("embeddings.LayerNorm.bias", new long[] {h});
    for (int l = 0; l < c.numLayers(); l++) {
      String p = "encoder.layer." + l + ".";
      for (String proj : new String[] {"query", "key", "value"}) {
        m.put(p + "attention.self." + proj + ".weight", new long[] {h, h});
        m.put(p + "attention.self." + proj + ".bias", new long[] {h});
      }
      m.put(p + "attention.output.dense.weight", new long[] {h, h});
      m.put(p + "attention.output.dense.bias", new long[] {h});
      m.put(p + "attention.output.LayerNorm.weight", new long[] {h});
      m.put(p + "attention.output.LayerNorm.bias", new long[] {h});
      m.put(p + "intermediate.dense.weight", new long[] {i, h});
      m.put(p + "intermediate.dense.bias", new long[] {i});
      m.put(p + "output.dense.weight", new long[] {h, i});
      m.put(p + "output.dense.bias", new long[] {h});
      m.put(p + "output.LayerNorm.weight", new long[] {h});
      m.put(p + "output.LayerNorm.bias", new long[] {h});
    }
    return m;
  }

  /**
   * Checks that every required tensor is present with its expected shape; the error names the file
   * and the first tensor at fault.
   */
  public static void validate(BertCheckpoint checkpoint, Path source) throws CheckpointException {
    for (Map.Entry<String, long[]> e : expected(checkpoint.config()).entrySet()) {
      NamedTensor t = checkpoint.tensors().get(e.getKey());
      if (t == null) {
        throw new CheckpointException(source, e.getKey(), "missing");
      }
      if (!Arrays.equals(t.shape(), e.getValue())) {
        throw new CheckpointException(
            source,
            e.getKey(),
            "shape "
                + Arrays.toString(t.shape())
                + " does not match the model's "
                + Arrays.toString(e.getValue())
                + " (from "
                + checkpoint.config()
                + ")");
      }
    }
  }
}
