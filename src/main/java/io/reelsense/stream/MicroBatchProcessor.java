package io.reelsense.stream;

import io.reelsense.avro.Review;
import io.reelsense.avro.ReviewEmbedding;
import io.reelsense.avro.ScoredReview;
import io.reelsense.model.ReviewPrediction;
import io.reelsense.stream.serve.StreamMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Buffers valid reviews and scores them in micro-batches: a batch runs when the buffer reaches
 * {@code batchSize} reviews, or on a wall-clock punctuation once its oldest review has waited
 * {@code maxWait}. The buffer is a persistent key-value store with a changelog (key: a zero-padded
 * arrival sequence number, so iteration is arrival order); an in-memory copy spares decoding at
 * flush time and is rebuilt from the store when the task starts.
 *
 * <p>Under exactly-once v2, the write of a review into the buffer, the offset commit of its input
 * record, and later the batch's outputs together with the deletion of its reviews from the buffer
 * each happen in a Kafka transaction, so a crash at any point neither loses a review nor emits it
 * twice (see {@code topology/TOPOLOGY.md}).
 *
 * <p>A batch is also cut short so that its model calls fit {@code flushBudget} (a share of the
 * transaction timeout and of {@code max.poll.interval.ms}): the {@link BatchScorer} keeps a moving
 * average of the model time per review, and a flush takes at most {@code flushBudget / that}
 * reviews, so a slow model on a slow machine gets smaller batches instead of an aborted
 * transaction. The rest waits for the next flush.
 *
 * <p>If the model (or the embedder) fails on a batch, every review of the batch goes to the
 * dead-letter topic with stage {@code classify} (or {@code embed}) and the reason, and the batch
 * leaves the buffer: the processor never crashes on a model error and never loses a review.
 */
final class MicroBatchProcessor implements Processor<String, PendingReview, String, StageOutput> {

  /** Zeros to pad an arrival sequence number to 19 digits (the width of {@code Long.MAX_VALUE}). */
  private static final String ZEROS = "0000000000000000000";

  /** Longest interval between two checks of the buffer (max wait reached, drain requested). */
  static final long MAX_TICK_MS = 200;

  private final String storeName;
  private final int batchSize;
  private final long maxWaitMs;
  private final long flushBudgetNanos;
  private final BatchScorer scorer;
  private final BatchControl control;
  private final StreamMetrics metrics;
  private final Map<String, PendingReview> buffer = new LinkedHashMap<>();
  private ProcessorContext<String, StageOutput> context;
  private KeyValueStore<String, PendingReview> store;
  private Cancellable punctuation;
  private long nextSeq;
  private long oldestBufferedAt = Long.MAX_VALUE;

  MicroBatchProcessor(
      String storeName,
      int batchSize,
      Duration maxWait,
      Duration flushBudget,
      BatchScorer scorer,
      BatchControl control,
      StreamMetrics metrics) {
    this.metrics = metrics;
    this.storeName = storeName;
    this.batchSize = batchSize;
    this.maxWaitMs = Math.max(1, maxWait.toMillis());
    this.flushBudgetNanos = Math.max(1, flushBudget.toNanos());
    this.scorer = scorer;
    this.control = control;
  }

  @Override
  public void init(ProcessorContext<String, StageOutput> context) {
    this.context = context;
    this.store = context.getStateStore(storeName);
    try (KeyValueIterator<String, PendingReview> it = store.all()) {
      while (it.hasNext()) {
        KeyValue<String, PendingReview> kv = it.next();
        buffer.put(kv.key, kv.value);
        nextSeq = Math.max(nextSeq, Long.parseLong(kv.key) + 1);
        oldestBufferedAt = Math.min(oldestBufferedAt, kv.value.bufferedAt());
      }
    }
    control.buffered(buffer.size());
    // at most MAX_TICK_MS, so that a drain (shutdown) flushes promptly even with a long max wait
    long interval = Math.max(1, Math.min(maxWaitMs / 4, MAX_TICK_MS));
    punctuation =
        context.schedule(Duration.ofMillis(interval), PunctuationType.WALL_CLOCK_TIME, this::tick);
  }

  @Override
  public void process(Record<String, PendingReview> record) {
    String key = key(nextSeq++);
    PendingReview p = record.value();
    store.put(key, p);
    buffer.put(key, p);
    oldestBufferedAt = Math.min(oldestBufferedAt, p.bufferedAt());
    control.buffered(1);
    if (buffer.size() >= batchLimit() || control.draining()) {
      flush();
    }
  }

  /** The most reviews one flush may take: the batch size, cut to what fits the flush budget. */
  int batchLimit() {
    double nanosPerReview = scorer.nanosPerReview();
    if (nanosPerReview <= 0) {
      return batchSize;
    }
    return (int) Math.max(1, Math.min(batchSize, flushBudgetNanos / nanosPerReview));
  }

  /** The store key of arrival number {@code seq}: zero-padded, so keys sort in arrival order. */
  static String key(long seq) {
    String digits = Long.toString(seq);
    return ZEROS.substring(digits.length()) + digits;
  }

  private void tick(long now) {
    if (!buffer.isEmpty() && (control.draining() || now - oldestBufferedAt >= maxWaitMs)) {
      flush();
    }
  }

  /**
   * Scores the oldest {@link #batchLimit()} reviews of the buffer as one batch, forwards the
   * results and removes them from the buffer.
   */
  private void flush() {
    int limit = batchLimit();
    List<String> keys = new ArrayList<>(Math.min(limit, buffer.size()));
    List<PendingReview> batch = new ArrayList<>(Math.min(limit, buffer.size()));
    Iterator<Map.Entry<String, PendingReview>> taken = buffer.entrySet().iterator();
    while (taken.hasNext() && batch.size() < limit) {
      Map.Entry<String, PendingReview> e = taken.next();
      keys.add(e.getKey());
      batch.add(e.getValue());
      taken.remove();
    }
    List<String> texts = new ArrayList<>(batch.size());
    for (PendingReview p : batch) {
      texts.add(p.review().getText());
    }
    String stage = DeadLetters.STAGE_CLASSIFY;
    List<ReviewPrediction> predictions = null;
    List<float[]> vectors = null;
    String failure = null;
    metrics.batch(batch.size());
    long t0 = System.nanoTime();
    double inferenceMs = 0;
    try {
      predictions = scorer.classify(texts);
      long t1 = System.nanoTime();
      inferenceMs = (t1 - t0) / 1e6;
      metrics.inference(DeadLetters.STAGE_CLASSIFY, t1 - t0);
      if (scorer.embeds()) {
        stage = DeadLetters.STAGE_EMBED;
        vectors = scorer.embed(texts);
        metrics.inference(DeadLetters.STAGE_EMBED, System.nanoTime() - t1);
      }
      scorer.timed(System.nanoTime() - t0, batch.size());
    } catch (RuntimeException e) {
      failure = DeadLetters.reason(e);
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
    for (String k : keys) {
      // put(k, null) deletes without reading (and decoding) the old value, as delete(k) would
      store.put(k, null);
    }
    oldestBufferedAt = Long.MAX_VALUE;
    for (PendingReview p : buffer.values()) {
      oldestBufferedAt = Math.min(oldestBufferedAt, p.bufferedAt());
    }
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
    if (punctuation != null) {
      punctuation.cancel();
    }
    // The reviews stay in the changelogged store; whoever gets the task next scores them.
    control.buffered(-buffer.size());
    buffer.clear();
  }
}
