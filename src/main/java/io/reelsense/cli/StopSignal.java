package io.reelsense.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * How a long-running command ({@code run}, {@code broker}) waits to be stopped: SIGTERM/Ctrl-C,
 * seen by a shutdown hook, or its {@code --run-for} limit. The hook holds the JVM's exit until the
 * command has closed what it runs and called {@link #release}, for at most {@code grace}.
 */
final class StopSignal {

  private final CountDownLatch stop = new CountDownLatch(1);
  private final CountDownLatch closed = new CountDownLatch(1);
  private final Thread hook;

  /**
   * @param name the shutdown hook thread's name
   * @param grace how long a SIGTERM waits for {@link #release} before the JVM exits anyway
   */
  StopSignal(String name, Duration grace) {
    hook =
        new Thread(
            () -> {
              stop.countDown();
              try {
                closed.await(grace.toMillis(), TimeUnit.MILLISECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            name);
  }

  /** Registers the shutdown hook: from now on SIGTERM/Ctrl-C ends {@link #await}. */
  void install() {
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Waits for SIGTERM/Ctrl-C, or at most {@code runForSeconds} when that is not null. */
  void await(Long runForSeconds) throws InterruptedException {
    if (runForSeconds == null) {
      stop.await();
    } else {
      stop.await(runForSeconds, TimeUnit.SECONDS);
    }
  }

  /** Everything is closed: a waiting shutdown goes on, and the hook is removed if not running. */
  void release() {
    closed.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException | IllegalArgumentException e) {
      // shutting down already (the hook is running), or the hook was never added
    }
  }
}
