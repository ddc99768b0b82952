package io.reelsense.train;

import io.reelsense.data.ImdbCorpus;
import io.reelsense.data.Review;
import io.reelsense.data.StratifiedSplit;
import io.reelsense.metrics.Scores;
import io.reelsense.model.ReviewPrediction;
import io.reelsense.model.baseline.BaselineClassifier;
import io.reelsense.model.baseline.BaselineModel;
import io.reelsense.model.baseline.LinearModel;
import io.reelsense.model.baseline.SparseVector;
import io.reelsense.model.baseline.TfidfVectorizer;
import io.reelsense.model.bundle.Bundles;
import io.reelsense.text.CleaningProfile;
import io.reelsense.text.StopWords;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Function;

/**
 * Trains the TF-IDF baseline with the original study's protocol: the official train split is split
 * 80/20 (stratified, seeded); the model is fitted on the 80 % (or, with {@code fitOnAll}, refitted
 * on the whole train split after validation), validated on the 20 %, and scored once on the
 * official test split. Nothing is tuned on test.
 */
public final class BaselineTrainer {

  /**
   * What a training run produced.
   *
   * @param model the fitted model
   * @param validation predictions on the held-out 20 % (of the model fitted on the 80 %)
   * @param test predictions on the official test split
   * @param figures what the run reports
   */
  public record Result(
      BaselineModel model, Evaluation validation, Evaluation test, Figures figures) {

    /** The figures under their JSON keys, in report order (as bundle manifests keep them). */
    public Map<String, Object> metrics() {
      return figures.toJson();
    }
  }

  /**
   * What a baseline run reports.
   *
   * @param scores validation and test figures
   * @param fitted reviews the final model was fitted on
   * @param validated reviews of the validation split
   * @param tested reviews of the test split
   * @param features TF-IDF terms kept
   * @param fitOnAll whether the model was refitted on the whole train split after validation
   * @param trainSeconds wall time of the run
   * @param phases seconds per phase ({@code seconds_clean}, {@code seconds_vectorize}, …)
   */
  public record Figures(
      Scores scores,
      int fitted,
      int validated,
      int tested,
      int features,
      boolean fitOnAll,
      double trainSeconds,
      Map<String, Double> phases) {

    /** The JSON of the run: the scores, the counts, the durations; keys as scripts read them. */
    public Map<String, Object> toJson() {
      Map<String, Object> m = scores.toJson();
      m.put("n_fit", fitted);
      m.put("n_val", validated);
      m.put("n_test", tested);
      m.put("features", features);
      m.put("fit_on", fitOnAll ? "all-train" : "train-80");
      m.put("train_seconds", Scores.roundSeconds(trainSeconds));
      m.putAll(phases);
      return m;
    }
  }

  private BaselineTrainer() {}

  /**
   * Trains on {@code corpus} as {@link #train(ImdbCorpus, BaselineOptions, Progress)} does and
   * writes the bundle and its {@code report.html} into {@code dir}.
   *
   * @param checksums the data checksums the bundle records
   */
  public static TrainedBundle trainBundle(
      Path dir,
      ImdbCorpus corpus,
      BaselineOptions options,
      Map<String, String> checksums,
      Progress progress)
      throws IOException {
    return writeBundle(dir, train(corpus, options, progress), options, checksums);
  }

  /** Writes a trained baseline's bundle and its {@code report.html} into {@code dir}. */
  public static TrainedBundle writeBundle(
      Path dir, Result result, BaselineOptions options, Map<String, String> checksums)
      throws IOException {
    String kind = options.algorithm().kind();
    Bundles.writeBaseline(
        dir,
        result.model(),
        kind,
        options.cleaning(),
        result.metrics(),
        options.asMap(),
        checksums);
    return TrainReport.writeForBundle(
        dir,
        kind + " (" + options.task().name().toLowerCase(Locale.ROOT) + ")",
        kind,
        options.cleaning().label(),
        result.figures().scores(),
        result.metrics(),
        options.asMap(),
        result.test());
  }

  /** Trains on {@code corpus} as {@code options} say. */
  public static Result train(ImdbCorpus corpus, BaselineOptions options, Progress progress) {
    StratifiedSplit split =
        StratifiedSplit.of(corpus.train(), StratifiedSplit.VALIDATION_SHARE, options.seed());
    return train(split.train(), split.validation(), corpus.test(), options, progress);
  }

  /**
   * Trains on {@code fitReviews}, validates on {@code valReviews} and scores {@code testReviews}
   * (e.g. parts of the original study's split cut to size, so the baseline sees what an encoder
   * saw).
   */
  public static Result train(
      List<Review> fitReviews,
      List<Review> valReviews,
      List<Review> testReviews,
      BaselineOptions options,
      Progress progress) {
    long start = System.nanoTime();
    ForkJoinPool pool = new ForkJoinPool(options.threads());
    try {
      List<String> fitTexts = clean(pool, fitReviews, options.cleaning(), progress, "clean train");
      List<String> valTexts =
          clean(pool, valReviews, options.cleaning(), progress, "clean validation");
      List<String> testTexts = clean(pool, testReviews, options.cleaning(), progress, "clean test");

      Map<String, Double> phases = new LinkedHashMap<>();
      phases.put("seconds_clean", seconds(start));
      BaselineModel model = fit(fitTexts, fitReviews, options, progress, phases);
      long t = System.nanoTime();
      Evaluation validation = evaluate(pool, model, valTexts, valReviews, progress, "validate");
      phases.put("seconds_validate", seconds(t));
      int fitted = fitReviews.size();
      if (options.fitOnAll()) {
        List<String> allTexts = new java.util.ArrayList<>(fitTexts);
        allTexts.addAll(valTexts);
        List<Review> allReviews = new java.util.ArrayList<>(fitReviews);
        allReviews.addAll(valReviews);
        model = fit(allTexts, allReviews, options, progress, phases);
        fitted = allReviews.size();
      }
      t = System.nanoTime();
      Evaluation test = evaluate(pool, model, testTexts, testReviews, progress, "test");
      phases.put("seconds_test", seconds(t));
      double seconds = seconds(start);
      Figures figures =
          new Figures(
              Evaluation.scores(validation, test),
              fitted,
              validation.size(),
              test.size(),
              model.vectorizer().dimension(),
              options.fitOnAll(),
              seconds,
              phases);
      return new Result(model, validation, test, figures);
    } finally {
      pool.shutdown();
    }
  }

  private static double seconds(long since) {
    return Math.round((System.nanoTime() - since) / 1e8) / 10.0;
  }

  /** Fits the vectorizer and the heads the task asks for on already cleaned texts. */
  public static BaselineModel fit(
      List<String> texts, List<Review> reviews, BaselineOptions options, Progress progress) {
    return fit(texts, reviews, options, progress, new LinkedHashMap<>());
  }

  /**
   * As {@link #fit(List, List, BaselineOptions, Progress)}, adding phase durations to {@code
   * phases}.
   */
  static BaselineModel fit(
      List<String> texts,
      List<Review> reviews,
      BaselineOptions options,
      Progress progress,
      Map<String, Double> phases) {
    long t = System.nanoTime();
    Set<String> stop = options.englishStopWords() ? StopWords.sklearnEnglish() : Set.of();
    TfidfVectorizer.Config config =
        new TfidfVectorizer.Config(
            options.ngramMin(),
            options.ngramMax(),
            options.minDf(),
            options.maxFeatures(),
            options.sublinearTf(),
            stop);
    TfidfVectorizer.Fitted fitted;
    try (Progress.Bar bar = progress.start("tf-idf fit", texts.size())) {
      fitted = TfidfVectorizer.fit(texts, config, options.threads(), i -> bar.step(1));
    }
    phases.merge("seconds_vectorize", seconds(t), Double::sum);
    t = System.nanoTime();
    List<SparseVector> x = fitted.vectors();
    int dim = fitted.vectorizer().dimension();
    LinearModel sentiment = null;
    LinearModel rating = null;
    int heads = (options.task().sentiment() ? 1 : 0) + (options.task().rating() ? 1 : 0);
    try (Progress.Bar bar = progress.start(options.algorithm().kind() + " heads", heads)) {
      if (options.task().sentiment()) {
        int[] y = reviews.stream().mapToInt(BaselineTrainer::label).toArray();
        sentiment = fitHead(x, y, dim, options);
        bar.step(1);
      }
      if (options.task().rating()) {
        int[] y = reviews.stream().mapToInt(BaselineTrainer::stars).toArray();
        rating = fitHead(x, y, dim, options);
        bar.step(1);
      }
    }
    phases.merge("seconds_heads", seconds(t), Double::sum);
    return new BaselineModel(fitted.vectorizer(), sentiment, rating);
  }

  private static LinearModel fitHead(List<SparseVector> x, int[] y, int dim, BaselineOptions o) {
    return switch (o.algorithm()) {
      case LR -> LinearTrainers.logisticRegression(x, y, dim, o.c(), o.threads());
      case NB -> LinearTrainers.naiveBayes(x, y, dim, 1.0);
    };
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

  /** Scores already cleaned texts and pairs the predictions with the truths. */
  static Evaluation evaluate(
      ForkJoinPool pool,
      BaselineModel model,
      List<String> cleanTexts,
      List<Review> reviews,
      Progress progress,
      String task) {
    BaselineClassifier classifier = new BaselineClassifier("training", t -> t, model);
    List<ReviewPrediction> predictions =
        parallel(
            pool,
            cleanTexts,
            t -> classifier.predict(model.vectorizer().transform(t)),
            progress,
            task);
    int[] labels = reviews.stream().mapToInt(BaselineTrainer::label).toArray();
    boolean allRated = reviews.stream().allMatch(r -> r.rating() != null);
    int[] stars = allRated ? reviews.stream().mapToInt(Review::rating).toArray() : null;
    return Evaluation.of(labels, stars, predictions);
  }

  static List<String> clean(
      ForkJoinPool pool,
      List<Review> reviews,
      CleaningProfile profile,
      Progress progress,
      String task) {
    List<String> texts = reviews.stream().map(Review::text).toList();
    if (profile == CleaningProfile.NONE) {
      return texts;
    }
    return parallel(pool, texts, profile.cleaner()::clean, progress, task);
  }

  private static <T, R> List<R> parallel(
      ForkJoinPool pool, List<T> items, Function<T, R> f, Progress progress, String task) {
    try (Progress.Bar bar = progress.start(task, items.size())) {
      return pool.submit(
              () ->
                  items.parallelStream()
                      .map(
                          item -> {
                            R r = f.apply(item);
                            bar.step(1);
                            return r;
                          })
                      .toList())
          .get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(cause);
    }
  }
}
