package io.reelsense.stream.registry;

/**
 * A record whose bytes cannot be deserialized because the payload ends before the header or the
 * Avro record does, e.g. {@code truncated Avro payload}.
 */
public final class TruncatedPayloadException extends WireFormatException {

  private static final long serialVersionUID = 1L;

  public TruncatedPayloadException(String reason) {
    super(reason);
  }

  public TruncatedPayloadException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
