package io.reelsense.eval;

import io.reelsense.model.BatchScorer;
import io.reelsense.model.ReviewClassifier;
import io.reelsense.model.ReviewPrediction;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The predictions a bundle makes offline (no Kafka) on the texts a replay sent: what every streamed
 * prediction must equal.
 */
public final class OfflinePredictions {

  private OfflinePredictions() {}

  /** Classifies every review's text with {@code classifier}, {@code batchSize} at a time, by id. */
  public static Map<String, ReviewPrediction> of(
      ReviewClassifier classifier, Collection<ReplayLedger.Expected> reviews, int batchSize) {
    List<ReplayLedger.Expected> all = new ArrayList<>(reviews);
    List<ReviewPrediction> predictions =
        BatchScorer.classify(
            classifier,
            all.stream().map(ReplayLedger.Expected::text).toList(),
            batchSize,
            BatchScorer.Order.INPUT,
            n -> {});
    Map<String, ReviewPrediction> out = new HashMap<>();
    for (int i = 0; i < all.size(); i++) {
      out.put(all.get(i).id(), predictions.get(i));
    }
    return out;
  }
}
