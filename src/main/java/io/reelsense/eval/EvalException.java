package io.reelsense.eval;

/**
 * A replay, produce or tail could not run: the cluster is unreachable, a topic is missing, the
 * input is unusable. The message says what and how to fix it.
 */
public final class EvalException extends RuntimeException {

  public EvalException(String message) {
    super(message);
  }

  public EvalException(String message, Throwable cause) {
    super(message, cause);
  }
}
