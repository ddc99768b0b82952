package io.reelsense.cli;

import io.reelsense.eval.EvalException;
import io.reelsense.eval.OutputFormat;
import io.reelsense.eval.OutputReader;
import io.reelsense.eval.OutputTail;
import io.reelsense.stream.ReelsenseConfig;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code reelsense tail}: follows the scored topic (and the dead letters) and prints each record.
 */
@Command(
    name = "tail",
    mixinStandardHelpOptions = true,
    description = {
      "Follow reviews-scored (read_committed: only what the exactly-once topology committed) and"
          + " print each score readably (id, label, probability, stars, film, latency) or, with"
          + " --json, as one JSON object a line. --dlq adds the dead letters.",
      "Stops after --max records, after --timeout, or on Ctrl-C.",
      "Example: reelsense tail --bootstrap localhost:9092 --registry http://localhost:8081 --dlq"
          + " --max 10"
    })
public final class TailCommand extends ReportingCommand {

  @Mixin ClusterOptions cluster;

  @Option(names = "--dlq", description = "Also print the dead letters of reviews-dlq.")
  boolean dlq;

  @Option(
      names = "--max",
      paramLabel = "N",
      description = "Stop after N records (default: no limit).")
  Integer max;

  @Option(
      names = "--timeout",
      converter = DurationConverter.class,
      paramLabel = "DURATION",
      description = "Stop after this long, e.g. 30s (default: follow until Ctrl-C or --max).")
  Duration timeout;

  @Option(
      names = "--from",
      defaultValue = "beginning",
      paramLabel = "WHERE",
      description = "beginning (all records still in the topics) or end (only new ones).")
  String from;

  @Override
  protected Report execute() {
    OutputReader.Start start =
        switch (from) {
          case "beginning" -> OutputReader.Start.BEGINNING;
          case "end" -> OutputReader.Start.END;
          default -> throw new UserError("--from must be beginning or end, got '" + from + "'");
        };
    if (max != null && max < 1) {
      throw new UserError("--max must be 1 or more, got " + max);
    }
    ReelsenseConfig config = cluster.load(Map.of());
    PrintWriter out = out();
    OutputTail tail;
    try {
      tail =
          OutputTail.follow(
              config,
              dlq,
              start,
              max,
              timeout,
              o -> out.println(json ? OutputFormat.jsonLine(o) : OutputFormat.readable(o)),
              out::flush);
    } catch (EvalException e) {
      throw new UserError(e.getMessage(), e);
    }
    return Report.of(json ? "" : tail.summary(), tail.toJson());
  }
}
