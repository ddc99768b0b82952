package io.reelsense.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures every trainer reports on the validation split (the held-out 20 % of the official
 * train split) and on the official test split: sentiment accuracy and F1, and, when the model has a
 * rating head, the rating figures. One rounding ({@link #round}) and one set of JSON keys ({@link
 * #toJson}) for every trainer, report and command.
 *
 * @param testAccuracy sentiment accuracy on test
 * @param testF1 F1 of the positive class on test
 * @param valAccuracy sentiment accuracy on validation
 * @param valF1 F1 of the positive class on validation
 * @param rating the rating figures; null when the model has no rating head
 */
public record Scores(
    double testAccuracy, double testF1, double valAccuracy, double valF1, RatingScores rating) {

  /**
   * The figures of a rating head (stars 1-4 and 7-10).
   *
   * @param testAccuracy exact-star accuracy on test
   * @param testMae mean absolute error in stars on test
   * @param testMacroF1 unweighted mean of the per-star F1 on test
   * @param testImpliedAccuracy sentiment accuracy on test when "rating >= 7" counts as positive
   * @param valAccuracy exact-star accuracy on validation
   * @param valMae mean absolute error in stars on validation
   */
  public record RatingScores(
      double testAccuracy,
      double testMae,
      double testMacroF1,
      double testImpliedAccuracy,
      double valAccuracy,
      double valMae) {}

  /** Whether the rating figures are there. */
  public boolean hasRating() {
    return rating != null;
  }

  /** The one rounding of reported figures: 5 decimals. */
  public static double round(double v) {
    return Math.round(v * 1e5) / 1e5;
  }

  /** The one rounding of reported durations: tenths of a second. */
  public static double roundSeconds(double seconds) {
    return Math.round(seconds * 10) / 10.0;
  }

  /**
   * The figures under their JSON keys, rounded, in report order: {@code test_accuracy}, {@code
   * test_f1}, {@code val_accuracy}, {@code val_f1}, then (with a rating head) {@code
   * test_rating_accuracy}, {@code test_mae}, {@code test_rating_macro_f1}, {@code
   * test_rating_implied_accuracy}, {@code val_rating_accuracy}, {@code val_mae}.
   */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("test_accuracy", round(testAccuracy));
    m.put("test_f1", round(testF1));
    m.put("val_accuracy", round(valAccuracy));
    m.put("val_f1", round(valF1));
    if (rating != null) {
      m.put("test_rating_accuracy", round(rating.testAccuracy()));
      m.put("test_mae", round(rating.testMae()));
      m.put("test_rating_macro_f1", round(rating.testMacroF1()));
      m.put("test_rating_implied_accuracy", round(rating.testImpliedAccuracy()));
      m.put("val_rating_accuracy", round(rating.valAccuracy()));
      m.put("val_mae", round(rating.valMae()));
    }
    return m;
  }

  /**
   * Reads back what {@link #toJson} wrote (e.g. from a bundle manifest); the rating figures when
   * {@code test_rating_accuracy} is there.
   *
   * @throws IllegalArgumentException when a sentiment figure is missing or not a number
   */
  public static Scores fromJson(Map<String, ?> json) {
    RatingScores rating = null;
    if (json.containsKey("test_rating_accuracy")) {
      rating =
          new RatingScores(
              number(json, "test_rating_accuracy"),
              number(json, "test_mae"),
              number(json, "test_rating_macro_f1"),
              number(json, "test_rating_implied_accuracy"),
              number(json, "val_rating_accuracy"),
              number(json, "val_mae"));
    }
    return new Scores(
        number(json, "test_accuracy"),
        number(json, "test_f1"),
        number(json, "val_accuracy"),
        number(json, "val_f1"),
        rating);
  }

  private static double number(Map<String, ?> json, String key) {
    if (json.get(key) instanceof Number n) {
      return n.doubleValue();
    }
    throw new IllegalArgumentException("figure '" + key + "' is missing or not a number");
  }
}
