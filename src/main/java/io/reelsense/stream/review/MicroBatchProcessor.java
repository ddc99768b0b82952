package io.reelsense.stream.review;

import io.reelsense.avro.Review;
import io.reelsense.avro.ReviewEmbedding;
import io.reelsense.avro.ScoredReview;
import io.reelsense.model.ReviewPrediction;
import io.reelsense.stream.BatchControl;
import io.reelsense.stream.BatchSizer;
import io.reelsense.stream.DeadLetters;
import io.reelsense.stream.MicroBatchBuffer;
import io.reelsense.stream.serve.StreamMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Buffers valid reviews and scores them in micro-batches: a batch runs when the buffer reaches the
 * batch limit ({@link BatchSizer#limit()}), or on a wall-clock punctuation once its oldest review
 * has waited {@code maxWait}. The buffer is a {@link MicroBatchBuffer} in arrival order: a
 * persistent key-value store with a changelog and an in-memory copy, rebuilt from the store when
 * the task starts.
 *
 * <p>Under exactly-once v2, the write of a review into the buffer, the offset commit of its input
 * record, and later the batch's outputs together with the deletion of its reviews from the buffer
 * each happen in a Kafka transaction, so a crash at any point neither loses a review nor emits it
 * twice (see {@code topology/TOPOLOGY.md}).
 *
 * <p>A batch is also cut short so that its model calls fit the flush time limit (a share of the
 * transaction timeout and of {@code max.poll.interval.ms}): a flush takes at most {@link
 * BatchSizer#limit()} reviews, so a slow model on a slow machine gets smaller batches instead of an
 * aborted transaction. The rest waits for the next flush.
 *
 * <p>If the model (or the embedder) fails on a batch, every review of the batch goes to the
 * dead-letter topic with stage {@code classify} (or {@code embed}) and the reason, and the batch
 * leaves the buffer: the processor never crashes on a model error and never loses a review.
 */
final class MicroBatchProcessor implements Processor<String, PendingReview, String, StageOutput> {

  private final BatchSizer sizer;
  private final ReviewScorer scorer;
  private final BatchControl control;
  private final StreamMetrics metrics;
  private final MicroBatchBuffer<PendingReview> buffer;
  private ProcessorContext<String, StageOutput> context;

  MicroBatchProcessor(
      String storeName,
      BatchSizer sizer,
      Duration maxWait,
      ReviewScorer scorer,
      BatchControl control,
      StreamMetrics metrics) {
    this.metrics = metrics;
    this.buffer = MicroBatchBuffer.inArrivalOrder(storeName, maxWait, PendingReview::bufferedAt);
    this.sizer = sizer;
    this.scorer = scorer;
    this.control = control;
  }

  @Override
  public void init(ProcessorContext<String, StageOutput> context) {
    this.context = context;
    buffer.restore(context);
    control.buffered(buffer.size());
    buffer.schedule(context, this::tick);
  }

  @Override
  public void process(Record<String, PendingReview> record) {
    buffer.append(record.value());
    control.buffered(1);
    if (buffer.size() >= sizer.limit() || control.draining()) {
      flush();
    }
  }

  private void tick(long now) {
    if (buffer.due(now, control.draining())) {
      flush();
    }
  }

  /**
   * Scores the oldest {@link BatchSizer#limit()} reviews of the buffer as one batch, forwards the
   * results and removes them from the buffer.
   */
  private void flush() {
    MicroBatchBuffer.Batch<PendingReview> taken = buffer.take(sizer.limit());
    List<PendingReview> batch = taken.values();
    List<String> texts = new ArrayList<>(batch.size());
    for (PendingReview p : batch) {
      texts.add(p.review().getText());
    }
    String stage = null;
    List<ReviewPrediction> predictions = null;
    List<float[]> vectors = null;
    String failure = null;
    metrics.batch(batch.size());
    double inferenceMs = 0;
    try {
      ReviewScorer.Scores s = scorer.score(texts);
      predictions = s.predictions();
      vectors = s.vectors();
      inferenceMs = s.classifyNanos() / 1e6;
      metrics.inference(DeadLetters.STAGE_CLASSIFY, s.classifyNanos());
      if (vectors != null) {
        metrics.inference(DeadLetters.STAGE_EMBED, s.embedNanos());
      }
      sizer.timed(s.classifyNanos() + s.embedNanos(), batch.size());
    } catch (ReviewScorer.ModelFailure e) {
      stage = e.stage();
      if (e.classifyNanos() >= 0) {
        metrics.inference(DeadLetters.STAGE_CLASSIFY, e.classifyNanos());
      }
      failure = DeadLetters.reason(e.getCause());
    }
    // Forwarding happens outside the try: an error of the producer (e.g. a fenced transaction)
    // must reach Kafka Streams, not be mistaken for a model failure.
    long now = context.currentSystemTimeMs();
    for (int i = 0; i < batch.size(); i++) {
      PendingReview p = batch.get(i);
      Review r = p.review();
      Record<String, StageOutput> out = new Record<>(r.getReviewId(), null, p.receivedAt());
      if (failure != null) {
        context.forward(
            out.withValue(new StageOutput.Rejected(p.origin().deadLetter(stage, failure, now))));
        continue;
      }
      context.forward(
          out.withValue(
              new StageOutput.Scored(
                  scored(r, p, predictions.get(i), now, batch.size(), inferenceMs))));
      if (vectors != null) {
        context.forward(out.withValue(new StageOutput.Embedded(embedding(r, vectors.get(i)))));
      }
    }
    boolean ok = failure == null;
    buffer.release(taken);
    control.flushed(batch.size(), ok);
  }

  private ScoredReview scored(
      Review r,
      PendingReview p,
      ReviewPrediction pred,
      long scoredAt,
      int size,
      double inferenceMs) {
    return ScoredReview.newBuilder()
        .setReviewId(r.getReviewId())
        .setFilmId(r.getFilmId())
        .setLabel(pred.label())
        .setLabelName(pred.label() == 1 ? "positive" : "negative")
        .setPositiveProbability(pred.positiveProbability())
        .setRating(pred.rating())
        .setRatingProbability(pred.ratingProbability())
        .setModelId(scorer.modelId())
        .setEventTime(r.getEventTime())
        .setReceivedAt(Instant.ofEpochMilli(p.receivedAt()))
        .setScoredAt(Instant.ofEpochMilli(scoredAt))
        .setBatchSize(size)
        .setInferenceMs(inferenceMs)
        .build();
  }

  private ReviewEmbedding embedding(Review r, float[] vector) {
    List<Float> v = new ArrayList<>(vector.length);
    for (float f : vector) {
      v.add(f);
    }
    return ReviewEmbedding.newBuilder()
        .setReviewId(r.getReviewId())
        .setFilmId(r.getFilmId())
        .setModel(scorer.embedderId().orElse(""))
        .setVector(v)
        .build();
  }

  @Override
  public void close() {
    // The reviews stay in the changelogged store; whoever gets the task next scores them.
    control.buffered(-buffer.forget());
  }
}
