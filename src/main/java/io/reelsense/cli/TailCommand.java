package io.reelsense.cli;

import io.reelsense.eval.EvalException;
import io.reelsense.eval.OutputFormat;
import io.reelsense.eval.OutputReader;
import io.reelsense.stream.ReelsenseConfig;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
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
    long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
    int scored = 0;
    int letters = 0;
    int unreadable = 0;
    OutputReader reader;
    try {
      reader =
          OutputReader.open(
              config, true, dlq, start, timeout == null ? Duration.ofSeconds(30) : timeout);
    } catch (EvalException e) {
      throw new UserError(e.getMessage(), e);
    }
    Thread hook = new Thread(reader::wakeup, "reelsense-tail-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    boolean stopped = false;
    try (reader) {
      while (!stopped && (max == null || scored + letters + unreadable < max)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        var batch = reader.poll(Duration.ofNanos(Math.min(left, Duration.ofMillis(500).toNanos())));
        for (OutputReader.Output o : batch) {
          if (max != null && scored + letters + unreadable >= max) {
            break;
          }
          if (o instanceof OutputReader.Score) {
            scored++;
          } else if (o instanceof OutputReader.Letter) {
            letters++;
          } else {
            unreadable++;
          }
          out.println(json ? OutputFormat.jsonLine(o) : OutputFormat.readable(o));
        }
        out.flush();
        stopped = Thread.currentThread().isInterrupted();
      }
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is already exiting: the hook has run
      }
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("scored", scored);
    summary.put("dlq", letters);
    summary.put("unreadable", unreadable);
    String text =
        json
            ? ""
            : String.format(
                "-- %d scored, %d dead letters, %d unreadable", scored, letters, unreadable);
    return Report.of(text, summary);
  }
}
