package io.reelsense.train;

import io.reelsense.model.TestModels;
import io.reelsense.model.encoder.ModelCatalog;
import io.reelsense.model.encoder.Pooling;
import io.reelsense.model.tokenizer.BertTokenizer;
import io.reelsense.model.weights.BertCheckpoint;
import io.reelsense.model.weights.BertConfig;
import io.reelsense.model.weights.NamedTensor;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipFile;

/**
 * A tiny BERT with random weights (2 layers, width 32) over MiniLM's 30,522-piece uncased
 * tokenizer, taken from the MiniLM jar on the test class path: small enough to train in seconds.
 */
public final class TinyBert {

  public static final BertConfig CONFIG = new BertConfig(30522, 32, 2, 2, 64, 130, 2, 1e-12);

  private TinyBert() {}

  /** Weights drawn as BERT initializes them (normal 0.02; layer norms 1 and 0; biases 0). */
  public static BertCheckpoint randomCheckpoint(long seed) {
    BertConfig c = CONFIG;
    Random random = new Random(seed);
    Map<String, NamedTensor> t = new LinkedHashMap<>();
    int h = c.hiddenSize();
    normal(t, random, "embeddings.word_embeddings.weight", c.vocabSize(), h);
    normal(t, random, "embeddings.position_embeddings.weight", c.maxPositions(), h);
    normal(t, random, "embeddings.token_type_embeddings.weight", c.typeVocabSize(), h);
    norm(t, "embeddings.LayerNorm", h);
    for (int i = 0; i < c.numLayers(); i++) {
      String p = "encoder.layer." + i + ".";
      linear(t, random, p + "attention.self.query", h, h);
      linear(t, random, p + "attention.self.key", h, h);
      linear(t, random, p + "attention.self.value", h, h);
      linear(t, random, p + "attention.output.dense", h, h);
      norm(t, p + "attention.output.LayerNorm", h);
      linear(t, random, p + "intermediate.dense", c.intermediateSize(), h);
      linear(t, random, p + "output.dense", h, c.intermediateSize());
      norm(t, p + "output.LayerNorm", h);
    }
    return new BertCheckpoint(c, t);
  }

  /** MiniLM's tokenizer, read from its jar. */
  public static BertTokenizer tokenizer() throws IOException {
    var model = ModelCatalog.get("minilm-l6");
    try (ZipFile zip = new ZipFile(TestModels.jarHolding(model.weightsEntry()).toFile());
        InputStream in = zip.getInputStream(zip.getEntry(model.tokenizerEntry()))) {
      return BertTokenizer.fromTokenizerJson(in);
    }
  }

  /** The tiny model as a fine-tuning base. */
  public static FineTuner.Base base(BertTokenizer tokenizer) {
    return new FineTuner.Base("tiny-bert", randomCheckpoint(7), tokenizer, Pooling.MEAN);
  }

  private static void normal(Map<String, NamedTensor> t, Random r, String name, int rows, int cols) {
    float[] v = new float[rows * cols];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (r.nextGaussian() * 0.02);
    }
    t.put(name, new NamedTensor(name, new long[] {rows, cols}, v));
  }

  private static void linear(Map<String, NamedTensor> t, Random r, String prefix, int out, int in) {
    normal(t, r, prefix + ".weight", out, in);
    t.put(prefix + ".bias", new NamedTensor(prefix + ".bias", new long[] {out}, new float[out]));
  }

  private static void norm(Map<String, NamedTensor> t, String prefix, int h) {
    float[] ones = new float[h];
    Arrays.fill(ones, 1f);
    t.put(prefix + ".weight", new NamedTensor(prefix + ".weight", new long[] {h}, ones));
    t.put(prefix + ".bias", new NamedTensor(prefix + ".bias", new long[] {h}, new float[h]));
  }
}
