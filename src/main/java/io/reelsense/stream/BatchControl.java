package io.reelsense.stream;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Shared between the micro-batch processors of one application instance and whoever stops it:
 * counts the reviews waiting in all buffers and, on {@link #drain()}, makes every processor flush
 * its buffer at the next punctuation and score later arrivals at once, so that a clean shutdown
 * commits no open batch.
 */
public final class BatchControl {

  private final AtomicBoolean draining = new AtomicBoolean();
  private final AtomicLong pending = new AtomicLong();
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong scored = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();

  /** Asks every processor to flush now and to stop buffering. */
  public void drain() {
    draining.set(true);
  }

  public boolean draining() {
    return draining.get();
  }

  /** Reviews waiting in the buffers of this instance. */
  public long pending() {
    return pending.get();
  }

  /** Batches run by the model so far. */
  public long batches() {
    return batches.get();
  }

  /** Reviews scored so far. */
  public long scored() {
    return scored.get();
  }

  /** Reviews dead-lettered because their batch failed. */
  public long failed() {
    return failed.get();
  }

  /** Waits until the buffers are empty or {@code timeout} passes; true when empty. */
  public boolean awaitEmpty(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (pending.get() > 0) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(10);
    }
    return true;
  }

  public void buffered(long n) {
    pending.addAndGet(n);
  }

  public void flushed(int n, boolean ok) {
    pending.addAndGet(-n);
    batches.incrementAndGet();
    (ok ? scored : failed).addAndGet(n);
  }
}
