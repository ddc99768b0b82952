package io.reelsense.stream.registry;

/**
 * A record whose bytes cannot be deserialized because the Avro bytes do not decode under the
 * writer's schema (bad lengths, union indexes, trailing bytes), e.g. {@code malformed Avro payload:
 * 3 trailing bytes after the record}.
 */
public final class MalformedPayloadException extends WireFormatException {

  private static final long serialVersionUID = 1L;

  public MalformedPayloadException(String reason) {
    super(reason);
  }

  public MalformedPayloadException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
