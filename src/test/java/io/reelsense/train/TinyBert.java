package io.reelsense.train;

import io.reelsense.data.Review;
import io.reelsense.model.encoder.Pooling;
import io.reelsense.model.encoder.TinyEncoders;
import io.reelsense.model.weights.BertCheckpoint;
import io.reelsense.model.weights.BertConfig;
import io.reelsense.model.weights.BertLayout;
import io.reelsense.model.weights.NamedTensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A tiny BERT with random weights (2 layers, width 32) over a word-level vocabulary of the most
 * frequent words of some reviews: small enough to fine-tune in seconds.
 */
public final class TinyBert {

  private TinyBert() {}

  /** The {@code words} most frequent lower-case words of the reviews, most frequent first. */
  public static List<String> frequentWords(List<Review> reviews, int words) {
    Map<String, Integer> counts = new HashMap<>();
    for (Review r : reviews) {
      for (String w : r.text().toLowerCase(Locale.ROOT).split("[^a-z]+")) {
        if (!w.isEmpty() && !w.equals("br")) {
          counts.merge(w, 1, Integer::sum);
        }
      }
    }
    return counts.entrySet().stream()
        .sorted(
            Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey()))
        .limit(words)
        .map(Map.Entry::getKey)
        .toList();
  }

  /** Weights drawn as BERT initializes them (normal 0.02; layer norms 1 and 0; biases 0). */
  public static BertCheckpoint randomCheckpoint(BertConfig config, long seed) {
    Random random = new Random(seed);
    Map<String, NamedTensor> t = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : BertLayout.expected(config).entrySet()) {
      String name = e.getKey();
      int n = 1;
      for (long d : e.getValue()) {
        n *= (int) d;
      }
      float[] v = new float[n];
      boolean norm = name.contains("LayerNorm");
      for (int i = 0; i < n; i++) {
        if (norm) {
          v[i] = name.endsWith("weight") ? 1f : 0f;
        } else if (!name.endsWith("bias")) {
          v[i] = (float) (random.nextGaussian() * 0.02);
        }
      }
      t.put(name, new NamedTensor(name, e.getValue(), v));
    }
    return new BertCheckpoint(config, t);
  }

  /** The tiny model over the reviews' {@code words} most frequent words, as a fine-tuning base. */
  public static FineTuner.Base base(List<Review> reviews, int words, Path scratch)
      throws IOException {
    List<String> vocabulary = frequentWords(reviews, words);
    BertConfig config = TinyEncoders.config(TinyEncoders.vocabulary(vocabulary).size(), 32, 2, 130);
    return new FineTuner.Base(
        "tiny-bert",
        randomCheckpoint(config, 7),
        TinyEncoders.tokenizerJson(vocabulary, scratch),
        Pooling.MEAN);
  }
}
