package io.reelsense.train;

import ai.djl.Device;
import io.reelsense.data.ImdbCorpus;
import io.reelsense.data.Review;
import io.reelsense.data.StratifiedSplit;
import io.reelsense.metrics.Scores;
import io.reelsense.model.ReviewPrediction;
import io.reelsense.model.baseline.LinearHeads;
import io.reelsense.model.baseline.LinearModel;
import io.reelsense.model.baseline.SparseVector;
import io.reelsense.model.bundle.Bundles;
import io.reelsense.model.encoder.BertTextEmbedder;
import io.reelsense.model.encoder.EncoderClassifier;
import io.reelsense.model.encoder.EncoderModel;
import io.reelsense.model.encoder.Encoders;
import io.reelsense.model.encoder.ModelCatalog;
import io.reelsense.model.encoder.Pooling;
import io.reelsense.model.encoder.PretrainedModel;
import io.reelsense.model.weights.BertCheckpoint;
import io.reelsense.text.CleaningProfile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Trains linear heads on a frozen pretrained encoder (the CPU option): every text of the original
 * study's split (80 % fit, 20 % validation) and of the official test split is embedded once, its
 * pooled vector cached on disk ({@link EmbeddingCache}); a logistic-regression head per task is
 * fitted on the 80 % for each C of a grid, the C with the best validation accuracy is kept, and the
 * test split is scored once. The result is an {@link EncoderModel} with the pretrained weights,
 * which the encoder bundle serves.
 */
public final class FrozenEncoderTrainer {

  /**
   * A pretrained encoder to train heads on.
   *
   * @param name what the bundle records as its base ({@code minilm-l6})
   * @param cacheId identifies the weights in cache keys (Maven coordinates for catalog models)
   * @param checkpoint the weights
   * @param tokenizerJson the tokenizer
   * @param pooling how the sentence vector is made
   * @param normalize whether it is L2-normalized
   * @param prefix prepended to every text (e5's {@code "query: "} is not used for classification)
   */
  public record Base(
      String name,
      String cacheId,
      BertCheckpoint checkpoint,
      String tokenizerJson,
      Pooling pooling,
      boolean normalize,
      String prefix) {

    /** A catalog model from the given Maven repository. */
    public static Base catalog(String name, Path repository) throws IOException {
      PretrainedModel model = ModelCatalog.get(name);
      Path jar = ModelCatalog.localJar(model, repository);
      Encoders.Loaded loaded = Encoders.load(model, jar);
      loaded.tokenizer().close();
      return new Base(
          model.name(),
          model.coordinates(),
          loaded.checkpoint(),
          Encoders.tokenizerJson(model, jar),
          model.pooling(),
          model.normalize(),
          "");
    }
  }

  /**
   * What a run produced.
   *
   * @param model the encoder with its trained heads
   * @param validation predictions on the held-out 20 %
   * @param test predictions on the official test split
   * @param metrics the figures, in report order
   */
  public record Result(
      EncoderModel model, Evaluation validation, Evaluation test, Map<String, Object> metrics) {}

  private FrozenEncoderTrainer() {}

  /** Trains heads on {@code base} as {@code options} say. */
  public static Result train(
      ImdbCorpus corpus, Base base, FrozenEncoderOptions options, Device device, Progress progress)
      throws IOException {
    long start = System.nanoTime();
    StratifiedSplit split =
        StratifiedSplit.of(corpus.train(), StratifiedSplit.VALIDATION_SHARE, options.seed());
    List<Review> fit = prefix(split.train(), options.trainLimit());
    List<Review> val = prefix(split.validation(), options.valLimit());
    List<Review> testAll = shuffledTest(corpus, options.seed());
    List<Review> testReviews = prefix(testAll, options.testLimit());
    Map<String, Object> m = new LinkedHashMap<>();
    List<float[]> xVal;
    List<float[]> xFit;
    List<float[]> xTest;
    int[] counts = new int[2];
    long t = System.nanoTime();
    try (BertTextEmbedder embedder =
        EncoderClassifier.embedder(
            base.name(),
            base.checkpoint(),
            base.tokenizerJson(),
            base.pooling(),
            base.normalize(),
            new Encoders.Options(options.truncation(), options.batchSize(), base.prefix()),
            device)) {
      xVal =
          embed(
              embedder,
              base,
              options,
              "validation",
              split.validation(),
              val.size(),
              progress,
              counts);
      xFit = embed(embedder, base, options, "train", split.train(), fit.size(), progress, counts);
      xTest = embed(embedder, base, options, "test", testAll, testReviews.size(), progress, counts);
    }
    double embedSeconds = seconds(t);
    t = System.nanoTime();
    LinearModel sentiment = null;
    LinearModel rating = null;
    List<SparseVector> fitX = dense(xFit);
    List<SparseVector> valX = dense(xVal);
    int dim = base.checkpoint().config().hiddenSize();
    if (options.task().sentiment()) {
      int[] y = fit.stream().mapToInt(FrozenEncoderTrainer::label).toArray();
      int[] yVal = val.stream().mapToInt(FrozenEncoderTrainer::label).toArray();
      sentiment = pickC(fitX, y, valX, yVal, dim, options, progress, "sentiment", m);
    }
    if (options.task().rating()) {
      int[] y = fit.stream().mapToInt(FrozenEncoderTrainer::stars).toArray();
      int[] yVal = val.stream().mapToInt(FrozenEncoderTrainer::stars).toArray();
      rating = pickC(fitX, y, valX, yVal, dim, options, progress, "rating", m);
    }
    LinearHeads heads = new LinearHeads(sentiment, rating);
    double headSeconds = seconds(t);
    Evaluation validation = evaluate(heads, xVal, val);
    Evaluation test = evaluate(heads, xTest, testReviews);
    EncoderModel model =
        new EncoderModel(
            base.name(),
            base.checkpoint(),
            base.tokenizerJson(),
            base.pooling(),
            base.normalize(),
            options.truncation(),
            base.prefix(),
            true,
            heads);

    Map<String, Object> metrics = Evaluation.scores(validation, test).toJson();
    metrics.putAll(m);
    metrics.put("n_fit", fit.size());
    metrics.put("n_val", validation.size());
    metrics.put("n_test", test.size());
    if (testReviews.size() < testAll.size()) {
      metrics.put(
          "test_subset",
          "the first "
              + testReviews.size()
              + " of the official test split shuffled with seed "
              + options.seed());
    }
    metrics.put("dimension", dim);
    metrics.put("parameters", parameters(base.checkpoint()));
    metrics.put("texts_embedded", counts[1]);
    metrics.put("texts_cached", counts[0]);
    metrics.put(
        "embed_texts_per_second",
        counts[1] == 0 ? 0.0 : Math.round(counts[1] / Math.max(embedSeconds, 1e-3) * 10) / 10.0);
    metrics.put("device", String.valueOf(device));
    metrics.put("seconds_embed", embedSeconds);
    metrics.put("seconds_heads", headSeconds);
    metrics.put("fit_on", "train-80");
    metrics.put("train_seconds", seconds(start));
    return new Result(model, validation, test, metrics);
  }

  /**
   * Trains as {@link #train} does and writes the encoder bundle and its {@code report.html} into
   * {@code dir}; returns the figures with {@code model}, {@code kind}, {@code cleaning}, {@code
   * bundle} and {@code report} added.
   *
   * @param checksums the data checksums the bundle records
   */
  public static TrainedBundle trainBundle(
      Path dir,
      ImdbCorpus corpus,
      Base base,
      FrozenEncoderOptions options,
      Device device,
      Map<String, String> checksums,
      Progress progress)
      throws IOException {
    Result result = train(corpus, base, options, device, progress);
    Bundles.writeEncoder(
        dir, result.model(), options.cleaning(), result.metrics(), options.asMap(), checksums);
    return TrainReport.writeForBundle(
            dir,
            options.model()
                + " frozen + heads ("
                + options.task().name().toLowerCase(Locale.ROOT)
                + ")",
            options.model(),
            options.cleaning().label(),
            Evaluation.scores(result.validation(), result.test()),
            result.metrics(),
            options.asMap(),
            result.test())
        .withKind(Bundles.ENCODER_KIND);
  }

  /** The official test split in a seeded random order, so that any prefix is a fair sample. */
  public static List<Review> shuffledTest(ImdbCorpus corpus, long seed) {
    List<Review> test = new ArrayList<>(corpus.test());
    Collections.shuffle(test, new Random(seed));
    return test;
  }

  private static List<Review> prefix(List<Review> reviews, int limit) {
    return limit > 0 && limit < reviews.size() ? reviews.subList(0, limit) : reviews;
  }

  /** The number of encoder parameters (the heads add a few thousand). */
  static long parameters(BertCheckpoint checkpoint) {
    long n = 0;
    for (var t : checkpoint.tensors().values()) {
      n += t.data().length;
    }
    return n;
  }

  private static List<float[]> embed(
      BertTextEmbedder embedder,
      Base base,
      FrozenEncoderOptions options,
      String name,
      List<Review> reviews,
      int count,
      Progress progress,
      int[] counts)
      throws IOException {
    List<String> texts = clean(reviews, options.cleaning());
    int n = count < 0 ? texts.size() : count;
    EmbeddingCache cache =
        new EmbeddingCache(options.cacheDir(), cacheKey(base, options, name, texts));
    try (Progress.Bar bar = progress.start("embed " + name, n)) {
      EmbeddingCache.Result r = cache.vectors(texts, n, embedder.dimension(), embedder::embed, bar);
      counts[0] += r.cached();
      counts[1] += r.embedded();
      return r.vectors();
    }
  }

  /**
   * What a cached vector depends on: the weights, how texts are cut, cleaned, prefixed and pooled,
   * and the texts themselves (their sha256, in order).
   */
  static String cacheKey(Base base, FrozenEncoderOptions o, String split, List<String> texts) {
    return cacheKey(
        base.cacheId(),
        base.pooling(),
        base.normalize(),
        base.prefix(),
        o.cleaning(),
        o.truncation(),
        split,
        texts);
  }

  /** As {@link #cacheKey(Base, FrozenEncoderOptions, String, List)}, from the parts. */
  static String cacheKey(
      String cacheId,
      Pooling pooling,
      boolean normalize,
      String prefix,
      CleaningProfile cleaning,
      io.reelsense.model.tokenizer.Truncation truncation,
      String split,
      List<String> texts) {
    return String.join(
        "|",
        cacheId,
        "pooling=" + pooling,
        "normalize=" + normalize,
        "prefix=" + prefix,
        "cleaning=" + cleaning.label(),
        "truncation=" + truncation,
        "split=" + split,
        "texts=" + EmbeddingCache.checksum(texts));
  }

  static List<String> clean(List<Review> reviews, CleaningProfile profile) {
    return reviews.stream()
        .map(Review::text)
        .map(t -> profile == CleaningProfile.NONE ? t : profile.cleaner().clean(t))
        .toList();
  }

  private static LinearModel pickC(
      List<SparseVector> x,
      int[] y,
      List<SparseVector> xVal,
      int[] yVal,
      int dim,
      FrozenEncoderOptions options,
      Progress progress,
      String task,
      Map<String, Object> m) {
    LinearModel best = null;
    double bestAccuracy = -1;
    double bestC = 0;
    Map<String, Double> grid = new LinkedHashMap<>();
    try (Progress.Bar bar = progress.start(task + " head, C grid", options.cGrid().length)) {
      for (double c : options.cGrid()) {
        LinearModel model = LinearTrainers.logisticRegression(x, y, dim, c, options.threads());
        int right = 0;
        for (int i = 0; i < yVal.length; i++) {
          if (model.predict(xVal.get(i)) == yVal[i]) {
            right++;
          }
        }
        double accuracy = (double) right / yVal.length;
        grid.put(String.format(Locale.ROOT, "%g", c), Scores.round(accuracy));
        if (accuracy > bestAccuracy) {
          best = model;
          bestAccuracy = accuracy;
          bestC = c;
        }
        bar.step(1);
      }
    }
    m.put(task + "_C", bestC);
    m.put(task + "_val_accuracy_by_C", grid);
    return best;
  }

  private static Evaluation evaluate(LinearHeads heads, List<float[]> x, List<Review> reviews) {
    List<ReviewPrediction> predictions = new ArrayList<>(x.size());
    for (float[] v : x) {
      predictions.add(heads.scores(v).toPrediction());
    }
    int[] labels = reviews.stream().mapToInt(FrozenEncoderTrainer::label).toArray();
    boolean allRated = reviews.stream().allMatch(r -> r.rating() != null);
    int[] stars = allRated ? reviews.stream().mapToInt(Review::rating).toArray() : null;
    return Evaluation.of(labels, stars, predictions);
  }

  private static List<SparseVector> dense(List<float[]> vectors) {
    List<SparseVector> out = new ArrayList<>(vectors.size());
    for (float[] v : vectors) {
      out.add(SparseVector.dense(v));
    }
    return out;
  }

  private static int label(Review r) {
    if (r.label() == null) {
      throw new IllegalArgumentException("review " + r.id() + " has no label");
    }
    return r.label();
  }

  private static int stars(Review r) {
    if (r.rating() == null) {
      throw new IllegalArgumentException("review " + r.id() + " has no rating");
    }
    return r.rating();
  }

  private static double seconds(long since) {
    return Math.round((System.nanoTime() - since) / 1e8) / 10.0;
  }
}
