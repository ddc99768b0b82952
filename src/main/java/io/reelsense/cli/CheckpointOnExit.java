package io.reelsense.cli;

import io.reelsense.train.FineTuneJob;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ctrl-C (or SIGTERM) during fine-tuning: a shutdown hook asks the trainer to stop, and holds the
 * JVM's exit until the trainer has written its checkpoint and returned (at most 5 minutes).
 */
final class CheckpointOnExit implements FineTuneJob.Stop {

  private final AtomicBoolean stop = new AtomicBoolean();
  private final CountDownLatch done = new CountDownLatch(1);
  private final Thread hook;

  private CheckpointOnExit() {
    hook =
        new Thread(
            () -> {
              stop.set(true);
              try {
                done.await(5, TimeUnit.MINUTES);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "fine-tune-checkpoint-on-exit");
  }

  /** A stop request whose shutdown hook is registered. */
  static CheckpointOnExit install() {
    CheckpointOnExit s = new CheckpointOnExit();
    Runtime.getRuntime().addShutdownHook(s.hook);
    return s;
  }

  @Override
  public boolean getAsBoolean() {
    return stop.get();
  }

  /** The trainer returned: a waiting exit goes on; the hook goes unless it is running. */
  @Override
  public void close() {
    done.countDown();
    if (!stop.get()) {
      Runtime.getRuntime().removeShutdownHook(hook);
    }
  }
}
