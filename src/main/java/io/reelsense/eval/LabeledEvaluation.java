package io.reelsense.eval;

import io.reelsense.data.DataFormatException;
import io.reelsense.data.Review;
import io.reelsense.metrics.Metrics;
import io.reelsense.model.ReviewPrediction;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code reelsense evaluate}: a bundle's predictions on labeled reviews, scored. Accuracy, F1,
 * precision and recall of the positive class; when every review has a rating and the bundle a
 * rating head, also the exact-rating accuracy and the mean absolute error in stars.
 *
 * @param model the bundle's model id
 * @param source where the reviews come from, for the report
 * @param n reviews scored
 * @param scores the sentiment scores
 * @param ratingAccuracy the share of exactly right ratings, or {@code null} without ratings
 * @param mae the mean absolute rating error in stars, or {@code null} without ratings
 */
public record LabeledEvaluation(
    String model,
    String source,
    int n,
    Metrics.BinaryScores scores,
    Double ratingAccuracy,
    Double mae) {

  /**
   * Checks that there are reviews and that every one has a label, before anything is scored.
   *
   * @throws DataFormatException naming the first unlabeled review
   */
  public static void requireLabels(String source, List<Review> reviews) {
    if (reviews.isEmpty()) {
      throw new DataFormatException(source + " holds no reviews");
    }
    long unlabeled = reviews.stream().filter(r -> r.label() == null).count();
    if (unlabeled > 0) {
      Review first = reviews.stream().filter(r -> r.label() == null).findFirst().orElseThrow();
      throw new DataFormatException(
          source
              + ": "
              + unlabeled
              + " review(s) have no label (first: "
              + first.id()
              + "); evaluate needs a label on every review (use classify for unlabeled ones)");
    }
  }

  /** Scores {@code predictions} against the labels (and ratings) of {@code reviews}, in order. */
  public static LabeledEvaluation of(
      String model, String source, List<Review> reviews, List<ReviewPrediction> predictions) {
    int[] truth = reviews.stream().mapToInt(Review::label).toArray();
    int[] predicted = predictions.stream().mapToInt(ReviewPrediction::label).toArray();
    Metrics.BinaryScores scores = Metrics.binary(truth, predicted);
    boolean rated =
        reviews.stream().allMatch(r -> r.rating() != null)
            && predictions.stream().allMatch(p -> p.rating() != 0);
    if (!rated) {
      return new LabeledEvaluation(model, source, reviews.size(), scores, null, null);
    }
    int[] stars = reviews.stream().mapToInt(Review::rating).toArray();
    int[] predictedStars = predictions.stream().mapToInt(ReviewPrediction::rating).toArray();
    return new LabeledEvaluation(
        model,
        source,
        reviews.size(),
        scores,
        Metrics.accuracy(stars, predictedStars),
        Metrics.meanAbsoluteError(stars, predictedStars));
  }

  /**
   * {@code evaluate --json}: the scores, n, the rating figures when there are ratings, model,
   * input.
   */
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("accuracy", scores.accuracy());
    json.put("f1", scores.f1());
    json.put("precision", scores.precision());
    json.put("recall", scores.recall());
    json.put("n", n);
    if (ratingAccuracy != null) {
      json.put("rating_accuracy", ratingAccuracy);
      json.put("mae", mae);
    }
    json.put("model", model);
    json.put("input", source);
    return json;
  }

  /** One line of scores, and a line of rating figures when there are ratings. */
  public String summary() {
    String ratingLine =
        ratingAccuracy == null
            ? ""
            : String.format(
                Locale.ROOT, "%nrating accuracy %.4f   MAE %.3f stars", ratingAccuracy, mae);
    return String.format(
            Locale.ROOT,
            "%s on %s: %d reviews, accuracy %.4f, F1 %.4f (precision %.4f, recall %.4f)",
            model,
            source,
            n,
            scores.accuracy(),
            scores.f1(),
            scores.precision(),
            scores.recall())
        + ratingLine;
  }
}
