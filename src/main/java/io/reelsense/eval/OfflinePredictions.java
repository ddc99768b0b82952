package io.reelsense.eval;

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
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
    }
    Map<String, ReviewPrediction> out = new HashMap<>();
    List<ReplayLedger.Expected> batch = new ArrayList<>(batchSize);
    for (ReplayLedger.Expected e : reviews) {
      batch.add(e);
      if (batch.size() == batchSize) {
        classify(classifier, batch, out);
      }
    }
    classify(classifier, batch, out);
    return out;
  }

  private static void classify(
      ReviewClassifier classifier,
      List<ReplayLedger.Expected> batch,
      Map<String, ReviewPrediction> out) {
    if (batch.isEmpty()) {
      return;
    }
    List<String> texts = batch.stream().map(ReplayLedger.Expected::text).toList();
    List<ReviewPrediction> predictions = classifier.classify(texts);
    if (predictions.size() != texts.size()) {
      throw new IllegalStateException(
          classifier.modelId()
              + " returned "
              + predictions.size()
              + " predictions for "
              + texts.size()
              + " texts");
    }
    for (int i = 0; i < batch.size(); i++) {
      out.put(batch.get(i).id(), predictions.get(i));
    }
    batch.clear();
  }
}
