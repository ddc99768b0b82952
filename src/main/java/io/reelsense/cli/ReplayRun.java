package io.reelsense.cli;

import io.reelsense.data.Review;
import io.reelsense.eval.Demo;
import io.reelsense.eval.Replay;
import io.reelsense.eval.ReplayLedger;
import io.reelsense.eval.ReplayReport;
import io.reelsense.eval.ReplayResult;
import io.reelsense.stream.ReelsenseConfig;
import io.reelsense.train.Progress;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * What {@code replay} and {@code demo} share: replay with a progress bar, score, report, summary.
 */
final class ReplayRun {

  private ReplayRun() {}

  /** The outcome: the result and where the report went. */
  record Outcome(ReplayResult result, Path html) {}

  /**
   * Replays {@code reviews} through the cluster of {@code config}; with {@code bundle}, compares
   * every streamed prediction with the bundle's offline one; writes the report into {@code
   * reportDir}.
   */
  static Outcome run(
      ReelsenseConfig config,
      List<Review> reviews,
      Replay.Options options,
      Path bundle,
      Path reportDir,
      Map<String, Object> context,
      PrintWriter err,
      boolean progress) {
    ReplayLedger ledger;
    try (Demo.Meter meter = meter(err, reviews.size(), progress)) {
      ledger = Replay.run(config, reviews, options, meter);
    }
    ReplayResult result = ReplayResult.of(ledger, bundle, config);
    Path html = ReplayReport.write(reportDir, result, context);
    return new Outcome(result, html);
  }

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

  /** The scorecard printed at the end of a replay: {@link ReplayReport#scorecard}. */
  static String scorecard(ReplayResult r, Path html, double rate) {
    return ReplayReport.scorecard(r, html, rate);
  }

  /** How long to wait for the cluster when none is given. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
}
