package io.reelsense.model.bundle;

/**
 * A model bundle that cannot be read or written: a missing or damaged file, another format version,
 * an unknown kind. The message names the file and says what is wrong.
 */
public class BundleException extends RuntimeException {

  public BundleException(String message) {
    super(message);
  }

  public BundleException(String message, Throwable cause) {
    super(message, cause);
  }
}
