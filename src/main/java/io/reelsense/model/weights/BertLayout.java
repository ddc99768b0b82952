package io.reelsense.model.weights;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tensors a BERT encoder needs, by Hugging Face name, with the shape each must have under a
 * {@link BertConfig}; and the checks every importer runs before handing a checkpoint over. The
 * pooler is optional (sentence-embedding exports drop it), but when present it must be whole and of
 * the right shape.
 */
public final class BertLayout {

  /** Tensors of the pooler, which some checkpoints leave out. */
  public static final List<String> POOLER = List.of("pooler.dense.weight", "pooler.dense.bias");

  private BertLayout() {}

  /**
   * Every required tensor name (the pooler excluded) with its expected shape, in a stable order.
   */
  public static Map<String, long[]> expected(BertConfig c) {
    Map<String, long[]> m = new LinkedHashMap<>();
    long h = c.hiddenSize();
    long i = c.intermediateSize();
    m.put("embeddings.word_embeddings.weight", new long[] {c.vocabSize(), h});
    m.put("embeddings.position_embeddings.weight", new long[] {c.maxPositions(), h});
    if (c.hasTokenTypes()) {
      m.put("embeddings.token_type_embeddings.weight", new long[] {c.typeVocabSize(), h});
    }
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

  /** {@link #expected} plus the pooler. */
  public static Map<String, long[]> expectedWithPooler(BertConfig c) {
    Map<String, long[]> m = expected(c);
    m.put("pooler.dense.weight", new long[] {c.hiddenSize(), c.hiddenSize()});
    m.put("pooler.dense.bias", new long[] {c.hiddenSize()});
    return m;
  }

  /**
   * Checks that every required tensor is present with its expected shape (and the pooler, if any
   * half of it is); the error names the file and the first tensor at fault.
   */
  public static void validate(BertCheckpoint checkpoint, Path source) throws CheckpointException {
    Map<String, NamedTensor> tensors = checkpoint.tensors();
    boolean pooler = POOLER.stream().anyMatch(tensors::containsKey);
    BertConfig config = checkpoint.config();
    for (Map.Entry<String, long[]> e :
        (pooler ? expectedWithPooler(config) : expected(config)).entrySet()) {
      NamedTensor t = tensors.get(e.getKey());
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
                + config
                + ")");
      }
    }
  }

  /** Builds a checkpoint and {@link #validate validates} it. */
  public static BertCheckpoint checkpoint(
      BertConfig config, Map<String, NamedTensor> tensors, Path source) throws CheckpointException {
    BertCheckpoint checkpoint = new BertCheckpoint(config, tensors);
    validate(checkpoint, source);
    return checkpoint;
  }

  /**
   * Counts the tokens of a WordPiece {@code vocab.txt} (one per line) and checks that every id
   * falls inside the word embedding matrix.
   *
   * @return the number of tokens
   */
  public static int checkVocabulary(Path vocabTxt, BertCheckpoint checkpoint, Path weightsFile)
      throws IOException {
    int tokens = readVocabulary(vocabTxt).size();
    String name = "embeddings.word_embeddings.weight";
    long rows = checkpoint.tensor(name).shape()[0];
    if (tokens > rows) {
      throw new CheckpointException(
          weightsFile,
          name,
          "has "
              + rows
              + " rows but the vocabulary "
              + vocabTxt
              + " has "
              + tokens
              + " tokens: the vocabulary does not belong to these weights");
    }
    return tokens;
  }

  /** The tokens of a WordPiece {@code vocab.txt}, in id order (a final empty line is ignored). */
  public static List<String> readVocabulary(Path vocabTxt) throws IOException {
    if (!Files.isRegularFile(vocabTxt)) {
      throw new CheckpointException(vocabTxt, "no such vocabulary file");
    }
    List<String> lines = Files.readAllLines(vocabTxt, StandardCharsets.UTF_8);
    if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
      lines = lines.subList(0, lines.size() - 1);
    }
    if (lines.isEmpty()) {
      throw new CheckpointException(vocabTxt, "empty vocabulary");
    }
    return lines;
  }
}
