package io.reelsense.stream.registry;

/**
 * A record whose bytes cannot be deserialized because the schema id in bytes 1-4 is not known to
 * the registry, e.g. {@code unknown schema id 42}.
 */
public final class UnknownSchemaIdException extends WireFormatException {

  private static final long serialVersionUID = 1L;

  public UnknownSchemaIdException(String reason) {
    super(reason);
  }

  public UnknownSchemaIdException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
