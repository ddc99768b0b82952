package io.reelsense.cli;

import picocli.CommandLine.Command;

/** {@code reelsense data}: read, describe, sample and fetch the data sets. */
@Command(
    name = "data",
    mixinStandardHelpOptions = true,
    description = "Describe, sample and fetch the IMDb reviews and the film catalog.",
    subcommands = {
      DataDescribeCommand.class,
      DataFetchCommand.class,
      DataSampleCommand.class,
    })
public final class DataCommand implements Runnable {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
