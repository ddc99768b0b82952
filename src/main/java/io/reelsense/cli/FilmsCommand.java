package io.reelsense.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code reelsense films}: films similar by description, their index and its evaluation. */
@Command(
    name = "films",
    mixinStandardHelpOptions = true,
    description =
        "Films similar by description: query by title or text, build the embedding index, measure"
            + " genre precision@10.",
    subcommands = {
      FilmsSimilarCommand.class,
      FilmsIndexCommand.class,
      FilmsEvalCommand.class,
    })
public final class FilmsCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
