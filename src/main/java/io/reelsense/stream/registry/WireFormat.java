package io.reelsense.stream.registry;

/**
 * Confluent's wire format: byte 0 is the magic byte {@value #MAGIC_BYTE}, bytes 1-4 the schema id
 * (big-endian), then the Avro binary encoding of the record under that schema.
 */
public final class WireFormat {

  /** The magic byte that opens every framed value. */
  public static final byte MAGIC_BYTE = 0;

  /** Bytes before the Avro payload: the magic byte and the 4-byte schema id. */
  public static final int HEADER_SIZE = 5;

  private WireFormat() {}

  /** The subject of a topic's values or keys under the TopicNameStrategy. */
  public static String subject(String topic, boolean isKey) {
    return topic + (isKey ? "-key" : "-value");
  }

  /**
   * The schema id in a framed value's header.
   *
   * @throws TruncatedPayloadException when {@code data} is shorter than the header
   * @throws UnknownMagicByteException when byte 0 is not {@value #MAGIC_BYTE}
   */
  public static int schemaId(byte[] data) {
    if (data.length > 0 && data[0] != MAGIC_BYTE) {
      throw new UnknownMagicByteException(String.format("unknown magic byte 0x%02x", data[0]));
    }
    if (data.length < HEADER_SIZE) {
      throw new TruncatedPayloadException(
          "truncated Avro payload: "
              + data.length
              + " bytes, the header alone needs "
              + HEADER_SIZE);
    }
    return ((data[1] & 0xff) << 24)
        | ((data[2] & 0xff) << 16)
        | ((data[3] & 0xff) << 8)
        | (data[4] & 0xff);
  }

  /** Writes the header for {@code schemaId} into {@code out[0..4]}. */
  static void writeHeader(byte[] out, int schemaId) {
    out[0] = MAGIC_BYTE;
    out[1] = (byte) (schemaId >>> 24);
    out[2] = (byte) (schemaId >>> 16);
    out[3] = (byte) (schemaId >>> 8);
    out[4] = (byte) schemaId;
  }
}
