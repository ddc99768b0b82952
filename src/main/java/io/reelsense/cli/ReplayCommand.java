package io.reelsense.cli;

import io.reelsense.data.DataLocation;
import io.reelsense.data.Review;
import io.reelsense.data.SampleData;
import io.reelsense.eval.Demo;
import io.reelsense.eval.EvalException;
import io.reelsense.eval.Replay;
import io.reelsense.eval.ReplayJob;
import io.reelsense.eval.ReplayReport;
import io.reelsense.eval.ReplaySelection;
import io.reelsense.model.bundle.Bundles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code reelsense replay}: streams an IMDb split through the topology and scores what comes out.
 */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = {
      "Replay an IMDb split (default: test) through the running topology: send each review as an"
          + " Avro Review keyed by its id (with its film id; event time = send time), at --rate"
          + " per second or as fast as possible, and read reviews-scored and reviews-dlq"
          + " (read_committed) until every review is accounted for or, after the last send,"
          + " nothing new arrives for --timeout (the first missing ids are listed).",
      "Scores accuracy, F1, the confusion matrix, rating accuracy and MAE, throughput,"
          + " send-to-scored latency p50/p95/p99 and dead letters by reason; with --bundle,"
          + " counts the streamed predictions that differ from the bundle's offline ones."
          + " Writes report.html (with PNG plots) and replay.json into --report DIR.",
      "The reviews are shuffled with seed 42 first, so --limit takes a fair sample.",
      "Against a cluster: reelsense replay --bootstrap localhost:9092 --registry"
          + " http://localhost:8081 --bundle models/tfidf-lr --json",
      "All in this process: reelsense replay --embedded --sample --bundle models/tfidf-lr"
    })
public final class ReplayCommand extends ReportingCommand {

  /**
   * Where {@code reelsense train} examples put the baseline, looked for when no bundle is given.
   */
  static final Path DEFAULT_BUNDLE = Path.of("models", "tfidf-lr");

  @Mixin ClusterOptions cluster;

  @Mixin StreamOptions stream;

  @Option(
      names = "--embedded",
      description =
          "Start a broker, a schema registry and the topology (with --bundle, else"
              + " ./models/tfidf-lr) in this process.")
  boolean embedded;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description =
          "Data directory or aclImdb_v1.tar.gz (else $REELSENSE_DATA, ./data, ../shared/data).")
  Path data;

  @Option(names = "--sample", description = "Replay the committed sample instead of --data.")
  boolean sample;

  @Option(
      names = "--split",
      defaultValue = "test",
      paramLabel = "SPLIT",
      description = "test or train (default: ${DEFAULT-VALUE}).")
  String split;

  @Option(
      names = "--limit",
      defaultValue = "0",
      paramLabel = "N",
      description = "Replay only the first N reviews (after the seeded shuffle); 0 = all.")
  int limit;

  @Option(
      names = "--rate",
      defaultValue = "0",
      paramLabel = "R",
      description = "Reviews per second; 0 = as fast as possible (default).")
  double rate;

  @Option(
      names = "--timeout",
      defaultValue = "2m",
      converter = DurationConverter.class,
      paramLabel = "DURATION",
      description =
          "After the last send, give up when no output has arrived for this long and list the"
              + " missing reviews (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(
      names = "--report",
      defaultValue = "reelsense-replay",
      paramLabel = "DIR",
      description = "Where report.html, its plots and replay.json go (default: ${DEFAULT-VALUE}).")
  Path report;

  @Option(names = "--no-progress", description = "Do not draw the progress bar on stderr.")
  boolean noProgress;

  @Override
  protected Report execute() throws Exception {
    if (embedded && cluster.external()) {
      throw new UserError("--embedded starts its own cluster: drop --bootstrap/--registry");
    }
    if (sample && data != null) {
      throw new UserError("give --sample or --data, not both");
    }
    if (limit < 0) {
      throw new UserError("--limit must be 0 (all) or more, got " + limit);
    }
    if (rate < 0) {
      throw new UserError("--rate must be 0 (as fast as possible) or more, got " + rate);
    }
    if (!split.equals("test") && !split.equals("train")) {
      throw new UserError("--split must be test or train, got '" + split + "'");
    }
    Path imdb = sample ? SampleData.dir() : DataLocation.resolveFileOrDir(data);
    List<Review> reviews = ReplaySelection.of(imdb, split, limit);
    Path bundle = bundle();
    Map<String, Object> context = new LinkedHashMap<>();
    context.put("data", sample ? "committed sample" : imdb.toString());
    context.put("split", split);
    context.put("reviews", reviews.size());
    context.put("rate", rate > 0 ? rate + "/s" : "as fast as possible");
    context.put("bundle", bundle == null ? "(not given)" : bundle.toString());
    context.put("started", Instant.now().toString());
    if (embedded && bundle == null) {
      throw new UserError(
          "--embedded needs a model: give --bundle DIR (e.g. `reelsense train --out "
              + DEFAULT_BUNDLE
              + "` makes one), or run `reelsense demo`, which builds one");
    }
    Replay.Options options = new Replay.Options(rate, timeout, Demo.CONNECT_TIMEOUT, "replay");
    ReplayJob.Outcome outcome;
    try {
      outcome =
          ReplayJob.run(
              reviews,
              options,
              bundle,
              embedded,
              report,
              stream.overrides(),
              cluster::load,
              context,
              total -> ReplayRun.meter(err(), total, !noProgress),
              err());
    } catch (EvalException e) {
      throw new UserError(e.getMessage(), e);
    }
    String header =
        String.format(
            Locale.ROOT,
            "replay of %,d %s reviews (%s) through %s%n",
            reviews.size(),
            split,
            sample ? "committed sample" : imdb.toString(),
            outcome.config().bootstrapServers());
    return new Report(
        header + ReplayReport.scorecard(outcome.result(), outcome.html(), rate),
        outcome.toJson(),
        outcome.result().complete() ? 0 : ErrorHandler.EXIT_FAILURE);
  }

  private Path bundle() {
    if (stream.bundle != null) {
      if (!Files.isDirectory(stream.bundle)) {
        throw new UserError("--bundle " + stream.bundle + ": no such directory");
      }
      return stream.bundle;
    }
    // against an external cluster only an explicit --bundle is compared: it may run another model
    return embedded && Files.isRegularFile(DEFAULT_BUNDLE.resolve(Bundles.MANIFEST))
        ? DEFAULT_BUNDLE
        : null;
  }
}
