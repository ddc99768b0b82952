package io.reelsense.train;

import io.reelsense.metrics.ConfusionMatrix;
import io.reelsense.metrics.Metrics;
import io.reelsense.metrics.Scores;
import io.reelsense.model.ReviewPrediction;
import java.util.List;

/**
 * Predictions of a model on labeled reviews, and the figures computed from them.
 *
 * @param labels true sentiment (0/1)
 * @param predictedLabels predicted sentiment
 * @param stars true ratings; null when unknown
 * @param predictedStars predicted ratings; null when the model has no rating head
 */
public record Evaluation(int[] labels, int[] predictedLabels, int[] stars, int[] predictedStars) {

  /** The rating classes of IMDb. */
  public static final int[] STAR_CLASSES = {1, 2, 3, 4, 7, 8, 9, 10};

  /** Pairs truths with a model's predictions (same order). */
  public static Evaluation of(int[] labels, int[] stars, List<ReviewPrediction> predictions) {
    int[] predictedLabels = predictions.stream().mapToInt(ReviewPrediction::label).toArray();
    boolean hasRating = !predictions.isEmpty() && predictions.get(0).rating() != 0;
    int[] predictedStars =
        hasRating ? predictions.stream().mapToInt(ReviewPrediction::rating).toArray() : null;
    return new Evaluation(labels, predictedLabels, stars, predictedStars);
  }

  /**
   * The reported figures of a model validated on {@code validation} and scored on {@code test}; the
   * rating figures when the test predictions have ratings.
   */
  public static Scores scores(Evaluation validation, Evaluation test) {
    Scores.RatingScores rating =
        test.hasRating()
            ? new Scores.RatingScores(
                test.ratingAccuracy(),
                test.ratingMae(),
                test.ratingMacroF1(),
                test.ratingImpliedAccuracy(),
                validation.ratingAccuracy(),
                validation.ratingMae())
            : null;
    return new Scores(test.accuracy(), test.f1(), validation.accuracy(), validation.f1(), rating);
  }

  public int size() {
    return labels.length;
  }

  public double accuracy() {
    return Metrics.accuracy(labels, predictedLabels);
  }

  public double f1() {
    return Metrics.binary(labels, predictedLabels).f1();
  }

  public ConfusionMatrix sentimentConfusion() {
    return ConfusionMatrix.of(new int[] {0, 1}, labels, predictedLabels);
  }

  /** Whether rating figures can be computed. */
  public boolean hasRating() {
    return stars != null && predictedStars != null;
  }

  public double ratingAccuracy() {
    return Metrics.accuracy(stars, predictedStars);
  }

  public double ratingMacroF1() {
    return Metrics.macroF1(STAR_CLASSES, stars, predictedStars);
  }

  public double ratingMae() {
    return Metrics.meanAbsoluteError(stars, predictedStars);
  }

  public double ratingImpliedAccuracy() {
    return Metrics.impliedBinaryAccuracy(stars, predictedStars);
  }

  public ConfusionMatrix ratingConfusion() {
    return ConfusionMatrix.of(STAR_CLASSES, stars, predictedStars);
  }
}
