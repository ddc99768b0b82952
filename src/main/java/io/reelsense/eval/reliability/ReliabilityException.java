package io.reelsense.eval.reliability;

/** A reliability run that could not be carried out (a process that did not start, a timeout). */
public final class ReliabilityException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public ReliabilityException(String message) {
    super(message);
  }

  public ReliabilityException(String message, Throwable cause) {
    super(message, cause);
  }
}
