package io.reelsense.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code reelsense} program: one picocli command per subcommand. */
@Command(
    name = "reelsense",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Streaming sentiment processor for film reviews (Kafka Streams + DJL).",
    subcommands = {
      DataCommand.class,
      TrainCommand.class,
      EvaluateCommand.class,
      ClassifyCommand.class,
      ModelsCommand.class,
      DoctorCommand.class,
      BenchCommand.class,
      EmbedCommand.class,
      FilmsCommand.class,
      ProduceCommand.class,
      TailCommand.class,
      RunCommand.class,
      ReplayCommand.class,
      DemoCommand.class,
      BrokerCommand.class,
      ReliabilityCommand.class,
    })
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    System.exit(
        execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /** Runs one command line with the given streams; returns the exit code. */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(out);
    cli.setErr(err);
    ErrorHandler errors = new ErrorHandler(cli.getParameterExceptionHandler());
    cli.setExecutionExceptionHandler(errors);
    cli.setParameterExceptionHandler(errors);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    return cli.execute(args);
  }
}
