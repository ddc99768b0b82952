package io.reelsense.train;

import ai.djl.Device;
import io.reelsense.data.ImdbCorpus;
import io.reelsense.data.OutOfDomainSets;
import io.reelsense.data.Review;
import io.reelsense.metrics.Scores;
import io.reelsense.model.ReviewPrediction;
import io.reelsense.model.ReviewScores;
import io.reelsense.model.baseline.LinearHeads;
import io.reelsense.model.baseline.SparseVector;
import io.reelsense.model.bundle.BundleManifest;
import io.reelsense.model.bundle.Bundles;
import io.reelsense.model.ensemble.EnsembleClassifier;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntFunction;

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
 *       by rating accuracy, ties by MAE) and then fitted on all of them ({@link StackingFit}). The
 *       validation figures reported are the out-of-fold ones, so they are not flattered by the fit.
 *       With {@link Options#stackCoverage} the heads also read, for each TF-IDF member, how much of
 *       the text its vocabulary covers and how long the text is, each times its log-odds, so that
 *       they can learn to trust TF-IDF only on text whose words it knows.
 *   <li>{@link Combination#AVERAGE}: the weights on a grid over the simplex with the best
 *       validation accuracy (sentiment) and rating accuracy (rating), ties broken by log loss and
 *       mean absolute error ({@link WeightedAverage}).
 * </ul>
 *
 * With {@link TuningMix#OUT_OF_DOMAIN} the combination is fitted on the validation reviews plus the
 * out-of-domain sets marked {@link OutOfDomainSets.Role#TUNING} (short texts from another domain),
 * so that it also sees text unlike IMDb's; the sets marked {@link OutOfDomainSets.Role#REPORTED}
 * are never read here. The rating head is fitted on the rated IMDb reviews only. The test split is
 * scored once, with what was chosen.
 */
public final class EnsembleTrainer {

  /** The C values the stacking heads are cross-validated over. */
  static final double[] STACKING_C = StackingFit.C_GRID;

  /** Folds of the stacking heads' cross-validation. */
  static final int STACKING_FOLDS = StackingFit.FOLDS;

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
   * @param stackCoverage whether the stacking heads also read each TF-IDF member's coverage
   *     features ({@link EnsembleClassifier#stackFeatures(List, List, boolean)})
   * @param tuningMix what the combination is fitted on
   * @param outOfDomain the out-of-domain sets as read ({@link OutOfDomainSets#read}); with {@link
   *     TuningMix#OUT_OF_DOMAIN} the combination is also fitted on those marked {@link
   *     OutOfDomainSets.Role#TUNING} (the others are ignored); empty with {@link TuningMix#IMDB}
   */
  public record Options(
      long seed,
      int valLimit,
      int testLimit,
      Combination combination,
      double step,
      Device device,
      Path cacheDir,
      boolean stackCoverage,
      TuningMix tuningMix,
      List<OutOfDomainSets.LabeledSet> outOfDomain) {

    public Options {
      if (!(step > 0 && step <= 1)) {
        throw new IllegalArgumentException("weight step must be in (0, 1], got " + step);
      }
      Objects.requireNonNull(combination, "combination");
      Objects.requireNonNull(tuningMix, "tuningMix");
      if (stackCoverage && combination != Combination.STACKING) {
        throw new IllegalArgumentException("coverage features are read by stacking heads only");
      }
      outOfDomain = List.copyOf(outOfDomain);
      if (tuningMix == TuningMix.OUT_OF_DOMAIN
          && outOfDomain.stream().noneMatch(t -> t.info().role() == OutOfDomainSets.Role.TUNING)) {
        throw new IllegalArgumentException(
            "the out-of-domain tuning mix needs the out-of-domain set marked for tuning");
      }
    }

    /** Fitted on IMDb validation only, from the members' scores alone. */
    public Options(
        long seed,
        int valLimit,
        int testLimit,
        Combination combination,
        double step,
        Device device,
        Path cacheDir) {
      this(
          seed,
          valLimit,
          testLimit,
          combination,
          step,
          device,
          cacheDir,
          false,
          TuningMix.IMDB,
          List.of());
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
      if (stackCoverage) {
        m.put("stack_coverage", true);
      }
      if (tuningMix != TuningMix.IMDB) {
        m.put("tuning_mix", tuningMix.label());
        m.put(
            "tuning_sets",
            OutOfDomainSets.SETS.stream()
                .filter(t -> t.role() == OutOfDomainSets.Role.TUNING)
                .map(OutOfDomainSets.SetInfo::name)
                .toList());
      }
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
    List<Review> tuning = MemberScores.tuning(o);
    int m = bundles.size();
    MemberRows valS = new MemberRows(m);
    MemberRows testS = new MemberRows(m);
    MemberRows tuningS = new MemberRows(m);
    boolean[] covered = new boolean[m];
    boolean rating = true;
    for (int i = 0; i < m; i++) {
      Path dir = bundles.get(i);
      BundleManifest manifest = Bundles.readManifest(dir);
      if (Bundles.ENSEMBLE_KIND.equals(manifest.kind())) {
        throw new IllegalArgumentException(dir + " is itself an ensemble; list its members");
      }
      rating &= manifest.tasks().contains(Bundles.TASK_RATING);
      try (LoadedMember member = LoadedMember.open(dir, manifest, o)) {
        covered[i] = o.stackCoverage() && member.hasVocabulary();
        String name = names.get(i);
        valS.add(
            member, covered[i], MemberScores.VALIDATION, valAll, val.size(), o, name, progress);
        testS.add(member, covered[i], MemberScores.TEST, testAll, test.size(), o, name, progress);
        if (!tuning.isEmpty()) {
          tuningS.add(
              member, covered[i], MemberScores.TUNING, tuning, tuning.size(), o, name, progress);
        }
      }
    }
    if (o.stackCoverage() && EnsembleClassifier.marked(covered) == 0) {
      throw new IllegalArgumentException(
          "coverage features need a TF-IDF baseline member (tfidf-lr or tfidf-nb); none of "
              + names
              + " is one");
    }
    // the combination is fitted on validation, then the tuning reviews (if any)
    MemberRows fit = tuning.isEmpty() ? valS : valS.then(tuningS);
    List<Review> fitReviews = new ArrayList<>(val);
    fitReviews.addAll(tuning);
    int[] yFit = fitReviews.stream().mapToInt(EnsembleTrainer::label).toArray();
    int[] yVal = val.stream().mapToInt(EnsembleTrainer::label).toArray();
    int[] sVal = stars(val);
    double[] sentimentWeights;
    double[] ratingWeights;
    Map<String, Object> stacking = new LinkedHashMap<>();
    LinearHeads stack = null;
    Evaluation validation;
    Evaluation testEval;
    Evaluation tuningEval = null;
    if (o.combination() == Combination.STACKING) {
      // without validation stars there is nothing to fit a rating head on
      boolean stackRating = rating && sVal != null;
      List<SparseVector> x = new ArrayList<>(yFit.length);
      for (int i = 0; i < yFit.length; i++) {
        x.add(SparseVector.dense(fit.features(i, stackRating)));
      }
      StackingFit.Fitted stacked = StackingFit.fit(x, yFit, stackRating ? sVal : null, stacking);
      LinearHeads heads = stacked.heads();
      stack = heads;
      List<ReviewPrediction> oof = stacked.outOfFold();
      validation = Evaluation.of(yVal, stackRating ? sVal : null, oof.subList(0, val.size()));
      if (!tuning.isEmpty()) {
        tuningEval =
            Evaluation.of(
                Arrays.copyOfRange(yFit, val.size(), yFit.length),
                null,
                oof.subList(val.size(), oof.size()));
      }
      testEval = evaluate(i -> heads.scores(testS.features(i, stackRating)), test);
      // every member runs: the heads weigh them
      sentimentWeights = uniform(m, 1);
      ratingWeights = uniform(m, 1);
    } else {
      sentimentWeights = WeightedAverage.bestSentiment(fit.scores, yFit, o.step());
      ratingWeights =
          rating && sVal != null
              ? WeightedAverage.bestRating(fit.scores, sVal, o.step())
              : uniform(m, 1.0 / m);
      validation = evaluate(valS.scores, sentimentWeights, ratingWeights, rating, val);
      testEval = evaluate(testS.scores, sentimentWeights, ratingWeights, rating, test);
      if (!tuning.isEmpty()) {
        tuningEval = evaluate(tuningS.scores, sentimentWeights, ratingWeights, false, tuning);
      }
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
              names.get(i), bundles.get(i), sentimentWeights[i], ratingWeights[i], covered[i]));
      double[] one = new double[m];
      one[i] = 1;
      Evaluation alone = evaluate(testS.scores, one, one, rating, test);
      Evaluation aloneVal = evaluate(valS.scores, one, one, rating, val);
      Alone a =
          stack == null
              ? new Alone(sentimentWeights[i], ratingWeights[i], aloneVal, alone)
              : new Alone(Double.NaN, Double.NaN, aloneVal, alone);
      perMember.put(names.get(i), a);
      membersJson.put(names.get(i), a.toJson());
    }
    metrics.put("members", membersJson);
    if (o.stackCoverage()) {
      List<String> coverageMembers = new ArrayList<>();
      for (int i = 0; i < m; i++) {
        if (covered[i]) {
          coverageMembers.add(names.get(i));
        }
      }
      metrics.put("stack_coverage_members", coverageMembers);
    }
    metrics.put("n_val", val.size());
    metrics.put("n_test", test.size());
    if (tuningEval != null) {
      metrics.put("n_tuning", tuning.size());
      // out-of-fold when stacking, like val_accuracy
      metrics.put("tuning_accuracy", Scores.round(tuningEval.accuracy()));
    }
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

  /** Every weight vector of {@code m} non-negative multiples of {@code step} summing to 1. */
  static List<double[]> simplex(int m, double step) {
    return WeightedAverage.simplex(m, step);
  }

  private static Evaluation evaluate(
      List<List<ReviewScores>> scores,
      double[] sentimentWeights,
      double[] ratingWeights,
      boolean rating,
      List<Review> reviews) {
    return evaluate(
        i ->
            EnsembleClassifier.combine(
                MemberRows.row(scores, i), sentimentWeights, ratingWeights, rating),
        reviews);
  }

  /** The predictions of {@code score} of each review, by its index. */
  private static Evaluation evaluate(IntFunction<ReviewScores> score, List<Review> reviews) {
    List<ReviewPrediction> predictions = new ArrayList<>(reviews.size());
    for (int i = 0; i < reviews.size(); i++) {
      predictions.add(score.apply(i).toPrediction());
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
