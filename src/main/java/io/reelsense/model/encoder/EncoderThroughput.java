package io.reelsense.model.encoder;

import ai.djl.Device;
import io.reelsense.model.weights.BertCheckpoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * How many sequences per second an encoder turns into pooled vectors on a device, for a grid of
 * batch sizes, sequence lengths and precisions. Each cell runs full-length batches of random token
 * ids (no padding, so every token costs), one pass to warm up and then passes until at least {@code
 * minSeconds} have gone by (and at least {@code minPasses}); the time includes padding, the forward
 * pass, pooling and the copy of the vectors back to the Java heap, as serving does.
 */
public final class EncoderThroughput {

  private EncoderThroughput() {}

  /**
   * One cell of the grid.
   *
   * @param model the model's name
   * @param precision fp32 or fp16
   * @param batch sequences per forward pass
   * @param tokens tokens per sequence
   * @param passes timed forward passes
   * @param seconds their total time
   * @param sequencesPerSecond {@code passes * batch / seconds}
   * @param tokensPerSecond {@code sequencesPerSecond * tokens}
   * @param skipped why the cell did not run (empty when it ran)
   */
  public record Cell(
      String model,
      String precision,
      int batch,
      int tokens,
      int passes,
      double seconds,
      double sequencesPerSecond,
      double tokensPerSecond,
      String skipped) {

    static Cell skipped(String model, Precision p, int batch, int tokens, String why) {
      return new Cell(model, p.label(), batch, tokens, 0, 0, 0, 0, why);
    }
  }

  /** What to measure: every combination of the lists. */
  public record Grid(
      List<Integer> batches,
      List<Integer> tokens,
      List<Precision> precisions,
      int minPasses,
      double minSeconds) {}

  /**
   * Measures every cell of {@code grid} for one model on {@code device}. A cell longer than the
   * model's window, or in a precision the device does not run, or that fails (out of memory), is
   * reported as skipped with the reason, and the others still run.
   */
  public static List<Cell> measure(
      String model, BertCheckpoint checkpoint, Device device, Grid grid) {
    List<Cell> cells = new ArrayList<>();
    for (Precision p : grid.precisions()) {
      String refused = refusal(p, device);
      if (refused != null) {
        for (int b : grid.batches()) {
          for (int t : grid.tokens()) {
            cells.add(Cell.skipped(model, p, b, t, refused));
          }
        }
        continue;
      }
      try (BertEncoder encoder = BertEncoder.load(checkpoint, device, p)) {
        for (int b : grid.batches()) {
          for (int t : grid.tokens()) {
            cells.add(cell(model, encoder, b, t, grid));
          }
        }
      }
    }
    return cells;
  }

  private static String refusal(Precision p, Device device) {
    try {
      p.checkRunsOn(device);
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  private static Cell cell(String model, BertEncoder encoder, int batch, int tokens, Grid grid) {
    Precision p = encoder.precision();
    int window = encoder.config().maxLength();
    if (tokens > window) {
      return Cell.skipped(
          model, p, batch, tokens, tokens + " tokens exceed the model's " + window + " positions");
    }
    List<long[]> sequences =
        randomBatch(encoder, batch, tokens, new Random(batch * 1009L + tokens));
    try {
      encoder.embed(sequences, Pooling.CLS, false);
      int passes = 0;
      long started = System.nanoTime();
      double seconds = 0;
      while (passes < grid.minPasses() || seconds < grid.minSeconds()) {
        encoder.embed(sequences, Pooling.CLS, false);
        passes++;
        seconds = (System.nanoTime() - started) / 1e9;
      }
      double perSecond = passes * (double) batch / seconds;
      return new Cell(
          model, p.label(), batch, tokens, passes, seconds, perSecond, perSecond * tokens, "");
    } catch (RuntimeException e) {
      return Cell.skipped(model, p, batch, tokens, "failed: " + e.getMessage());
    }
  }

  /**
   * {@code batch} sequences of {@code tokens} random ids, above the first 1000 (the special and
   * unused tokens of the BERT vocabularies) when the vocabulary is that large, else above 5.
   */
  static List<long[]> randomBatch(BertEncoder encoder, int batch, int tokens, Random random) {
    int vocab = encoder.config().vocabSize();
    int low = vocab > 2000 ? 1000 : Math.min(5, vocab - 1);
    List<long[]> out = new ArrayList<>(batch);
    for (int i = 0; i < batch; i++) {
      long[] ids = new long[tokens];
      for (int t = 0; t < tokens; t++) {
        ids[t] = low + random.nextInt(vocab - low);
      }
      out.add(ids);
    }
    return out;
  }

  /** The sizes as a short description, e.g. {@code batches [1, 32] x tokens [128, 512]}. */
  public static String describe(Grid grid) {
    return "batches "
        + Arrays.toString(grid.batches().toArray())
        + " x tokens "
        + Arrays.toString(grid.tokens().toArray());
  }
}
