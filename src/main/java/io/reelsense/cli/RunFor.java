package io.reelsense.cli;

import picocli.CommandLine.Option;

/**
 * The {@code --run-for} option of a command that runs until stopped ({@code run}, {@code broker}).
 */
public final class RunFor {

  @Option(
      names = "--run-for",
      paramLabel = "SECONDS",
      description = "Stop by itself after this many seconds (default: run until stopped).")
  Long value;

  /**
   * The limit in seconds, or null to run until stopped.
   *
   * @throws UserError when the limit is not positive
   */
  Long seconds() {
    if (value != null && value <= 0) {
      throw new UserError("--run-for must be a positive number of seconds, got " + value);
    }
    return value;
  }
}
