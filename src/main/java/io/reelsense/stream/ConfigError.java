package io.reelsense.stream;

/**
 * A configuration value that cannot be used: names the key, where the value came from and why it is
 * wrong, e.g. {@code batch.size=abc (from env REELSENSE_BATCH_SIZE): not an integer}.
 */
public final class ConfigError extends RuntimeException {

  public ConfigError(String message) {
    super(message);
  }

  public ConfigError(String message, Throwable cause) {
    super(message, cause);
  }
}
