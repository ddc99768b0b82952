package io.reelsense.model;

import java.util.List;

/**
 * A model that scores review texts, seen from outside (the stream, replay, evaluate). It knows
 * nothing of Kafka: it takes a batch of texts and returns one prediction per text, in order.
 */
public interface ReviewClassifier extends AutoCloseable {

  /** Identifies the model and its version, e.g. {@code tfidf-lr@3f2a9c1}. */
  String modelId();

  /** Scores a batch; the result has the same size and order as {@code texts}. */
  List<ReviewPrediction> classify(List<String> texts);

  /**
   * Whether {@link #classify} may run on several threads at once (a model on the heap that keeps no
   * state between calls). False by default: callers then serialize the calls.
   */
  default boolean threadSafe() {
    return false;
  }

  @Override
  void close();
}
