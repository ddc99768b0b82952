package io.reelsense.train;

import ai.djl.Device;
import io.reelsense.data.ImdbCorpus;
import io.reelsense.data.Review;
import io.reelsense.metrics.Scores;
import io.reelsense.model.ReviewPrediction;
import io.reelsense.model.ReviewScores;
import io.reelsense.model.ScoringClassifier;
import io.reelsense.model.baseline.LinearHeads;
import io.reelsense.model.baseline.LinearModel;
import io.reelsense.model.baseline.SparseVector;
import io.reelsense.model.bundle.BundleManifest;
import io.reelsense.model.bundle.Bundles;
import io.reelsense.model.encoder.EncoderClassifier;
import io.reelsense.model.encoder.EncoderModel;
import io.reelsense.model.encoder.ModelCatalog;
import io.reelsense.model.ensemble.EnsembleClassifier;
import io.reelsense.text.CleaningProfile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Fits an ensemble of bundles on the validation split: every member scores the original study's 20
 * % and the official test split once (frozen encoders reuse the pooled vectors their training
 * cached; the other members' scores are cached by {@link MemberScores}), then one of two
 * combinations is fitted on validation:
 *
 * <ul>
 *   <li>{@link Combination#STACKING} (the default): logistic-regression heads over the members'
 *       log-odds and log rating probabilities ({@link EnsembleClassifier#stackFeatures}), their C
 *       chosen by 5-fold cross-validation on the validation reviews (sentiment by accuracy, rating
 *       by rating accuracy, ties by MAE) and then fitted on all of them. The validation figures
 *       reported are the out-of-fold ones, so they are not flattered by the fit.
 *   <li>{@link Combination#AVERAGE}: the weights on a grid over the simplex with the best
 *       validation accuracy (sentiment) and rating accuracy (rating), ties broken by log loss and
 *       mean absolute error.
 * </ul>
 *
 * The test split is scored once, with what was chosen.
 */
public final class EnsembleTrainer {

  /** The C values the stacking heads are cross-validated over. */
  static final double[] STACKING_C = {0.01, 0.1, 1, 10};

  /** Folds of the stacking heads' cross-validation. */
  static final int STACKING_FOLDS = 5;

  /** How the members' scores become the ensemble's. */
  public enum Combination {
    /** Logistic-regression heads over the members' scores. */
    STACKING,
    /** A weighted average of the members' probabilities. */
    AVERAGE;

    /** The name on the command line and in the manifest. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The combination of a label; an error listing the labels otherwise. */
    public static Combination parse(String label) {
      for (Combination c : values()) {
        if (c.label().equals(label)) {
          return c;
        }
      }
      throw new IllegalArgumentException(
          "unknown combination '" + label + "' (stacking or average)");
    }
  }

  /**
   * How to fit an ensemble.
   *
   * @param seed seed of the train/validation split (the members' own)
   * @param valLimit fit the weights on the first N validation reviews only; 0 = all
   * @param testLimit score a seeded random N of the test split only; 0 = all
   * @param combination stacking or a weighted average
   * @param step the grid step of the weights of an average (e.g. 0.05)
   * @param device where encoder members run
   * @param cacheDir where frozen encoders' pooled vectors and members' scores are kept
   */
  public record Options(
      long seed,
      int valLimit,
      int testLimit,
      Combination combination,
      double step,
      Device device,
      Path cacheDir) {

    public Options {
      if (!(step > 0 && step <= 1)) {
        throw new IllegalArgumentException("weight step must be in (0, 1], got " + step);
      }
      Objects.requireNonNull(combination, "combination");
    }

    /** The arguments as recorded in the bundle manifest. */
    public Map<String, Object> asMap(List<Bundles.MemberSource> members) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("model", Bundles.ENSEMBLE_KIND);
      m.put("members", members.stream().map(s -> s.bundle().toString()).toList());
      m.put("seed", seed);
      m.put("val_limit", valLimit);
      m.put("test_limit", testLimit);
      m.put("combination", combination.label());
      if (combination == Combination.STACKING) {
        m.put("stacking_C_grid", Arrays.stream(STACKING_C).boxed().toList());
        m.put(
            "selection",
            "C of each stacking head: best "
                + STACKING_FOLDS
                + "-fold cross-validated accuracy on validation (rating: rating accuracy, then"
                + " MAE), then fitted on all of validation");
      } else {
        m.put("weight_step", step);
        m.put(
            "selection",
            "sentiment weights: best validation accuracy (then log loss); rating weights: best"
                + " validation rating accuracy (then MAE)");
      }
      return m;
    }
  }

  /**
   * What a run produced.
   *
   * @param members the member bundles with their fitted weights (1 each when stacking)
   * @param stack the stacking heads; null for an average
   * @param validation the ensemble's predictions on the validation reviews used (out-of-fold when
   *     stacking)
   * @param test its predictions on the test reviews used
   * @param metrics the figures, per member too
   */
  public record Result(
      List<Bundles.MemberSource> members,
      LinearHeads stack,
      Evaluation validation,
      Evaluation test,
      Map<String, Object> metrics,
      Map<String, Alone> alone) {}

  /**
   * A member scored alone (its weight 1, the others' 0), on validation and test.
   *
   * @param sentimentWeight its weight in the average; NaN with stacking heads
   * @param ratingWeight its rating weight in the average; NaN with stacking heads
   */
  public record Alone(
      double sentimentWeight, double ratingWeight, Evaluation validation, Evaluation test) {

    /** Whether the members are averaged with weights (not stacked). */
    public boolean weighted() {
      return !Double.isNaN(sentimentWeight);
    }

    /**
     * The member's JSON: {@code sentiment_weight} and {@code rating_weight} (when averaged), {@code
     * test_accuracy}, {@code val_accuracy}, then {@code test_rating_accuracy} and {@code test_mae}
     * (with a rating head).
     */
    public Map<String, Object> toJson() {
      Map<String, Object> f = new LinkedHashMap<>();
      if (weighted()) {
        f.put("sentiment_weight", Scores.round(sentimentWeight));
        f.put("rating_weight", Scores.round(ratingWeight));
      }
      f.put("test_accuracy", Scores.round(test.accuracy()));
      f.put("val_accuracy", Scores.round(validation.accuracy()));
      if (test.hasRating()) {
        f.put("test_rating_accuracy", Scores.round(test.ratingAccuracy()));
        f.put("test_mae", Scores.round(test.ratingMae()));
      }
      return f;
    }
  }

  /**
   * The most members an average searches weights for: its grid grows with a power of their number.
   */
  public static final int MAX_AVERAGED_MEMBERS = 5;

  private EnsembleTrainer() {}

  /**
   * An ensemble bundle written: the run, and what it reports.
   *
   * @param result the members, their weights or stacking heads, and the figures
   * @param bundle the bundle and its report
   */
  public record Trained(Result result, TrainedBundle bundle) {}

  /**
   * Trains as {@link #train} does and writes the ensemble bundle and its {@code report.html} into
   * {@code dir}.
   *
   * @param checksums the data checksums the bundle records
   */
  public static Trained trainBundle(
      Path dir,
      ImdbCorpus corpus,
      List<Path> bundles,
      Options options,
      Map<String, String> checksums,
      Progress progress)
      throws IOException {
    List<String> names = names(bundles);
    Result result = train(corpus, bundles, names, options, progress);
    Map<String, Object> args = options.asMap(result.members());
    Bundles.writeEnsemble(dir, result.members(), result.stack(), result.metrics(), args, checksums);
    TrainedBundle bundle =
        TrainReport.writeForBundle(
                dir,
                "ensemble " + names,
                Bundles.ENSEMBLE_KIND,
                null,
                Evaluation.scores(result.validation(), result.test()),
                result.metrics(),
                args,
                result.test())
            .withKind(Bundles.ENSEMBLE_KIND);
    return new Trained(result, bundle);
  }

  /**
   * Fails when {@code combination} cannot combine {@code members} bundles (stacking takes any
   * number).
   */
  public static void checkMembers(Combination combination, int members) {
    if (combination == Combination.AVERAGE && members > MAX_AVERAGED_MEMBERS) {
      throw new IllegalArgumentException(
          "average weighs at most "
              + MAX_AVERAGED_MEMBERS
              + " bundles (its weight grid grows with a power of their number), got "
              + members
              + "; stacking takes any number");
    }
  }

  /** Scores with every member and fits the weights. */
  public static Result train(
      ImdbCorpus corpus, List<Path> bundles, List<String> names, Options o, Progress progress)
      throws IOException {
    checkMembers(o.combination(), bundles.size());
    long start = System.nanoTime();
    List<Review> valAll = MemberScores.validation(corpus, o.seed());
    List<Review> val = prefix(valAll, o.valLimit());
    List<Review> testAll = MemberScores.test(corpus, o.seed());
    List<Review> test = prefix(testAll, o.testLimit());
    List<List<ReviewScores>> valScores = new ArrayList<>();
    List<List<ReviewScores>> testScores = new ArrayList<>();
    boolean rating = true;
    for (int i = 0; i < bundles.size(); i++) {
      Path dir = bundles.get(i);
      BundleManifest manifest = Bundles.readManifest(dir);
      if (Bundles.ENSEMBLE_KIND.equals(manifest.kind())) {
        throw new IllegalArgumentException(dir + " is itself an ensemble; list its members");
      }
      rating &= manifest.tasks().contains(Bundles.TASK_RATING);
      try (Member member = Member.open(dir, manifest, o)) {
        valScores.add(
            member.scores(MemberScores.VALIDATION, valAll, val.size(), o, names.get(i), progress));
        testScores.add(
            member.scores(MemberScores.TEST, testAll, test.size(), o, names.get(i), progress));
      }
    }
    int m = bundles.size();
    int[] yVal = val.stream().mapToInt(EnsembleTrainer::label).toArray();
    int[] sVal = stars(val);
    double[] sentimentWeights;
    double[] ratingWeights;
    Map<String, Object> stacking = new LinkedHashMap<>();
    LinearHeads stack = null;
    Evaluation validation;
    Evaluation testEval;
    if (o.combination() == Combination.STACKING) {
      // without validation stars there is nothing to fit a rating head on
      boolean stackRating = rating && sVal != null;
      Stacked stacked = stack(valScores, yVal, stackRating ? sVal : null, stacking);
      LinearHeads heads = stacked.heads();
      stack = heads;
      validation = stacked.outOfFold();
      testEval =
          evaluate(
              testScores,
              row -> heads.scores(EnsembleClassifier.stackFeatures(row, stackRating)),
              test);
      // every member runs: the heads weigh them
      sentimentWeights = uniform(m, 1);
      ratingWeights = uniform(m, 1);
    } else {
      sentimentWeights = bestSentiment(valScores, yVal, o.step());
      ratingWeights =
          rating && sVal != null ? bestRating(valScores, sVal, o.step()) : uniform(m, 1.0 / m);
      validation = evaluate(valScores, sentimentWeights, ratingWeights, rating, val);
      testEval = evaluate(testScores, sentimentWeights, ratingWeights, rating, test);
    }

    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("combination", o.combination().label());
    metrics.putAll(Evaluation.scores(validation, testEval).toJson());
    metrics.putAll(stacking);
    List<Bundles.MemberSource> sources = new ArrayList<>();
    Map<String, Alone> perMember = new LinkedHashMap<>();
    Map<String, Object> membersJson = new LinkedHashMap<>();
    for (int i = 0; i < m; i++) {
      sources.add(
          new Bundles.MemberSource(
              names.get(i), bundles.get(i), sentimentWeights[i], ratingWeights[i]));
      double[] one = new double[m];
      one[i] = 1;
      Evaluation alone = evaluate(testScores, one, one, rating, test);
      Evaluation aloneVal = evaluate(valScores, one, one, rating, val);
      Alone a =
          stack == null
              ? new Alone(sentimentWeights[i], ratingWeights[i], aloneVal, alone)
              : new Alone(Double.NaN, Double.NaN, aloneVal, alone);
      perMember.put(names.get(i), a);
      membersJson.put(names.get(i), a.toJson());
    }
    metrics.put("members", membersJson);
    metrics.put("n_val", val.size());
    metrics.put("n_test", test.size());
    if (test.size() < testAll.size()) {
      metrics.put(
          "test_subset",
          "the first "
              + test.size()
              + " of the official test split shuffled with seed "
              + o.seed());
    }
    metrics.put("train_seconds", Math.round((System.nanoTime() - start) / 1e8) / 10.0);
    return new Result(sources, stack, validation, testEval, metrics, perMember);
  }

  /** Stacking heads fitted on all of validation, and the out-of-fold validation predictions. */
  private record Stacked(LinearHeads heads, Evaluation outOfFold) {}

  /**
   * Chooses each head's C by cross-validation on the validation reviews, keeps the out-of-fold
   * predictions of the chosen C, and fits the heads on all of validation.
   *
   * @param stars the validation stars; null when the ensemble does not rate
   */
  private static Stacked stack(
      List<List<ReviewScores>> scores, int[] labels, int[] stars, Map<String, Object> metrics) {
    boolean rating = stars != null;
    List<SparseVector> x = new ArrayList<>(labels.length);
    for (int i = 0; i < labels.length; i++) {
      x.add(SparseVector.dense(EnsembleClassifier.stackFeatures(row(scores, i), rating)));
    }
    int dim = x.get(0).size();
    int threads = Runtime.getRuntime().availableProcessors();
    LinearModel[][] sentimentFolds = new LinearModel[STACKING_C.length][];
    LinearModel[][] ratingFolds = new LinearModel[STACKING_C.length][];
    int bestSentiment = 0;
    int bestRating = 0;
    double[] sentimentRight = new double[STACKING_C.length];
    double[] ratingRight = new double[STACKING_C.length];
    double[] ratingErrors = new double[STACKING_C.length];
    for (int c = 0; c < STACKING_C.length; c++) {
      sentimentFolds[c] = folds(x, labels, dim, STACKING_C[c], threads);
      for (int i = 0; i < labels.length; i++) {
        if (sentimentFolds[c][i % STACKING_FOLDS].predict(x.get(i)) == labels[i]) {
          sentimentRight[c]++;
        }
      }
      if (sentimentRight[c] > sentimentRight[bestSentiment]) {
        bestSentiment = c;
      }
      if (rating) {
        ratingFolds[c] = folds(x, stars, dim, STACKING_C[c], threads);
        for (int i = 0; i < stars.length; i++) {
          int predicted = ratingFolds[c][i % STACKING_FOLDS].predict(x.get(i));
          ratingRight[c] += predicted == stars[i] ? 1 : 0;
          ratingErrors[c] += Math.abs(predicted - stars[i]);
        }
        if (ratingRight[c] > ratingRight[bestRating]
            || (ratingRight[c] == ratingRight[bestRating]
                && ratingErrors[c] < ratingErrors[bestRating])) {
          bestRating = c;
        }
      }
    }
    List<ReviewPrediction> outOfFold = new ArrayList<>(labels.length);
    for (int i = 0; i < labels.length; i++) {
      int fold = i % STACKING_FOLDS;
      LinearHeads heads =
          new LinearHeads(
              sentimentFolds[bestSentiment][fold], rating ? ratingFolds[bestRating][fold] : null);
      outOfFold.add(heads.scores(x.get(i)).toPrediction());
    }
    LinearHeads heads =
        new LinearHeads(
            LinearTrainers.logisticRegression(x, labels, dim, STACKING_C[bestSentiment], threads),
            rating
                ? LinearTrainers.logisticRegression(x, stars, dim, STACKING_C[bestRating], threads)
                : null);
    metrics.put("stacking_sentiment_C", STACKING_C[bestSentiment]);
    Map<String, Object> byC = new LinkedHashMap<>();
    for (int c = 0; c < STACKING_C.length; c++) {
      byC.put(
          String.format(Locale.ROOT, "%g", STACKING_C[c]),
          Scores.round(sentimentRight[c] / labels.length));
    }
    metrics.put("stacking_sentiment_cv_accuracy_by_C", byC);
    if (rating) {
      metrics.put("stacking_rating_C", STACKING_C[bestRating]);
    }
    return new Stacked(heads, Evaluation.of(labels, stars, outOfFold));
  }

  /** One model per fold, each fitted on the other folds (review i is in fold i mod folds). */
  private static LinearModel[] folds(
      List<SparseVector> x, int[] y, int dim, double c, int threads) {
    LinearModel[] out = new LinearModel[STACKING_FOLDS];
    for (int f = 0; f < STACKING_FOLDS; f++) {
      List<SparseVector> xf = new ArrayList<>();
      List<Integer> yf = new ArrayList<>();
      for (int i = 0; i < y.length; i++) {
        if (i % STACKING_FOLDS != f) {
          xf.add(x.get(i));
          yf.add(y[i]);
        }
      }
      out[f] =
          LinearTrainers.logisticRegression(
              xf, yf.stream().mapToInt(Integer::intValue).toArray(), dim, c, threads);
    }
    return out;
  }

  private static List<ReviewScores> row(List<List<ReviewScores>> scores, int i) {
    List<ReviewScores> row = new ArrayList<>(scores.size());
    for (List<ReviewScores> s : scores) {
      row.add(s.get(i));
    }
    return row;
  }

  /** A loaded member and, for a frozen encoder, what its cached vectors are keyed by. */
  private record Member(
      Path dir, ScoringClassifier classifier, EncoderModel encoder, BundleManifest manifest)
      implements AutoCloseable {

    static Member open(Path dir, BundleManifest manifest, Options o) {
      if (Bundles.ENCODER_KIND.equals(manifest.kind())) {
        EncoderModel model = Bundles.readEncoder(dir);
        CleaningProfile cleaning = CleaningProfile.parse(manifest.cleaning());
        EncoderClassifier c =
            EncoderClassifier.of(
                manifest.kind() + "/" + model.base(),
                model,
                cleaning.cleaner()::clean,
                o.device(),
                EncoderClassifier.DEFAULT_BATCH_SIZE);
        return new Member(dir, c, model, manifest);
      }
      return new Member(
          dir, (ScoringClassifier) Bundles.load(dir, List.of(), "cpu"), null, manifest);
    }

    List<ReviewScores> scores(
        String split, List<Review> all, int n, Options o, String name, Progress progress)
        throws IOException {
      try (Progress.Bar bar = progress.start(name + " " + split, n)) {
        if (encoder != null && encoder.frozen() && isCatalog(encoder.base())) {
          CleaningProfile cleaning = CleaningProfile.parse(manifest.cleaning());
          List<String> texts = FrozenEncoderTrainer.clean(all, cleaning);
          String key =
              FrozenEncoderTrainer.cacheKey(
                  ModelCatalog.get(encoder.base()).coordinates(),
                  encoder.pooling(),
                  encoder.normalize(),
                  encoder.prefix(),
                  cleaning,
                  encoder.truncation(),
                  split,
                  texts);
          EncoderClassifier ec = (EncoderClassifier) classifier;
          List<float[]> vectors =
              new EmbeddingCache(o.cacheDir(), key)
                  .vectors(texts, n, ec.embedder().dimension(), ec.embedder()::embed, bar)
                  .vectors();
          List<ReviewScores> out = new ArrayList<>(n);
          for (float[] v : vectors) {
            out.add(ec.heads().scores(v));
          }
          return out;
        }
        boolean rating = manifest.tasks().contains(Bundles.TASK_RATING);
        List<String> texts = all.stream().map(Review::text).toList();
        List<float[]> packed =
            MemberScores.cache(o.cacheDir(), dir, split, texts)
                .vectors(
                    texts,
                    n,
                    MemberScores.dimension(rating),
                    chunk ->
                        classifier.score(chunk).stream()
                            .map(s -> MemberScores.pack(s, rating))
                            .toList(),
                    bar)
                .vectors();
        return packed.stream().map(MemberScores::unpack).toList();
      }
    }

    @Override
    public void close() {
      classifier.close();
    }
  }

  private static boolean isCatalog(String name) {
    return ModelCatalog.all().stream().anyMatch(p -> p.name().equals(name));
  }

  /** Every weight vector of {@code m} non-negative multiples of {@code step} summing to 1. */
  static List<double[]> simplex(int m, double step) {
    int k = (int) Math.round(1 / step);
    List<double[]> out = new ArrayList<>();
    fill(new int[m], 0, k, k, out);
    return out;
  }

  private static void fill(int[] parts, int i, int left, int k, List<double[]> out) {
    if (i == parts.length - 1) {
      parts[i] = left;
      double[] w = new double[parts.length];
      for (int j = 0; j < w.length; j++) {
        w[j] = (double) parts[j] / k;
      }
      out.add(w);
      return;
    }
    for (int v = left; v >= 0; v--) {
      parts[i] = v;
      fill(parts, i + 1, left - v, k, out);
    }
  }

  private static double[] bestSentiment(List<List<ReviewScores>> scores, int[] y, double step) {
    double[] best = null;
    double bestAccuracy = -1;
    double bestLoss = Double.MAX_VALUE;
    for (double[] w : simplex(scores.size(), step)) {
      int right = 0;
      double loss = 0;
      for (int i = 0; i < y.length; i++) {
        double p = 0;
        for (int m = 0; m < w.length; m++) {
          p += w[m] * scores.get(m).get(i).positive();
        }
        if ((p > 0.5 ? 1 : 0) == y[i]) {
          right++;
        }
        double q = Math.min(1 - 1e-12, Math.max(1e-12, y[i] == 1 ? p : 1 - p));
        loss -= Math.log(q);
      }
      double accuracy = (double) right / y.length;
      if (accuracy > bestAccuracy || (accuracy == bestAccuracy && loss < bestLoss)) {
        best = w;
        bestAccuracy = accuracy;
        bestLoss = loss;
      }
    }
    return best;
  }

  private static double[] bestRating(List<List<ReviewScores>> scores, int[] stars, double step) {
    double[] best = null;
    double bestAccuracy = -1;
    double bestMae = Double.MAX_VALUE;
    for (double[] w : simplex(scores.size(), step)) {
      int right = 0;
      double errors = 0;
      for (int i = 0; i < stars.length; i++) {
        int predicted =
            EnsembleClassifier.combine(row(scores, i), w, w, true).toPrediction().rating();
        if (predicted == stars[i]) {
          right++;
        }
        errors += Math.abs(predicted - stars[i]);
      }
      double accuracy = (double) right / stars.length;
      double mae = errors / stars.length;
      if (accuracy > bestAccuracy || (accuracy == bestAccuracy && mae < bestMae)) {
        best = w;
        bestAccuracy = accuracy;
        bestMae = mae;
      }
    }
    return best;
  }

  private static Evaluation evaluate(
      List<List<ReviewScores>> scores,
      double[] sentimentWeights,
      double[] ratingWeights,
      boolean rating,
      List<Review> reviews) {
    return evaluate(
        scores,
        row -> EnsembleClassifier.combine(row, sentimentWeights, ratingWeights, rating),
        reviews);
  }

  /** The predictions of {@code combine} over each review's row of member scores. */
  private static Evaluation evaluate(
      List<List<ReviewScores>> scores,
      Function<List<ReviewScores>, ReviewScores> combine,
      List<Review> reviews) {
    List<ReviewPrediction> predictions = new ArrayList<>(reviews.size());
    for (int i = 0; i < reviews.size(); i++) {
      predictions.add(combine.apply(row(scores, i)).toPrediction());
    }
    int[] labels = reviews.stream().mapToInt(EnsembleTrainer::label).toArray();
    return Evaluation.of(labels, stars(reviews), predictions);
  }

  private static double[] uniform(int n, double value) {
    double[] w = new double[n];
    Arrays.fill(w, value);
    return w;
  }

  private static int[] stars(List<Review> reviews) {
    boolean allRated = reviews.stream().allMatch(r -> r.rating() != null);
    return allRated ? reviews.stream().mapToInt(Review::rating).toArray() : null;
  }

  private static List<Review> prefix(List<Review> reviews, int limit) {
    return limit > 0 && limit < reviews.size() ? reviews.subList(0, limit) : reviews;
  }

  private static int label(Review r) {
    if (r.label() == null) {
      throw new IllegalArgumentException("review " + r.id() + " has no label");
    }
    return r.label();
  }

  /** A member name from a bundle folder: its file name, made safe and unique. */
  public static List<String> names(List<Path> bundles) {
    List<String> out = new ArrayList<>();
    for (Path b : bundles) {
      Path file = b.toAbsolutePath().normalize().getFileName();
      String base = file == null ? "member" : file.toString().replaceAll("[^A-Za-z0-9._-]", "-");
      if (base.isEmpty() || !Character.isLetterOrDigit(base.charAt(0))) {
        base = "m" + base;
      }
      base = base.length() > 60 ? base.substring(0, 60) : base;
      String name = base;
      for (int k = 2; out.contains(name.toLowerCase(Locale.ROOT)); k++) {
        name = base + "-" + k;
      }
      out.add(name.toLowerCase(Locale.ROOT));
    }
    return out;
  }
}
