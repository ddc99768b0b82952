package io.reelsense.eval;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.reelsense.data.OutOfDomainSets;
import io.reelsense.data.Review;
import io.reelsense.metrics.Metrics;
import io.reelsense.model.BatchScorer;
import io.reelsense.model.ReviewClassifier;
import io.reelsense.model.ReviewPrediction;
import io.reelsense.model.bundle.Bundles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Scores one model on the out-of-domain sets ({@link OutOfDomainSets}): accuracy and F1 per set,
 * with the set's role, so that a report can keep the sets used for choices apart from the ones
 * reported.
 */
public final class OutOfDomainEvaluation {

  /** Texts per call to the classifier. */
  static final int BATCH = 64;

  /**
   * One model on one set.
   *
   * @param set the set's name
   * @param role whether the set may be used for choices or is reported only
   * @param n sentences scored
   * @param accuracy fraction right
   * @param f1 F1 of the positive class
   */
  public record SetScore(
      String set, OutOfDomainSets.Role role, int n, double accuracy, double f1) {}

  /**
   * One model on every set.
   *
   * @param model the model's id
   * @param sets one score per set, in {@link OutOfDomainSets#SETS} order
   */
  public record Result(String model, List<SetScore> sets) {

    /** Mean accuracy over the reported sets (the figure to compare models by). */
    public double reportedMeanAccuracy() {
      return sets.stream()
          .filter(s -> s.role() == OutOfDomainSets.Role.REPORTED)
          .mapToDouble(SetScore::accuracy)
          .average()
          .orElse(Double.NaN);
    }
  }

  /**
   * A model on a named suite, as {@code evaluate --suite NAME --json} prints it.
   *
   * @param model the model's id
   * @param suite the suite's name
   * @param sets one score per set
   * @param reportedMeanAccuracy {@link Result#reportedMeanAccuracy}
   */
  public record SuiteReport(
      String model,
      String suite,
      List<SetScore> sets,
      @JsonProperty("reported_mean_accuracy") double reportedMeanAccuracy) {

    /** A header, one line per set, then the mean accuracy over the reported sets. */
    public String summary() {
      StringBuilder summary =
          new StringBuilder(
              String.format(
                  Locale.ROOT,
                  "%s on the %s suite:%n  %-16s %-9s %6s %9s %7s%n",
                  model,
                  suite,
                  "set",
                  "role",
                  "n",
                  "accuracy",
                  "F1"));
      for (SetScore s : sets) {
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
              Locale.ROOT, "mean accuracy over the reported sets %.4f", reportedMeanAccuracy));
      return summary.toString();
    }
  }

  private OutOfDomainEvaluation() {}

  /**
   * Scores the bundle in {@code bundle} on the out-of-domain sets, found in {@code dirs} or fetched
   * into {@code cache} ({@link OutOfDomainSets#locateOrFetch}); the bundle's manifest is checked
   * first, so that a wrong bundle fails before any download.
   *
   * @param suite the suite's name, for the report
   * @param notes where notes on finding or fetching the sets go
   */
  public static SuiteReport suite(
      Path bundle, String suite, List<Path> dirs, Path cache, Consumer<String> notes) {
    Bundles.readManifest(bundle);
    List<OutOfDomainSets.LabeledSet> sets =
        OutOfDomainSets.read(OutOfDomainSets.locateOrFetch(dirs, cache, notes));
    Result result;
    try (ReviewClassifier classifier = Bundles.load(bundle)) {
      result = evaluate(classifier, sets);
    }
    return new SuiteReport(result.model(), suite, result.sets(), result.reportedMeanAccuracy());
  }

  /** Scores {@code classifier} on every set. */
  public static Result evaluate(
      ReviewClassifier classifier, List<OutOfDomainSets.LabeledSet> sets) {
    List<SetScore> scores = new ArrayList<>(sets.size());
    for (OutOfDomainSets.LabeledSet set : sets) {
      List<Review> reviews = set.reviews();
      int[] truth = reviews.stream().mapToInt(Review::label).toArray();
      int[] predicted = predict(classifier, reviews);
      Metrics.BinaryScores binary = Metrics.binary(truth, predicted);
      scores.add(
          new SetScore(
              set.info().name(),
              set.info().role(),
              reviews.size(),
              binary.accuracy(),
              binary.f1()));
    }
    return new Result(classifier.modelId(), List.copyOf(scores));
  }

  private static int[] predict(ReviewClassifier classifier, List<Review> reviews) {
    List<String> texts = reviews.stream().map(Review::text).toList();
    return BatchScorer.classify(classifier, texts, BATCH, BatchScorer.Order.INPUT, n -> {}).stream()
        .mapToInt(ReviewPrediction::label)
        .toArray();
  }
}
