package io.reelsense.model.encoder;

import io.reelsense.model.baseline.LinearHeads;
import io.reelsense.model.baseline.LinearModel;
import io.reelsense.model.tokenizer.Truncation;
import io.reelsense.model.weights.BertCheckpoint;
import io.reelsense.model.weights.BertConfig;
import io.reelsense.model.weights.BertLayout;
import io.reelsense.model.weights.NamedTensor;
import io.reelsense.model.weights.WordPieceTokenizers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Tiny random BERT encoders with a word-level vocabulary, for tests that build bundles. */
public final class TinyEncoders {

  /** Words of the tiny vocabulary (after the special tokens). */
  public static final List<String> WORDS =
      List.of(
          "the",
          "film",
          "movie",
          "was",
          "is",
          "a",
          "great",
          "good",
          "wonderful",
          "bad",
          "awful",
          "boring",
          "plot",
          "acting",
          "and",
          "not",
          "i",
          "it",
          "loved",
          "hated",
          ".",
          ",",
          "!");

  private TinyEncoders() {}

  /** The vocabulary: {@code [PAD] [UNK] [CLS] [SEP] [MASK]} and {@code words}. */
  public static List<String> vocabulary(List<String> words) {
    List<String> v = new ArrayList<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"));
    v.addAll(words);
    return v;
  }

  /** The {@code tokenizer.json} of an uncased WordPiece tokenizer over {@code words}. */
  public static String tokenizerJson(List<String> words, Path scratch) throws IOException {
    Path vocab = Files.createTempFile(scratch, "vocab", ".txt");
    Files.write(vocab, vocabulary(words));
    return WordPieceTokenizers.tokenizerJson(vocab, true);
  }

  /** A config of the given width over a vocabulary of {@code vocab} ids. */
  public static BertConfig config(int vocab, int hidden, int layers, int positions) {
    return new BertConfig(vocab, hidden, layers, 2, hidden * 2, positions, 2, 1e-12);
  }

  /** Random weights (seeded, N(0, 0.5), layer norms at 1/0) of the config's shape. */
  public static BertCheckpoint randomCheckpoint(BertConfig config, long seed) {
    return randomCheckpoint(config, seed, 0.5, 0.5);
  }

  /**
   * Random weights of the config's shape: embeddings N(0, {@code embeddingStd}), the layers'
   * weights N(0, {@code layerStd}) (small values keep the residual path, so the pooled vector keeps
   * which words a text holds), layer norms at 1/0.
   */
  public static BertCheckpoint randomCheckpoint(
      BertConfig config, long seed, double embeddingStd, double layerStd) {
    Random r = new Random(seed);
    Map<String, NamedTensor> m = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : BertLayout.expected(config).entrySet()) {
      long[] shape = e.getValue();
      int n = 1;
      for (long d : shape) {
        n *= (int) d;
      }
      float[] v = new float[n];
      String name = e.getKey();
      boolean norm = name.contains("LayerNorm");
      for (int i = 0; i < n; i++) {
        double std = name.startsWith("embeddings.") ? embeddingStd : layerStd;
        v[i] = norm ? (name.endsWith("weight") ? 1f : 0f) : (float) (r.nextGaussian() * std);
      }
      m.put(name, new NamedTensor(name, shape, v));
    }
    return new BertCheckpoint(config, m);
  }

  /** Random linear heads over {@code hidden} inputs: binary sentiment and 8 star classes. */
  public static LinearHeads randomHeads(int hidden, boolean sentiment, boolean rating, long seed) {
    Random r = new Random(seed);
    LinearModel s = null;
    LinearModel g = null;
    if (sentiment) {
      s =
          new LinearModel(
              new int[] {0, 1}, LinearModel.Link.LOGISTIC, rows(r, 1, hidden), new double[] {0.1});
    }
    if (rating) {
      g =
          new LinearModel(
              new int[] {1, 2, 3, 4, 7, 8, 9, 10},
              LinearModel.Link.SOFTMAX,
              rows(r, 8, hidden),
              new double[8]);
    }
    return new LinearHeads(s, g);
  }

  private static float[][] rows(Random r, int n, int d) {
    float[][] w = new float[n][d];
    for (float[] row : w) {
      for (int j = 0; j < d; j++) {
        row[j] = (float) r.nextGaussian();
      }
    }
    return w;
  }

  /** A tiny random encoder model over {@link #WORDS}: hidden 8, 2 layers, 16 positions. */
  public static EncoderModel tinyModel(Path scratch, Truncation truncation, boolean rating)
      throws IOException {
    BertConfig config = config(vocabulary(WORDS).size(), 8, 2, 16);
    return new EncoderModel(
        "tiny-random",
        randomCheckpoint(config, 11),
        tokenizerJson(WORDS, scratch),
        Pooling.MEAN,
        true,
        truncation,
        "",
        false,
        randomHeads(8, true, rating, 5));
  }
}
