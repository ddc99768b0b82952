package io.reelsense.eval;

import io.reelsense.data.OutOfDomainSets;
import io.reelsense.data.Review;
import io.reelsense.metrics.Metrics;
import io.reelsense.model.BatchScorer;
import io.reelsense.model.ReviewClassifier;
import io.reelsense.model.ReviewPrediction;
import java.util.ArrayList;
import java.util.List;

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

  private OutOfDomainEvaluation() {}

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
