package io.reelsense.cli;

import io.reelsense.data.DataFormatException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.TypeConversionException;

/**
 * Turns exceptions into one clear line on stderr (and, with {@code --json}, an {@code error} object
 * as the last line of stdout). A stack trace is printed only with {@code REELSENSE_DEBUG=1}. An
 * option value its converter refuses (see {@link OptionTypes}) is such a line too, naming the
 * option; other command-line mistakes (an unknown or missing option) go to picocli's own handler,
 * which prints the usage.
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {

  static final int EXIT_FAILURE = 1;

  private final IParameterExceptionHandler usage;

  /**
   * @param usage what handles the command-line mistakes that are not a refused option value
   */
  ErrorHandler(IParameterExceptionHandler usage) {
    this.usage = usage;
  }

  @Override
  public int handleParseException(ParameterException ex, String[] args) throws Exception {
    if (!(ex.getCause() instanceof TypeConversionException refused)
        || !(ex.getArgSpec() instanceof OptionSpec option)) {
      return usage.handleParseException(ex, args);
    }
    CommandLine cmd = ex.getCommandLine();
    String message = option.longestName() + ": " + refused.getMessage();
    cmd.getErr().println("error: " + message);
    cmd.getErr().flush();
    if (java.util.Arrays.asList(args).contains("--json")) {
      cmd.getOut().println(Json.line(java.util.Map.of("error", message)));
      cmd.getOut().flush();
    }
    return EXIT_FAILURE;
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
    PrintWriter err = cmd.getErr();
    String message = describe(ex);
    err.println("error: " + message);
    if ("1".equals(System.getenv("REELSENSE_DEBUG"))) {
      ex.printStackTrace(err);
    } else if (!isUserFixable(ex)) {
      err.println("(set REELSENSE_DEBUG=1 for the stack trace)");
    }
    err.flush();
    if (jsonRequested(parseResult)) {
      cmd.getOut().println(Json.line(java.util.Map.of("error", message)));
      cmd.getOut().flush();
    }
    return EXIT_FAILURE;
  }

  /** Whether {@code --json} was given to the command or to any of its subcommands. */
  static boolean jsonRequested(ParseResult parseResult) {
    for (ParseResult p = parseResult; p != null; p = p.hasSubcommand() ? p.subcommand() : null) {
      if (p.hasMatchedOption("--json")) {
        return true;
      }
    }
    return false;
  }

  /** Errors the user can fix (bad options, bad data files): no stack-trace hint. */
  static boolean isUserFixable(Throwable ex) {
    return ex instanceof UserError
        || ex instanceof io.reelsense.stream.ConfigError
        || ex instanceof DataFormatException
        || ex instanceof io.reelsense.model.bundle.BundleException;
  }

  static String describe(Throwable ex) {
    Throwable t = ex;
    if (t instanceof UncheckedIOException && t.getCause() != null) {
      t = t.getCause();
    }
    if (isUserFixable(t)) {
      return t.getMessage();
    }
    String msg = t.getMessage();
    if (t instanceof IOException) {
      return msg == null ? t.getClass().getSimpleName() : msg;
    }
    return t.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
  }
}
