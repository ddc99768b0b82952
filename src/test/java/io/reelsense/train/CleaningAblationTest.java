package io.reelsense.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.reelsense.data.ImdbCorpus;
import io.reelsense.data.ImdbReader;
import io.reelsense.data.SampleData;
import io.reelsense.metrics.Scores;
import io.reelsense.model.bundle.Bundles;
import io.reelsense.model.encoder.Pooling;
import io.reelsense.model.tokenizer.Truncation;
import io.reelsense.text.CleaningProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cleaning ablation: its table, a run of it over a small random frozen encoder on the committed
 * sample (the loop {@code train --model ENCODER --frozen --ablation} runs), and the vector cache
 * keeping each profile's vectors apart.
 */
class CleaningAblationTest {

  @TempDir Path tmp;

  private static TrainedBundle row(String profile) {
    return bundle(
        profile,
        new Scores(0.8, 0.7, 0.9, 0.6, new Scores.RatingScores(0.4, 1.3, 0.3, 0.8, 0.4, 1.2)),
        Map.of("features", 10, "train_seconds", 1.5));
  }

  private static TrainedBundle bundle(String profile, Scores scores, Map<String, Object> extra) {
    Map<String, Object> figures = new java.util.LinkedHashMap<>(scores.toJson());
    figures.putAll(extra);
    Path dir = Path.of("models", profile);
    return new TrainedBundle(
        "m", profile, null, scores, figures, dir, dir.resolve(TrainReport.FILE));
  }

  @Test
  void baselineTableHasOneRowPerProfileWithoutTheCleaningArgument() {
    List<TrainedBundle> rows = new ArrayList<>();
    for (String p : List.of("none", "light", "full")) {
      rows.add(row(p));
    }
    String table = CleaningAblation.table("tfidf-lr", BaselineOptions.defaults().asMap(), rows);
    assertThat(table)
        .startsWith("# Cleaning ablation, tfidf-lr (official test split)")
        .contains("(cleaning varies)")
        .doesNotContain("\"cleaning\"")
        .contains(
            "| cleaning | val accuracy | test accuracy | test F1 | rating accuracy | MAE |"
                + " features | seconds |")
        .contains("| light | 0.9000 | 0.8000 | 0.7000 | 0.4000 | 1.300 | 10 | 1.5 |")
        .doesNotContain("texts embedded");
    assertThat(table.lines().filter(l -> l.startsWith("| full"))).hasSize(1);
  }

  @Test
  void encoderTableNamesTheTestSubsetAndTheTextsEmbedded() {
    String table =
        CleaningAblation.table(
            "minilm-l6 frozen + heads",
            Map.of("model", "minilm-l6", "cleaning", "light"),
            List.of(
                bundle(
                    "none",
                    new Scores(0.8, 0.79, 0.81, 0.8, null),
                    Map.of(
                        "texts_embedded",
                        1200,
                        "texts_cached",
                        0,
                        "train_seconds",
                        12.5,
                        "test_subset",
                        "the first 400 of the official test split shuffled with seed 42"))));
    assertThat(table)
        .startsWith(
            "# Cleaning ablation, minilm-l6 frozen + heads (the first 400 of the official test"
                + " split shuffled with seed 42)")
        .contains("| cleaning | val accuracy | test accuracy | test F1 | texts embedded / cached |")
        .contains("| none | 0.8100 | 0.8000 | 0.7900 | 1200 / 0 | 12.5 |")
        .doesNotContain("rating accuracy")
        .doesNotContain("features");
  }

  @Test
  void frozenEncoderAblationWritesOneBundlePerProfileAndTheTable() throws Exception {
    ImdbCorpus corpus = ImdbReader.read(ImdbReader.locate(SampleData.dir()));
    FrozenEncoderTrainer.Base base = FrozenEncoderTrainerTest.tinyBase(corpus, tmp);
    Path cache = tmp.resolve("cache");
    FrozenEncoderOptions options =
        new FrozenEncoderOptions(
            "tiny-random",
            BaselineOptions.Task.BOTH,
            CleaningProfile.LIGHT,
            Truncation.head(128),
            64,
            new double[] {1, 100},
            42,
            800,
            200,
            400,
            2,
            "cpu",
            cache);
    Path out = tmp.resolve("ablation");
    List<String> log = new ArrayList<>();
    CleaningAblation.Result result =
        CleaningAblation.run(
            out,
            "tiny-random frozen + heads",
            options.asMap(),
            (p, dir) ->
                FrozenEncoderTrainer.trainBundle(
                    dir,
                    corpus,
                    base,
                    options.withCleaning(p),
                    Device.cpu(),
                    Map.of(),
                    Progress.NONE),
            log::add);

    assertThat(log).hasSize(3);
    assertThat(result.rows())
        .extracting(TrainedBundle::cleaning)
        .containsExactly("none", "light", "full");
    for (TrainedBundle bundle : result.rows()) {
      Map<String, Object> r = bundle.toJson();
      String profile = (String) r.get("cleaning");
      Path dir = out.resolve(profile);
      assertThat(r.get("bundle")).isEqualTo(dir.toString());
      assertThat(Bundles.readManifest(dir).cleaning()).isEqualTo(profile);
      assertThat(Bundles.readManifest(dir).training()).containsEntry("cleaning", profile);
      assertThat(dir.resolve(TrainReport.FILE)).isRegularFile();
      // chance: 0.5 for sentiment, about 0.2 for rating
      assertThat((double) r.get("val_accuracy")).as(profile).isGreaterThan(0.6);
      assertThat((double) r.get("test_accuracy")).as(profile).isGreaterThan(0.6);
      assertThat((double) r.get("test_rating_accuracy")).as(profile).isGreaterThan(0.2);
      assertThat(r.get("n_fit")).isEqualTo(800);
      assertThat(r.get("n_test")).isEqualTo(400);
      // one cache directory for all three runs, and no run reuses another profile's vectors
      assertThat(r.get("texts_embedded")).as(profile).isEqualTo(1400);
      assertThat(r.get("texts_cached")).as(profile).isEqualTo(0);
    }
    try (Stream<Path> files = Files.list(cache)) {
      assertThat(files.filter(f -> f.toString().endsWith(".vec"))).hasSize(9);
    }
    Set<List<Object>> figures = new HashSet<>();
    for (TrainedBundle bundle : result.rows()) {
      Map<String, Object> r = bundle.toJson();
      figures.add(List.of(r.get("val_accuracy"), r.get("test_accuracy"), r.get("test_mae")));
    }
    assertThat(figures).as("the three profiles give three different results").hasSize(3);

    assertThat(result.table()).isEqualTo(out.resolve(CleaningAblation.FILE));
    String table = Files.readString(result.table());
    assertThat(table)
        .isEqualTo(result.markdown())
        .startsWith("# Cleaning ablation, tiny-random frozen + heads (the first 400 of")
        .contains("| rating accuracy | MAE | texts embedded / cached | seconds |")
        .contains("1400 / 0");
    for (String p : List.of("none", "light", "full")) {
      assertThat(table.lines().filter(l -> l.startsWith("| " + p + " |"))).hasSize(1);
    }
  }

  @Test
  void cachedVectorsAreKeptApartByCleaningModelAndTruncation() throws Exception {
    // texts no profile changes: only the key can keep the profiles' vectors apart
    List<String> texts = List.of("good film", "bad film", "fine");
    String light = key("m-1", CleaningProfile.LIGHT, Truncation.head(128), texts);
    String none = key("m-1", CleaningProfile.NONE, Truncation.head(128), texts);
    assertThat(
            Set.of(
                light,
                none,
                key("m-1", CleaningProfile.FULL, Truncation.head(128), texts),
                key("m-2", CleaningProfile.LIGHT, Truncation.head(128), texts),
                key("m-1", CleaningProfile.LIGHT, Truncation.head(256), texts),
                key("m-1", CleaningProfile.LIGHT, Truncation.tail(128), texts),
                key("m-1", CleaningProfile.LIGHT, Truncation.headTail(128), texts)))
        .hasSize(7);

    Path dir = tmp.resolve("vectors");
    EmbeddingCache.Result first =
        new EmbeddingCache(dir, light)
            .vectors(texts, 3, 2, batch -> constant(batch, 1f), Progress.NONE.start("test", 3));
    assertThat(first.embedded()).isEqualTo(3);
    EmbeddingCache.Result other =
        new EmbeddingCache(dir, none)
            .vectors(texts, 3, 2, batch -> constant(batch, 2f), Progress.NONE.start("test", 3));
    assertThat(other.cached()).isZero();
    assertThat(other.embedded()).isEqualTo(3);
    assertThat(other.vectors()).allSatisfy(v -> assertThat(v).containsExactly(2f, 2f));
    EmbeddingCache.Result again =
        new EmbeddingCache(dir, light)
            .vectors(texts, 3, 2, batch -> constant(batch, 3f), Progress.NONE.start("test", 3));
    assertThat(again.cached()).isEqualTo(3);
    assertThat(again.vectors()).allSatisfy(v -> assertThat(v).containsExactly(1f, 1f));
  }

  private static String key(
      String model, CleaningProfile cleaning, Truncation truncation, List<String> texts) {
    return FrozenEncoderTrainer.cacheKey(
        model, Pooling.MEAN, true, "", cleaning, truncation, "train", texts);
  }

  private static List<float[]> constant(List<String> batch, float value) {
    return batch.stream().map(t -> new float[] {value, value}).toList();
  }
}
