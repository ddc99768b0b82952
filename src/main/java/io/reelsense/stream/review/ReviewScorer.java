package io.reelsense.stream.review;

import io.reelsense.model.ReviewClassifier;
import io.reelsense.model.ReviewPrediction;
import io.reelsense.model.TextEmbedder;
import io.reelsense.model.encoder.EncoderClassifier;
import io.reelsense.stream.DeadLetters;
import io.reelsense.stream.StreamModels;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Scores the reviews of one stream micro-batch: the models behind {@link MicroBatchProcessor}, one
 * classifier and an optional embedder, shared by every stream thread. Each micro-batch goes to each
 * model in one call (the micro-batch is already the batch; cutting many inputs into batches, as the
 * offline commands do, is {@link io.reelsense.model.BatchScorer}'s job). Calls to one model are
 * serialized (one batch at a time) because a model is not assumed to be thread-safe and one
 * accelerator is best fed one batch at a time; the classifier and the embedder have separate locks
 * (one stream thread may embed while another classifies), and a classifier that declares itself
 * {@link ReviewClassifier#threadSafe() thread-safe} (the TF-IDF baseline) runs on every stream
 * thread at once. Checks that each call returns one result per text.
 *
 * <p>An encoder bundle can serve both: {@link #sharedEncoder} scores a batch with one pass of the
 * encoder, whose pooled vectors feed the heads and are the embeddings.
 */
public final class ReviewScorer implements AutoCloseable {

  private final ReviewClassifier classifier;
  private final TextEmbedder embedder;
  private final EncoderClassifier pooledEncoder;
  private final Object classifierLock = new Object();
  private final Object embedderLock = new Object();

  /**
   * @param classifier the sentiment model
   * @param embedder the encoder behind {@code review-embeddings}, or null for none
   */
  public ReviewScorer(ReviewClassifier classifier, TextEmbedder embedder) {
    this(classifier, embedder, null);
  }

  private ReviewScorer(
      ReviewClassifier classifier, TextEmbedder embedder, EncoderClassifier pooledEncoder) {
    this.classifier = classifier;
    this.embedder = embedder;
    this.pooledEncoder = pooledEncoder;
  }

  /**
   * The classifier of an encoder bundle (which the result owns from now on) with its pooled vectors
   * as the embeddings: {@link #score} encodes each batch once, for the heads and the embeddings.
   */
  public static ReviewScorer sharedEncoder(EncoderClassifier encoder) {
    return new ReviewScorer(encoder, null, encoder);
  }

  public String modelId() {
    return classifier.modelId();
  }

  public Optional<String> embedderId() {
    if (pooledEncoder != null) {
      return Optional.of(pooledEncoder.embedder().modelId());
    }
    return embedder == null ? Optional.empty() : Optional.of(embedder.modelId());
  }

  public boolean embeds() {
    return embedder != null || pooledEncoder != null;
  }

  /**
   * What one batch came to: a prediction per text, a vector per text (null when the scorer does not
   * embed), and the model time of each step (ns; a shared encoder's one pass counts as classify).
   */
  public record Scores(
      List<ReviewPrediction> predictions,
      List<float[]> vectors,
      long classifyNanos,
      long embedNanos) {}

  /**
   * A model failed on a batch: the dead-letter stage it failed in ({@link
   * DeadLetters#STAGE_CLASSIFY} or {@link DeadLetters#STAGE_EMBED}), the classify time spent when
   * it failed in the embed step (else -1), and the model's exception as the cause.
   */
  public static final class ModelFailure extends RuntimeException {
    private final String stage;
    private final long classifyNanos;

    ModelFailure(String stage, long classifyNanos, RuntimeException cause) {
      super(cause.getMessage(), cause);
      this.stage = stage;
      this.classifyNanos = classifyNanos;
    }

    public String stage() {
      return stage;
    }

    public long classifyNanos() {
      return classifyNanos;
    }
  }

  /**
   * Classifies a batch and, when the scorer embeds, embeds it: with a {@link #sharedEncoder} in one
   * pass of the encoder, else the classifier then the embedder.
   *
   * @throws ModelFailure when a model fails or answers with the wrong number of results
   */
  public Scores score(List<String> texts) {
    long t0 = System.nanoTime();
    if (pooledEncoder != null) {
      try {
        List<float[]> pooled = pooled(texts);
        List<ReviewPrediction> predictions = new ArrayList<>(pooled.size());
        for (float[] x : pooled) {
          predictions.add(pooledEncoder.heads().scores(x).toPrediction());
        }
        return new Scores(predictions, pooled, System.nanoTime() - t0, 0);
      } catch (RuntimeException e) {
        throw new ModelFailure(DeadLetters.STAGE_CLASSIFY, -1, e);
      }
    }
    List<ReviewPrediction> predictions;
    try {
      predictions = classify(texts);
    } catch (RuntimeException e) {
      throw new ModelFailure(DeadLetters.STAGE_CLASSIFY, -1, e);
    }
    long t1 = System.nanoTime();
    if (embedder == null) {
      return new Scores(predictions, null, t1 - t0, 0);
    }
    try {
      List<float[]> vectors = embed(texts);
      return new Scores(predictions, vectors, t1 - t0, System.nanoTime() - t1);
    } catch (RuntimeException e) {
      throw new ModelFailure(DeadLetters.STAGE_EMBED, t1 - t0, e);
    }
  }

  private List<float[]> pooled(List<String> texts) {
    return StreamModels.oneEach(
        pooledEncoder.pooled(texts), texts, "model " + classifier.modelId(), "vectors");
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
    return StreamModels.oneEach(out, texts, "model " + classifier.modelId(), "predictions");
  }

  /** Embeds a batch; throws when the encoder fails or answers with the wrong number of vectors. */
  public List<float[]> embed(List<String> texts) {
    if (pooledEncoder != null) {
      return pooled(texts);
    }
    if (embedder == null) {
      throw new IllegalStateException("no embedder configured");
    }
    List<float[]> out;
    synchronized (embedderLock) {
      out = embedder.embed(texts);
    }
    return StreamModels.oneEach(out, texts, "embedder " + embedder.modelId(), "vectors");
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
