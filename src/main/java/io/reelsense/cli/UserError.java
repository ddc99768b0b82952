package io.reelsense.cli;

/**
 * An error the user can fix (a wrong path, a bad option value, a missing model): printed as one
 * line without a stack trace.
 */
public class UserError extends RuntimeException {

  public UserError(String message) {
    super(message);
  }

  public UserError(String message, Throwable cause) {
    super(message, cause);
  }
}
