package io.reelsense.model.baseline;

import io.reelsense.model.ReviewPrediction;
import io.reelsense.model.ReviewScores;
import io.reelsense.model.ScoringClassifier;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Serves a {@link BaselineModel}: cleans each text, vectorizes it and applies the heads. With only
 * a rating head, the label is "rating ≥ 7" and the positive probability the mass of ratings 7-10.
 * Stateless between calls, so {@link #classify} is thread-safe.
 */
public final class BaselineClassifier implements ScoringClassifier {

  /** Ratings from this many stars up are positive (IMDb's convention). */
  public static final int POSITIVE_FROM_STARS = ReviewScores.POSITIVE_FROM_STARS;

  private final String modelId;
  private final UnaryOperator<String> cleaner;
  private final BaselineModel model;
  private final LinearHeads heads;

  /**
   * @param modelId what {@link #modelId()} returns
   * @param cleaner applied to each text before vectorizing (the bundle's cleaning profile)
   * @param model the fitted vectorizer and heads
   */
  public BaselineClassifier(String modelId, UnaryOperator<String> cleaner, BaselineModel model) {
    this.modelId = modelId;
    this.cleaner = cleaner;
    this.model = model;
    this.heads = new LinearHeads(model.sentiment(), model.rating());
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
    return heads.scores(x).toPrediction();
  }

  @Override
  public List<ReviewScores> score(List<String> texts) {
    List<ReviewScores> out = new ArrayList<>(texts.size());
    for (String text : texts) {
      out.add(heads.scores(model.vectorizer().transform(cleaner.apply(text == null ? "" : text))));
    }
    return out;
  }

  /**
   * How much of {@code text}, cleaned as it is before scoring, the vectorizer's vocabulary knows.
   */
  public TextCoverage coverage(String text) {
    return model.vectorizer().coverage(cleaner.apply(text == null ? "" : text));
  }

  @Override
  public List<String> tasks() {
    return heads.tasks();
  }

  /** Stateless between calls and the model is immutable. */
  @Override
  public boolean threadSafe() {
    return true;
  }

  @Override
  public void close() {
    // Nothing to release: the model lives on the heap.
  }
}
