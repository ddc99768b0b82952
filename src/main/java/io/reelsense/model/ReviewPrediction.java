package io.reelsense.model;

/**
 * The prediction for one review.
 *
 * @param label 1 positive, 0 negative
 * @param positiveProbability probability of the positive class
 * @param rating predicted stars (1-4, 7-10); 0 when the model has no rating head
 * @param ratingProbability probability of the predicted rating; 0 when no rating head
 */
public record ReviewPrediction(
    int label, double positiveProbability, int rating, double ratingProbability) {}
