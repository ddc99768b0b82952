package io.reelsense.train;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * Hooks of the fine-tuning loop, in the manner of DJL's {@code TrainingListener}: the loop trains,
 * and asks its listeners when to write a checkpoint or stop, and tells them what happened. Stop
 * requests, periodic checkpoints, a step limit and logging are listeners; the loop keeps the
 * training state (steps, losses, validation rows) that checkpoints hold.
 */
interface FineTuneListener {

  /** Why the loop stopped before the end. */
  enum Stop {
    /** a stop request (Ctrl-C) came before a batch */
    REQUESTED,
    /** the step limit was reached within an epoch */
    STEPS_IN_EPOCH,
    /** the step limit was reached at an epoch's end */
    STEPS_AT_EPOCH_END
  }

  /** Before a batch: whether to stop here, with a checkpoint. */
  default boolean stopRequested() {
    return false;
  }

  /** After an optimizer step that is not its epoch's last: whether to write a checkpoint. */
  default boolean checkpointAfter(int step) {
    return false;
  }

  /** After an optimizer step that is not its epoch's last: whether to stop, with a checkpoint. */
  default boolean stopAfter(int step) {
    return false;
  }

  /** After an epoch that is not the last (its checkpoint written): whether to stop. */
  default boolean stopAfterEpoch(int step) {
    return false;
  }

  /** An update was skipped: the loss or the gradient was not finite. */
  default void onSkippedStep(int step, float loss, float norm, List<String> nonFinite) {}

  /** The loop stopped before the end, its checkpoint written into {@code checkpoints}. */
  default void onStopped(Stop why, int step, Path checkpoints) {}

  /**
   * An epoch ended and was validated.
   *
   * @param epoch 1-based
   * @param trainLoss mean training loss over the epoch's steps run by this process (NaN for none)
   * @param lossSteps those steps
   * @param best whether its validation accuracy is the best so far
   */
  record EpochEnd(
      int epoch,
      int epochs,
      int step,
      double trainLoss,
      int lossSteps,
      double valAccuracy,
      boolean best,
      double examplesPerSecond) {}

  default void onEpochEnd(EpochEnd end) {}

  /** Stops when {@code requested} says so (Ctrl-C seen by a shutdown hook). */
  static FineTuneListener stopWhen(BooleanSupplier requested) {
    return new FineTuneListener() {
      @Override
      public boolean stopRequested() {
        return requested.getAsBoolean();
      }
    };
  }

  /** A checkpoint every {@code every} steps; none for 0. */
  static FineTuneListener checkpointEvery(int every) {
    return new FineTuneListener() {
      @Override
      public boolean checkpointAfter(int step) {
        return every > 0 && step % every == 0;
      }
    };
  }

  /** Stops once {@code limit} steps are done in all; never for 0. */
  static FineTuneListener stopAfterSteps(int limit) {
    return new FineTuneListener() {
      @Override
      public boolean stopAfter(int step) {
        return limit > 0 && step >= limit;
      }

      @Override
      public boolean stopAfterEpoch(int step) {
        return limit > 0 && step >= limit;
      }
    };
  }

  /** Tells {@code log} of skipped updates, stops and epochs' ends. */
  static FineTuneListener logTo(PrintWriter log) {
    return new FineTuneListener() {
      @Override
      public void onSkippedStep(int step, float loss, float norm, List<String> nonFinite) {
        log.printf(
            Locale.ROOT,
            "%nstep %d: loss %s, gradient norm %s%s; update skipped%n",
            step,
            loss,
            norm,
            nonFiniteIn(nonFinite));
        log.flush();
      }

      @Override
      public void onStopped(Stop why, int step, Path checkpoints) {
        String format =
            switch (why) {
              case REQUESTED -> "%nstopped at step %d; checkpoint %s (go on with --resume)%n";
              case STEPS_IN_EPOCH ->
                  "%nstopped after %d steps as asked; checkpoint %s (go on with --resume)%n";
              case STEPS_AT_EPOCH_END ->
                  "stopped after %d steps as asked; checkpoint %s (go on with --resume)%n";
            };
        log.printf(Locale.ROOT, format, step, checkpoints);
        log.flush();
      }

      @Override
      public void onEpochEnd(EpochEnd e) {
        log.printf(
            Locale.ROOT,
            "epoch %d/%d: step %d, mean training loss %.4f over %d steps, validation accuracy"
                + " %.4f%s, %.1f examples/s%n",
            e.epoch(),
            e.epochs(),
            e.step(),
            e.trainLoss(),
            e.lossSteps(),
            e.valAccuracy(),
            e.best() ? " (best so far)" : "",
            e.examplesPerSecond());
        log.flush();
      }
    };
  }

  /** Where a skipped step's gradient was not finite: the first few parameter names. */
  private static String nonFiniteIn(List<String> names) {
    if (names.isEmpty()) {
      return "";
    }
    int shown = Math.min(3, names.size());
    String more = names.size() > shown ? " and " + (names.size() - shown) + " more" : "";
    return " (not finite in " + String.join(", ", names.subList(0, shown)) + more + ")";
  }
}
