package io.reelsense.cli;

import io.reelsense.eval.Demo;
import io.reelsense.train.Progress;
import java.io.PrintWriter;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/** What {@code replay} and {@code demo} share: the replay's progress bar. */
final class ReplayRun {

  private ReplayRun() {}

  /** The replay's progress bar on {@code err} (nothing without {@code progress}). */
  static Demo.Meter meter(PrintWriter err, int total, boolean progress) {
    ProgressBar bar = progress ? bar(err, total) : null;
    return new Demo.Meter() {
      @Override
      public void progress(int sent, int accounted, int all) {
        if (bar != null) {
          bar.stepTo(accounted);
          bar.setExtraMessage(" sent " + sent);
        }
      }

      @Override
      public void accept(long units) {
        if (bar != null) {
          bar.stepBy(units);
        }
      }

      @Override
      public void close() {
        if (bar != null) {
          bar.close();
        }
      }
    };
  }

  private static ProgressBar bar(PrintWriter err, int total) {
    return new ProgressBarBuilder()
        .setTaskName("replay")
        .setInitialMax(total)
        .setUnit(" reviews", 1)
        .showSpeed()
        .setUpdateIntervalMillis(250)
        .setConsumer(new Progress.WriterConsumer(err))
        .build();
  }
}
