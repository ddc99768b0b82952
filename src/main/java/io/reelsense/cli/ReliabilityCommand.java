package io.reelsense.cli;

import io.reelsense.data.DataLocation;
import io.reelsense.data.Review;
import io.reelsense.data.SampleData;
import io.reelsense.eval.ReplaySelection;
import io.reelsense.eval.reliability.Launcher;
import io.reelsense.eval.reliability.Reliability;
import io.reelsense.eval.reliability.ReliabilityReport;
import io.reelsense.train.DefaultBundle;
import io.reelsense.train.Progress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code reelsense reliability}: crash, scale-out, broker-restart, bad-input and schema-evolution
 * scenarios against the real topology in child processes, with exact counts by review id (logic in
 * {@link Reliability}).
 */
@Command(
    name = "reliability",
    mixinStandardHelpOptions = true,
    description = {
      "Prove the stream's promises: kill -9 the app during a replay (crash), stop one of two"
          + " instances (scale), kill and restart the broker (broker), feed 10,000 bad records"
          + " (bad), evolve the Review schema (schema); count lost and duplicated reviews by id.",
      "The broker and the registry run in processes of their own, the app as `reelsense run`"
          + " child JVMs. Writes reliability.json and reliability.md into --out."
    })
public final class ReliabilityCommand extends ReportingCommand {

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "IMDb data (replays its test split); default: the committed sample.")
  Path data;

  @Option(
      names = "--reviews",
      paramLabel = "N",
      description = "Reviews replayed by crash, scale and broker (default: the whole test split).")
  int reviews;

  @Option(
      names = "--crashes",
      paramLabel = "K",
      defaultValue = "3",
      description = "kill -9s of the app in the crash scenario (default: ${DEFAULT-VALUE}).")
  int crashes;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "Seed of the kill points and the bad-input mix (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--scenarios",
      split = ",",
      paramLabel = "NAME",
      description =
          "Which to run, comma-separated: crash,scale,broker,bad,schema (default: all of these),"
              + " and cluster (three brokers) and hostile (malformed requests and records), only"
              + " when named.")
  List<String> scenarios = new ArrayList<>(Reliability.SCENARIOS);

  @Option(
      names = "--bad-records",
      paramLabel = "N",
      defaultValue = "10000",
      description = "Records in the bad-input mix (default: ${DEFAULT-VALUE}).")
  int badRecords;

  @Option(
      names = "--schema-records",
      paramLabel = "N",
      defaultValue = "500",
      description =
          "Records per producer and phase in the schema scenario (default: ${DEFAULT-VALUE}).")
  int schemaRecords;

  @Option(
      names = "--bundle",
      paramLabel = "DIR",
      description =
          "Model bundle the app runs (default: ./models/tfidf-lr, else the baseline trained on the"
              + " committed sample into OUT/model).")
  Path bundle;

  @Option(
      names = "--batch-size",
      paramLabel = "N",
      defaultValue = "64",
      description = "The app's micro-batch size (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(
      names = "--stall",
      converter = DurationConverter.class,
      paramLabel = "DURATION",
      defaultValue = "3m",
      description =
          "Give up waiting when no output came for this long (default: ${DEFAULT-VALUE}).")
  Duration stall;

  @Option(
      names = "--rate",
      paramLabel = "R",
      defaultValue = "0",
      description =
          "Reviews per second the crash and scale replays send, so that faults strike while"
              + " reviews still arrive (default: as fast as possible).")
  int rate;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      defaultValue = "reelsense-reliability",
      description = "Where the report and the processes' logs go (default: ${DEFAULT-VALUE}).")
  Path out;

  @Override
  protected Report execute() throws Exception {
    Set<String> chosen;
    try {
      chosen = Reliability.scenarios(scenarios);
    } catch (IllegalArgumentException e) {
      throw new UserError("--scenarios: " + e.getMessage(), e);
    }
    if (reviews < 0
        || crashes < 0
        || rate < 0
        || badRecords < 1
        || schemaRecords < 1
        || batchSize < 1) {
      throw new UserError(
          "--reviews, --crashes and --rate must be 0 or more; --bad-records, --schema-records and"
              + " --batch-size at least 1");
    }
    Path imdb = data == null ? SampleData.dir() : DataLocation.resolveFileOrDir(data);
    List<Review> replay = ReplaySelection.of(imdb, "test", reviews);
    err()
        .printf(
            "replaying %,d test reviews from %s%n",
            replay.size(), data == null ? "the sample" : imdb);
    Path model = bundle();
    Reliability.Options options =
        new Reliability.Options(
            replay,
            crashes,
            seed,
            chosen,
            badRecords,
            schemaRecords,
            out,
            model,
            batchSize,
            stall,
            rate);
    ReliabilityReport report =
        Reliability.run(
            options,
            Launcher.sameJvm(Main.class.getName()),
            line -> {
              err().println(line);
              err().flush();
            });
    String command =
        "reelsense " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
    report.write(out, command);
    Map<String, Object> json = report.toMap();
    json.put("report", out.resolve("reliability.md").toString());
    return new Report(
        report.summary() + "report: " + out.resolve("reliability.md"),
        json,
        report.passed() ? 0 : 1);
  }

  private Path bundle() throws Exception {
    return DefaultBundle.findOrTrain(
        bundle,
        ReplayCommand.DEFAULT_BUNDLE,
        out.resolve("model"),
        SampleData.dir(),
        Progress.NONE,
        DefaultBundle.Notes.RELIABILITY,
        line -> {
          err().println(line);
          err().flush();
        });
  }
}
