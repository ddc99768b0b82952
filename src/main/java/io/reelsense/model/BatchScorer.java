package io.reelsense.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * The one batch scorer: runs a model over many inputs a batch at a time and gives the results back
 * in input order. Batches are cut either in input order or in order of length, so that a model that
 * pads each batch to its longest input (an encoder) pads little.
 */
public final class BatchScorer {

  /** How inputs are grouped into batches. */
  public enum Order {
    /** Consecutive inputs, as given. */
    INPUT,
    /** Shortest first (stable on ties), so each batch holds inputs of similar length. */
    BY_LENGTH
  }

  private BatchScorer() {}

  /**
   * Classifies {@code texts} with {@code classifier}, {@code batchSize} at a time.
   *
   * @param progress told the number of texts after each batch
   * @return one prediction per text, in the order of {@code texts}
   */
  public static List<ReviewPrediction> classify(
      ReviewClassifier classifier,
      List<String> texts,
      int batchSize,
      Order order,
      IntConsumer progress) {
    int[] lengths = texts.stream().mapToInt(t -> t == null ? 0 : t.length()).toArray();
    return run(
        lengths,
        batchSize,
        order,
        batch -> {
          List<String> part = new ArrayList<>(batch.length);
          for (int i : batch) {
            part.add(texts.get(i));
          }
          return classifier.classify(part);
        },
        classifier.modelId(),
        progress);
  }

  /**
   * Runs {@code scoreBatch} over batches of indices into {@code lengths} and puts its results back
   * in input order.
   *
   * @param lengths one length per input (tokens or characters; only compared)
   * @param scoreBatch the results of one batch of input indices, in the batch's order
   * @param what names the model in the error when a batch comes back with another size
   * @param progress told the batch's size after each batch
   */
  public static <R> List<R> run(
      int[] lengths,
      int batchSize,
      Order order,
      Function<int[], List<R>> scoreBatch,
      String what,
      IntConsumer progress) {
    Object[] out = new Object[lengths.length];
    for (int[] batch : batches(lengths, batchSize, order)) {
      List<R> scored = scoreBatch.apply(batch);
      if (scored.size() != batch.length) {
        throw new IllegalStateException(
            what + " returned " + scored.size() + " predictions for " + batch.length + " texts");
      }
      for (int k = 0; k < batch.length; k++) {
        out[batch[k]] = scored.get(k);
      }
      progress.accept(batch.length);
    }
    @SuppressWarnings("unchecked")
    List<R> results = (List<R>) Arrays.asList(out);
    return results;
  }

  /** The batches of indices into {@code lengths}, each at most {@code batchSize} long. */
  public static List<int[]> batches(int[] lengths, int batchSize, Order order) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
    }
    Integer[] indices = new Integer[lengths.length];
    Arrays.setAll(indices, i -> i);
    if (order == Order.BY_LENGTH) {
      Arrays.sort(indices, (a, b) -> Integer.compare(lengths[a], lengths[b]));
    }
    List<int[]> batches = new ArrayList<>();
    for (int from = 0; from < indices.length; from += batchSize) {
      int[] batch = new int[Math.min(batchSize, indices.length - from)];
      for (int k = 0; k < batch.length; k++) {
        batch[k] = indices[from + k];
      }
      batches.add(batch);
    }
    return batches;
  }
}
