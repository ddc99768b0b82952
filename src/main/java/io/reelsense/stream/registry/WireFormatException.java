package io.reelsense.stream.registry;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A record whose bytes are not a valid Confluent-framed Avro value: the record itself is bad, so a
 * topology should route it to a dead-letter topic with {@link #reason()} rather than stop.
 *
 * <p>The subclasses say what is wrong: {@link UnknownMagicByteException}, {@link
 * UnknownSchemaIdException}, {@link TruncatedPayloadException}, {@link MalformedPayloadException},
 * {@link SchemaMismatchException}. A registry that cannot be reached is <em>not</em> a {@code
 * WireFormatException} (the record may be fine): the deserializer throws a plain {@link
 * SerializationException} caused by a {@link SchemaRegistryException} then.
 */
public abstract class WireFormatException extends SerializationException {

  private static final long serialVersionUID = 1L;

  protected WireFormatException(String reason) {
    super(reason);
  }

  protected WireFormatException(String reason, Throwable cause) {
    super(reason, cause);
  }

  /** A short human-readable reason, e.g. {@code unknown magic byte 0x07}. */
  public String reason() {
    return getMessage();
  }
}
