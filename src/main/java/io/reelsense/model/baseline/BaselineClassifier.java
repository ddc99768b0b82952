package io.reelsense.model.baseline;

import io.reelsense.model.ReviewClassifier;
import io.reelsense.model.ReviewPrediction;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Serves a {@link BaselineModel}: cleans each text, vectorizes it and applies the heads. With only
 * a rating head, the label is "rating ≥ 7" and the positive probability the mass of ratings 7-10.
 * Stateless between calls, so {@link #classify} is thread-safe.
 */
public final class BaselineClassifier implements ReviewClassifier {

  /** Ratings from this many stars up are positive (IMDb's convention). */
  public static final int POSITIVE_FROM_STARS = 7;

  private final String modelId;
  private final UnaryOperator<String> cleaner;
  private final BaselineModel model;

  /**
   * @param modelId what {@link #modelId()} returns
   * @param cleaner applied to each text before vectorizing (the bundle's cleaning profile)
   * @param model the fitted vectorizer and heads
   */
  public BaselineClassifier(String modelId, UnaryOperator<String> cleaner, BaselineModel model) {
    this.modelId = modelId;
    this.cleaner = cleaner;
    this.model = model;
  }

  public BaselineModel model() {
    return model;
  }

  @Override
  public String modelId() {
    return modelId;
  }

  @Override
  public List<ReviewPrediction> classify(List<String> texts) {
    List<ReviewPrediction> out = new ArrayList<>(texts.size());
    for (String text : texts) {
      out.add(classifyOne(text));
    }
    return out;
  }

  /** Scores one text. */
  public ReviewPrediction classifyOne(String text) {
    return predict(model.vectorizer().transform(cleaner.apply(text == null ? "" : text)));
  }

  /** Scores an already cleaned and vectorized text. */
  public ReviewPrediction predict(SparseVector x) {
    int rating = 0;
    double ratingProbability = 0;
    double positiveFromRating = 0;
    if (model.rating() != null) {
      double[] p = model.rating().probabilities(x);
      int[] classes = model.rating().classes();
      int best = LinearModel.argmax(p);
      rating = classes[best];
      ratingProbability = p[best];
      for (int k = 0; k < classes.length; k++) {
        if (classes[k] >= POSITIVE_FROM_STARS) {
          positiveFromRating += p[k];
        }
      }
    }
    double positive;
    if (model.sentiment() != null) {
      double[] p = model.sentiment().probabilities(x);
      positive = p[indexOfPositive(model.sentiment().classes())];
    } else {
      positive = positiveFromRating;
    }
    int label = positive > 0.5 ? 1 : 0;
    return new ReviewPrediction(label, positive, rating, ratingProbability);
  }

  private static int indexOfPositive(int[] classes) {
    for (int k = 0; k < classes.length; k++) {
      if (classes[k] == 1) {
        return k;
      }
    }
    throw new IllegalStateException("sentiment head has no class 1 (positive)");
  }

  @Override
  public void close() {
    // Nothing to release: the model lives on the heap.
  }
}
