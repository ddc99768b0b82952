package io.reelsense.data;

/**
 * The data on disk is not what a reader expects: a wrong path, a truncated archive, a file name
 * without a rating, a missing line. The message names the file and says what was expected; the CLI
 * prints it as one line.
 */
public class DataFormatException extends RuntimeException {

  public DataFormatException(String message) {
    super(message);
  }

  public DataFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
