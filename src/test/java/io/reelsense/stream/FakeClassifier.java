package io.reelsense.stream;

import io.reelsense.model.ReviewClassifier;
import io.reelsense.model.ReviewPrediction;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A test model: "good" in the text → positive with rating 8, else negative with rating 2; a text
 * containing "explode" makes the whole batch fail. Records the size of every batch it saw.
 */
public final class FakeClassifier implements ReviewClassifier {

  public final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
  volatile boolean closed;

  @Override
  public String modelId() {
    return "fake@1";
  }

  @Override
  public List<ReviewPrediction> classify(List<String> texts) {
    batchSizes.add(texts.size());
    List<ReviewPrediction> out = new ArrayList<>();
    for (String t : texts) {
      if (t.contains("explode")) {
        throw new IllegalStateException("tensor shape mismatch");
      }
      boolean good = t.contains("good");
      out.add(new ReviewPrediction(good ? 1 : 0, good ? 0.9 : 0.1, good ? 8 : 2, 0.5));
    }
    return out;
  }

  @Override
  public void close() {
    closed = true;
  }
}
