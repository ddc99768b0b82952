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
 * The tensors a BERT encoder needs, with their shapes, in the layout of {@link BertCheckpoint}; and
 * the checks every importer runs before handing a checkpoint over.
 */
public final class BertLayout {

  /** Tensors of the pooler, which some checkpoints leave out. */
  public static final List<String> POOLER = List.of("pooler.dense.weight", "pooler.dense.bias");

  private BertLayout() {}

  /** Every tensor of the encoder and the pooler, by name, with its expected shape. */
  public static Map<String, long[]> expectedShapes(BertConfig c) {
    long h = c.hiddenSize();
    long in = c.intermediateSize();
    Map<String, long[]> m = new LinkedHashMap<>();
    m.put("embeddings.word_embeddings.weight", new long[] {c.vocabSize(), h});
    m.put("embeddings.position_embeddings.weight", new long[] {c.maxPositions(), h});
    m.put("embeddings.token_type_embeddings.weight", new long[] {c.typeVocabSize(), h});
    m.put("embeddings.LayerNorm.weight", new long[] {h});
    m.put("embeddings.LayerNorm.bias", new long[] {h});
    for (int i = 0; i < c.numLayers(); i++) {
      String p = "encoder.layer." + i + ".";
      for (String qkv : List.of("query", "key", "value")) {
        m.put(p + "attention.self." + qkv + ".weight", new long[] {h, h});
        m.put(p + "attention.self." + qkv + ".bias", new long[] {h});
      }
      m.put(p + "attention.output.dense.weight", new long[] {h, h});
      m.put(p + "attention.output.dense.bias", new long[] {h});
      m.put(p + "attention.output.LayerNorm.weight", new long[] {h});
      m.put(p + "attention.output.LayerNorm.bias", new long[] {h});
      m.put(p + "intermediate.dense.weight", new long[] {in, h});
      m.put(p + "intermediate.dense.bias", new long[] {in});
      m.put(p + "output.dense.weight", new long[] {h, in});
      m.put(p + "output.dense.bias", new long[] {h});
      m.put(p + "output.LayerNorm.weight", new long[] {h});
      m.put(p + "output.LayerNorm.bias", new long[] {h});
    }
    m.put("pooler.dense.weight", new long[] {h, h});
    m.put("pooler.dense.bias", new long[] {h});
    return m;
  }

  /**
   * Checks that every encoder tensor is present with the shape {@code config} implies (the pooler
   * may be absent, but not half of it) and builds the checkpoint.
   *
   * @param source the file the tensors came from, named in errors
   */
  public static BertCheckpoint checkpoint(
      BertConfig config, Map<String, NamedTensor> tensors, Path source) throws CheckpointException {
    boolean pooler = POOLER.stream().anyMatch(tensors::containsKey);
    for (Map.Entry<String, long[]> e : expectedShapes(config).entrySet()) {
      String name = e.getKey();
      NamedTensor t = tensors.get(name);
      if (t == null) {
        if (!pooler && POOLER.contains(name)) {
          continue;
        }
        throw new CheckpointException(source, name, "missing");
      }
      if (!Arrays.equals(t.shape(), e.getValue())) {
        throw new CheckpointException(
            source,
            name,
            "shape "
                + Arrays.toString(t.shape())
                + " does not match the configuration, which implies "
                + Arrays.toString(e.getValue()));
      }
    }
    return new BertCheckpoint(config, tensors);
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
