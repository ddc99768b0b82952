package io.reelsense.model;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link ReviewClassifier} that also gives its full class probabilities, so that several models
 * can be averaged (an ensemble) and the rating distribution can be inspected.
 */
public interface ScoringClassifier extends ReviewClassifier {

  /** Class probabilities per text, same size and order as {@code texts}. */
  List<ReviewScores> score(List<String> texts);

  /** The heads the model holds: {@code sentiment}, {@code rating} or both. */
  List<String> tasks();

  @Override
  default List<ReviewPrediction> classify(List<String> texts) {
    List<ReviewScores> scores = score(texts);
    List<ReviewPrediction> out = new ArrayList<>(scores.size());
    for (ReviewScores s : scores) {
      out.add(s.toPrediction());
    }
    return out;
  }
}
