package io.reelsense.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.reelsense.data.ImdbCorpus;
import io.reelsense.data.ImdbReader;
import io.reelsense.data.Review;
import io.reelsense.data.SampleData;
import io.reelsense.model.ReviewPrediction;
import io.reelsense.model.ReviewScores;
import io.reelsense.model.ScoringClassifier;
import io.reelsense.model.bundle.Bundles;
import io.reelsense.model.encoder.Pooling;
import io.reelsense.model.encoder.TinyEncoders;
import io.reelsense.model.tokenizer.Truncation;
import io.reelsense.model.weights.BertConfig;
import io.reelsense.text.CleaningProfile;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Heads on a small random encoder (one layer with small weights over random word embeddings of the
 * sample's 400 most frequent words, 384 wide) trained on the committed sample: such an encoder
 * keeps which of those words a review holds, so the heads must learn well above chance.
 */
class FrozenEncoderTrainerTest {

  private static ImdbCorpus corpus;
  private static FrozenEncoderTrainer.Base base;

  @TempDir static Path tmp;

  @BeforeAll
  static void setUp() throws Exception {
    corpus = ImdbReader.read(ImdbReader.locate(SampleData.dir()));
    base = tinyBase(corpus, tmp);
  }

  /**
   * The small random encoder over the 400 most frequent words (after light cleaning) of {@code
   * corpus}'s train split; its tokenizer is written under {@code scratch}.
   */
  static FrozenEncoderTrainer.Base tinyBase(ImdbCorpus corpus, Path scratch) throws Exception {
    Map<String, Integer> counts = new HashMap<>();
    for (Review r : corpus.train()) {
      for (String w :
          CleaningProfile.LIGHT
              .cleaner()
              .clean(r.text())
              .toLowerCase(Locale.ROOT)
              .split("[^a-z]+")) {
        if (!w.isEmpty()) {
          counts.merge(w, 1, Integer::sum);
        }
      }
    }
    List<String> words =
        counts.entrySet().stream()
            .sorted(
                Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
                    .thenComparing(Map.Entry.comparingByKey()))
            .limit(400)
            .map(Map.Entry::getKey)
            .toList();
    BertConfig config = TinyEncoders.config(TinyEncoders.vocabulary(words).size(), 384, 1, 256);
    return new FrozenEncoderTrainer.Base(
        "tiny-random",
        "tiny-random-1",
        TinyEncoders.randomCheckpoint(config, 3, 1.0, 0.02),
        TinyEncoders.tokenizerJson(words, scratch),
        Pooling.MEAN,
        false,
        "");
  }

  private static FrozenEncoderOptions options(Path cache) {
    return new FrozenEncoderOptions(
        "tiny-random",
        io.reelsense.train.BaselineOptions.Task.BOTH,
        CleaningProfile.LIGHT,
        Truncation.headTail(256, 64),
        64,
        new double[] {0.1, 10},
        42,
        0,
        0,
        0,
        2,
        "cpu",
        cache);
  }

  @Test
  void headsLearnAreReproducibleReuseTheCacheAndServeFromTheBundle() throws Exception {
    Path cache = tmp.resolve("cache");
    FrozenEncoderTrainer.Result first =
        FrozenEncoderTrainer.train(corpus, base, options(cache), Device.cpu(), Progress.NONE);
    Map<String, Object> m = first.metrics();
    assertThat((double) m.get("test_accuracy")).isGreaterThan(0.65);
    assertThat((double) m.get("val_accuracy")).isGreaterThan(0.65);
    // 8 classes, the two extremes most common: a constant guess gets about 0.2
    assertThat((double) m.get("test_rating_accuracy")).isGreaterThan(0.25);
    assertThat(m.get("texts_embedded")).isEqualTo(3000);
    assertThat(m.get("texts_cached")).isEqualTo(0);

    FrozenEncoderTrainer.Result second =
        FrozenEncoderTrainer.train(corpus, base, options(cache), Device.cpu(), Progress.NONE);
    assertThat(second.metrics().get("texts_embedded")).isEqualTo(0);
    assertThat(second.metrics().get("texts_cached")).isEqualTo(3000);
    assertThat(second.metrics().get("test_accuracy")).isEqualTo(m.get("test_accuracy"));
    assertThat(second.metrics().get("test_mae")).isEqualTo(m.get("test_mae"));
    assertThat(second.test().predictedStars()).isEqualTo(first.test().predictedStars());

    Path dir = tmp.resolve("bundle");
    Bundles.writeEncoder(
        dir, first.model(), CleaningProfile.LIGHT, m, options(cache).asMap(), Map.of());
    List<Review> some = FrozenEncoderTrainer.shuffledTest(corpus, 42).subList(0, 40);
    try (ScoringClassifier loaded =
        (ScoringClassifier) Bundles.load(dir, List.of("sentiment", "rating"), "cpu")) {
      List<ReviewPrediction> served = loaded.classify(some.stream().map(Review::text).toList());
      for (int i = 0; i < some.size(); i++) {
        assertThat(served.get(i).label()).isEqualTo(first.test().predictedLabels()[i]);
        assertThat(served.get(i).rating()).isEqualTo(first.test().predictedStars()[i]);
      }
      ReviewScores s = loaded.score(List.of(some.get(0).text())).get(0);
      assertThat(s.rating()).hasSize(8);
    }
  }
}
