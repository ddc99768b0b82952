package io.reelsense.model;

import java.util.Arrays;

/**
 * A model's class probabilities for one review, before they are turned into a {@link
 * ReviewPrediction}: what an ensemble averages.
 *
 * @param positive probability of the positive class
 * @param ratingClasses the star classes of {@code rating}, increasing; null when no rating head
 * @param rating probability of each star class; null when no rating head
 */
public record ReviewScores(double positive, int[] ratingClasses, double[] rating) {

  /** Ratings from this many stars up are positive (IMDb's convention). */
  public static final int POSITIVE_FROM_STARS = 7;

  public ReviewScores {
    if ((ratingClasses == null) != (rating == null)
        || (rating != null && rating.length != ratingClasses.length)) {
      throw new IllegalArgumentException("rating classes and probabilities differ in length");
    }
  }

  /** Whether a rating distribution is present. */
  public boolean hasRating() {
    return rating != null;
  }

  /** The probability mass of ratings 7 and up; 0 without a rating head. */
  public double positiveFromRating() {
    if (rating == null) {
      return 0;
    }
    double sum = 0;
    for (int k = 0; k < ratingClasses.length; k++) {
      if (ratingClasses[k] >= POSITIVE_FROM_STARS) {
        sum += rating[k];
      }
    }
    return sum;
  }

  /** Label = positive above 0.5; rating = the most probable star class (first one on ties). */
  public ReviewPrediction toPrediction() {
    int stars = 0;
    double starsProbability = 0;
    if (rating != null) {
      int best = 0;
      for (int k = 1; k < rating.length; k++) {
        if (rating[k] > rating[best]) {
          best = k;
        }
      }
      stars = ratingClasses[best];
      starsProbability = rating[best];
    }
    return new ReviewPrediction(positive > 0.5 ? 1 : 0, positive, stars, starsProbability);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReviewScores s
        && Double.compare(positive, s.positive) == 0
        && Arrays.equals(ratingClasses, s.ratingClasses)
        && Arrays.equals(rating, s.rating);
  }

  @Override
  public int hashCode() {
    return Double.hashCode(positive) * 31 + Arrays.hashCode(rating);
  }

  @Override
  public String toString() {
    return "ReviewScores[positive="
        + positive
        + ", ratingClasses="
        + Arrays.toString(ratingClasses)
        + ", rating="
        + Arrays.toString(rating)
        + "]";
  }
}
