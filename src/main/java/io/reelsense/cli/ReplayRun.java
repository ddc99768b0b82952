package io.reelsense.cli;

import io.reelsense.data.Review;
import io.reelsense.eval.OfflinePredictions;
import io.reelsense.eval.Replay;
import io.reelsense.eval.ReplayLedger;
import io.reelsense.eval.ReplayReport;
import io.reelsense.eval.ReplayResult;
import io.reelsense.model.ReviewClassifier;
import io.reelsense.model.ReviewPrediction;
import io.reelsense.model.bundle.Bundles;
import io.reelsense.stream.ReelsenseConfig;
import io.reelsense.train.Progress;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
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
    try (ProgressBar bar = progress ? bar(err, reviews.size()) : null) {
      ledger =
          Replay.run(
              config,
              reviews,
              options,
              (sent, accounted, total) -> {
                if (bar != null) {
                  bar.stepTo(accounted);
                  bar.setExtraMessage(" sent " + sent);
                }
              });
    }
    Map<String, ReviewPrediction> offline = null;
    if (bundle != null) {
      // on the stream's device, so that an encoder gives the same numbers as in the topology
      try (ReviewClassifier classifier =
          Bundles.load(bundle, List.of(), config.device(), config.precision())) {
        offline = OfflinePredictions.of(classifier, ledger.expected(), config.batchSize());
      }
    }
    ReplayResult result = ReplayResult.of(ledger, offline);
    Path html = ReplayReport.write(reportDir, result, context);
    return new Outcome(result, html);
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

  /**
   * The scorecard printed at the end of a replay sent at {@code rate} reviews per second (0: all at
   * once). Throughput and latency are on lines of their own: when every review is sent at once,
   * latency is mostly the time a review queued behind the ones sent before it, and the line says
   * so.
   */
  static String scorecard(ReplayResult r, Path html, double rate) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "accounted   %,d of %,d: %,d scored, %,d dead-lettered, %,d missing%n",
            r.scored() + r.dlq(),
            r.n(),
            r.scored(),
            r.dlq(),
            r.missingCount()));
    if (!r.complete()) {
      sb.append("missing     first ids: ").append(String.join(", ", r.missingIds())).append('\n');
    }
    long[][] c = r.confusion().counts();
    sb.append(
        String.format(
            Locale.ROOT,
            "accuracy    %.2f%%  F1 %.4f  macro F1 %.4f  (confusion true\\pred: neg %d|%d, pos"
                + " %d|%d)%n",
            r.accuracy() * 100,
            r.f1(),
            r.macroF1(),
            c[0][0],
            c[0][1],
            c[1][0],
            c[1][1]));
    sb.append(
        r.ratingAccuracy() == null
            ? "rating      no rating head\n"
            : String.format(
                Locale.ROOT,
                "rating      exact %.2f%%  MAE %.3f stars%n",
                r.ratingAccuracy() * 100,
                r.ratingMae()));
    sb.append(
        String.format(
            Locale.ROOT,
            "throughput  %,.0f reviews/s scored over %.2f s (mean batch %.1f)%s%n",
            r.reviewsPerSecond(),
            r.elapsedSeconds(),
            r.meanBatchSize(),
            rate > 0
                ? String.format(Locale.ROOT, ", sent at %,.0f/s", rate)
                : ", all sent at once: the most this run sustains"));
    sb.append(
        String.format(
            Locale.ROOT,
            "latency     send → scored p50 %,.0f ms, p95 %,.0f ms, p99 %,.0f ms%s%n",
            r.endToEnd().p50(),
            r.endToEnd().p95(),
            r.endToEnd().p99(),
            rate > 0
                ? String.format(Locale.ROOT, " at %,.0f reviews/s", rate)
                : " with all sent at once (mostly time queued behind earlier reviews; `replay"
                    + " --rate R` below the throughput measures it at a steady rate)"));
    sb.append("dlq         ")
        .append(r.dlq() == 0 ? "none" : r.dlqByStage().toString())
        .append('\n');
    sb.append("consistency ").append(ReplayReport.consistency(r)).append('\n');
    if (r.duplicates() > 0 || r.foreign() > 0) {
      sb.append(
          String.format(
              Locale.ROOT,
              "warning     %d duplicate outputs, %d outputs for other ids%n",
              r.duplicates(),
              r.foreign()));
    }
    sb.append("report      ").append(html).append('\n');
    return sb.toString();
  }

  /** How long to wait for the cluster when none is given. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
}
