package io.reelsense.stream.registry;

/**
 * A record whose bytes cannot be deserialized because the writer's schema cannot be resolved into
 * the reader's schema, e.g. {@code writer schema 7 cannot be read as io.example.Thing: …}.
 */
public final class SchemaMismatchException extends WireFormatException {

  private static final long serialVersionUID = 1L;

  public SchemaMismatchException(String reason) {
    super(reason);
  }

  public SchemaMismatchException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
