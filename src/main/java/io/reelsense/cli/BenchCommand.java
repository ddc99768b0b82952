package io.reelsense.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code reelsense bench}: measurements of this build on the host it runs on. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Measure the encoders, fine-tuning and the stream on this host.",
    subcommands = {BenchGpuCommand.class})
public final class BenchCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
