package io.reelsense.model.baseline;

import io.reelsense.model.ReviewScores;
import java.util.ArrayList;
import java.util.List;

/**
 * The sentiment and rating heads over one feature vector (TF-IDF features or an encoder's pooled
 * vector). With only a rating head, the positive probability is the mass of ratings 7-10.
 *
 * @param sentiment classes 0 (negative) and 1 (positive); null when absent
 * @param rating classes are stars (1-4, 7-10); null when absent
 */
public record LinearHeads(LinearModel sentiment, LinearModel rating) {

  public LinearHeads {
    if (sentiment == null && rating == null) {
      throw new IllegalArgumentException("a model needs a sentiment or a rating head");
    }
    if (sentiment != null && positiveIndex(sentiment) < 0) {
      throw new IllegalArgumentException("the sentiment head has no class 1 (positive)");
    }
    if (sentiment != null && rating != null && sentiment.dimension() != rating.dimension()) {
      throw new IllegalArgumentException(
          "sentiment head has "
              + sentiment.dimension()
              + " inputs, rating head "
              + rating.dimension());
    }
  }

  /** Number of input features. */
  public int dimension() {
    return sentiment != null ? sentiment.dimension() : rating.dimension();
  }

  /** The task names of the heads present, sentiment first. */
  public List<String> tasks() {
    List<String> tasks = new ArrayList<>(2);
    if (sentiment != null) {
      tasks.add("sentiment");
    }
    if (rating != null) {
      tasks.add("rating");
    }
    return tasks;
  }

  /** Class probabilities for one feature vector. */
  public ReviewScores scores(SparseVector x) {
    int[] classes = null;
    double[] stars = null;
    if (rating != null) {
      classes = rating.classes();
      stars = rating.probabilities(x);
    }
    double positive;
    if (sentiment != null) {
      positive = sentiment.probabilities(x)[positiveIndex(sentiment)];
    } else {
      positive = new ReviewScores(0, classes, stars).positiveFromRating();
    }
    return new ReviewScores(positive, classes, stars);
  }

  /** Class probabilities for a dense feature vector. */
  public ReviewScores scores(float[] dense) {
    return scores(SparseVector.dense(dense));
  }

  private static int positiveIndex(LinearModel head) {
    int[] classes = head.classes();
    for (int k = 0; k < classes.length; k++) {
      if (classes[k] == 1) {
        return k;
      }
    }
    return -1;
  }
}
