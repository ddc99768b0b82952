package io.reelsense.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The prediction for one review.
 *
 * @param label 1 positive, 0 negative
 * @param positiveProbability probability of the positive class
 * @param rating predicted stars (1-4, 7-10); 0 when the model has no rating head
 * @param ratingProbability probability of the predicted rating; 0 when no rating head
 */
public record ReviewPrediction(
    int label, double positiveProbability, int rating, double ratingProbability) {

  /**
   * The prediction as one output row of {@code reelsense classify}: id, label (positive or
   * negative), label_id, positive_probability, and rating and rating_probability when the model has
   * a rating head.
   */
  public Map<String, Object> row(String id) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("id", id);
    row.put("label", label == 1 ? "positive" : "negative");
    row.put("label_id", label);
    row.put("positive_probability", positiveProbability);
    if (rating != 0) {
      row.put("rating", rating);
      row.put("rating_probability", ratingProbability);
    }
    return row;
  }
}
