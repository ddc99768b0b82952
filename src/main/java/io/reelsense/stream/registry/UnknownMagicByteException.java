package io.reelsense.stream.registry;

/**
 * A record whose bytes cannot be deserialized because the first byte is not the Confluent magic
 * byte 0, e.g. {@code unknown magic byte 0x07}.
 */
public final class UnknownMagicByteException extends WireFormatException {

  private static final long serialVersionUID = 1L;

  public UnknownMagicByteException(String reason) {
    super(reason);
  }

  public UnknownMagicByteException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
