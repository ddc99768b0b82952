package io.reelsense.cli;

import io.reelsense.stream.BenignLibraryWarnings;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Base of every subcommand: it runs, prints a human summary on stdout and, with {@code --json}, one
 * JSON object as the last line of output.
 */
public abstract class ReportingCommand implements Callable<Integer> {

  @Spec protected CommandSpec spec;

  @Option(
      names = "--json",
      description = "End the output with one machine-readable JSON object on its own line.")
  protected boolean json;

  /**
   * The system property {@code --verbose} sets; the log filter and the engine's log level read it.
   */
  static final String VERBOSE_PROPERTY = BenignLibraryWarnings.VERBOSE_PROPERTY;

  @Option(
      names = "--verbose",
      description =
          "Show every library's warnings, also those that report normal operation"
              + " (REELSENSE_DEBUG=1 does the same and adds stack traces to errors).")
  protected boolean verbose;

  /** What a command reports: a human summary and a JSON-serializable value. */
  public record Report(String summary, Object json, int exitCode) {
    public static Report of(String summary, Object json) {
      return new Report(summary, json, 0);
    }
  }

  /** Does the work and returns what to report. */
  protected abstract Report execute() throws Exception;

  /** Standard output of this command (what tests capture). */
  protected PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /** Standard error: progress and notes that are not part of the result. */
  protected PrintWriter err() {
    return spec.commandLine().getErr();
  }

  @Override
  public final Integer call() throws Exception {
    if (verbose) {
      System.setProperty(VERBOSE_PROPERTY, "true");
    }
    Report report = execute();
    PrintWriter out = out();
    String summary = report.summary();
    if (summary != null && !summary.isEmpty()) {
      out.print(summary.endsWith("\n") ? summary : summary + "\n");
    }
    if (json) {
      out.println(Json.line(report.json()));
    }
    out.flush();
    return report.exitCode();
  }
}
