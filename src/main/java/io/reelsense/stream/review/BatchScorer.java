package io.reelsense.stream.review;

import io.reelsense.model.ReviewClassifier;
import io.reelsense.model.ReviewPrediction;
import io.reelsense.model.TextEmbedder;
import java.util.List;
import java.util.Optional;

/**
 * The models behind the micro-batch processors: one classifier and an optional embedder, shared by
 * every stream thread. Calls to one model are serialized (one batch at a time) because a model is
 * not assumed to be thread-safe and one accelerator is best fed one batch at a time; the classifier
 * and the embedder have separate locks (one stream thread may embed while another classifies), and
 * a classifier that declares itself {@link ReviewClassifier#threadSafe() thread-safe} (the TF-IDF
 * baseline) runs on every stream thread at once. Checks that each call returns one result per text.
 */
public final class BatchScorer implements AutoCloseable {

  private final ReviewClassifier classifier;
  private final TextEmbedder embedder;
  private final Object classifierLock = new Object();
  private final Object embedderLock = new Object();

  /** Moving average of the model time (classifier + embedder) per review, ns; 0 = not yet timed. */
  private volatile double nanosPerReview;

  /** Weight of the newest batch in {@link #nanosPerReview}. */
  private static final double SMOOTHING = 0.3;

  /**
   * @param classifier the sentiment model
   * @param embedder the encoder behind {@code review-embeddings}, or null for none
   */
  public BatchScorer(ReviewClassifier classifier, TextEmbedder embedder) {
    this.classifier = classifier;
    this.embedder = embedder;
  }

  public String modelId() {
    return classifier.modelId();
  }

  public Optional<String> embedderId() {
    return embedder == null ? Optional.empty() : Optional.of(embedder.modelId());
  }

  public boolean embeds() {
    return embedder != null;
  }

  /** Scores a batch; throws when the model fails or answers with the wrong number of results. */
  public List<ReviewPrediction> classify(List<String> texts) {
    List<ReviewPrediction> out;
    if (classifier.threadSafe()) {
      out = classifier.classify(texts);
    } else {
      synchronized (classifierLock) {
        out = classifier.classify(texts);
      }
    }
    if (out == null || out.size() != texts.size()) {
      throw new IllegalStateException(
          "model "
              + classifier.modelId()
              + " returned "
              + (out == null ? "nothing" : out.size() + " predictions")
              + " for "
              + texts.size()
              + " texts");
    }
    return out;
  }

  /** Embeds a batch; throws when the encoder fails or answers with the wrong number of vectors. */
  public List<float[]> embed(List<String> texts) {
    if (embedder == null) {
      throw new IllegalStateException("no embedder configured");
    }
    List<float[]> out;
    synchronized (embedderLock) {
      out = embedder.embed(texts);
    }
    if (out == null || out.size() != texts.size()) {
      throw new IllegalStateException(
          "embedder "
              + embedder.modelId()
              + " returned "
              + (out == null ? "nothing" : out.size() + " vectors")
              + " for "
              + texts.size()
              + " texts");
    }
    return out;
  }

  /**
   * Records that a batch of {@code size} reviews took {@code nanos} in the models. Kept here, with
   * the models, rather than in a processor: it is the same on every stream thread, and it survives
   * a task being closed and re-created (e.g. after a fenced transaction), so that the next try of a
   * too-slow batch is cut to size.
   */
  public synchronized void timed(long nanos, int size) {
    if (size < 1) {
      return;
    }
    double perReview = (double) nanos / size;
    double old = nanosPerReview;
    nanosPerReview = old <= 0 ? perReview : SMOOTHING * perReview + (1 - SMOOTHING) * old;
  }

  /** Moving average of the model time per review, ns; 0 until a batch has been timed. */
  public double nanosPerReview() {
    return nanosPerReview;
  }

  @Override
  public void close() {
    try {
      classifier.close();
    } finally {
      if (embedder != null) {
        embedder.close();
      }
    }
  }
}
