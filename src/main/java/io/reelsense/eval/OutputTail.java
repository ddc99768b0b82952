package io.reelsense.eval;

import io.reelsense.stream.ReelsenseConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code reelsense tail}: follows the outputs of an {@link OutputReader} until enough records have
 * come, the time is up or the JVM is asked to stop (Ctrl-C wakes the reader), handing each record
 * on as it comes.
 *
 * @param scored scores read
 * @param dlq dead letters read
 * @param unreadable records that could not be read
 */
public record OutputTail(int scored, int dlq, int unreadable) {

  /** How long one poll waits at most, so that the deadline and Ctrl-C are seen soon. */
  private static final Duration POLL = Duration.ofMillis(500);

  /**
   * Opens a reader of the scored topic (and the dead letters with {@code dlq}) and reads until
   * {@code max} records, the {@code timeout} (counted from the call, connecting included) or an
   * interrupt.
   *
   * @param max records to read at most, or {@code null} for no limit
   * @param timeout how long to follow, or {@code null} for no limit
   * @param sink gets each record, in order
   * @param flush called after each poll that returned
   * @throws EvalException when the reader cannot start: the cluster or a topic is missing
   */
  public static OutputTail follow(
      ReelsenseConfig config,
      boolean dlq,
      OutputReader.Start start,
      Integer max,
      Duration timeout,
      Consumer<OutputReader.Output> sink,
      Runnable flush) {
    long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
    OutputReader reader =
        OutputReader.open(
            config, true, dlq, start, timeout == null ? Duration.ofSeconds(30) : timeout);
    int scored = 0;
    int letters = 0;
    int unreadable = 0;
    Thread hook = new Thread(reader::wakeup, "reelsense-tail-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    boolean stopped = false;
    try (reader) {
      while (!stopped && (max == null || scored + letters + unreadable < max)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        var batch = reader.poll(Duration.ofNanos(Math.min(left, POLL.toNanos())));
        for (OutputReader.Output o : batch) {
          if (max != null && scored + letters + unreadable >= max) {
            break;
          }
          if (o instanceof OutputReader.Score) {
            scored++;
          } else if (o instanceof OutputReader.Letter) {
            letters++;
          } else {
            unreadable++;
          }
          sink.accept(o);
        }
        flush.run();
        stopped = Thread.currentThread().isInterrupted();
      }
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is already exiting: the hook has run
      }
    }
    return new OutputTail(scored, letters, unreadable);
  }

  /** The closing line of {@code tail}. */
  public String summary() {
    return String.format("-- %d scored, %d dead letters, %d unreadable", scored, dlq, unreadable);
  }

  /** {@code tail --json}'s closing object: scored, dlq and unreadable. */
  public Map<String, Object> toJson() {
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("scored", scored);
    summary.put("dlq", dlq);
    summary.put("unreadable", unreadable);
    return summary;
  }
}
