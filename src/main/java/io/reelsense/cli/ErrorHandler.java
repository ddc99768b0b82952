package io.reelsense.cli;

import io.reelsense.data.DataFormatException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns exceptions into one clear line on stderr (and, with {@code --json}, an {@code error} object
 * as the last line of stdout). A stack trace is printed only with {@code REELSENSE_DEBUG=1}.
 */
final class ErrorHandler implements IExecutionExceptionHandler {

  static final int EXIT_FAILURE = 1;

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
