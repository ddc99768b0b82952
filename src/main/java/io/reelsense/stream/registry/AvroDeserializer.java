package io.reelsense.stream.registry;

import java.io.EOFException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DatumReader;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Deserializes Confluent-framed Avro values: reads the schema id, fetches the writer's schema from
 * the registry (cached) and resolves the record into the reader's schema: a generated {@code
 * SpecificRecord} class's schema, or the writer's own schema for {@link GenericRecord}s.
 *
 * <p>Bad bytes throw a {@link WireFormatException} subclass whose message is a short reason ({@code
 * unknown magic byte 0x07}, {@code unknown schema id 42}, {@code truncated Avro payload}, …) so a
 * topology can dead-letter the record. A registry failure throws a plain {@link
 * SerializationException} instead.
 *
 * @param <T> the record type
 */
public final class AvroDeserializer<T> implements Deserializer<T> {

  /**
   * Kafka-style configuration key (no-argument constructor only): read into the generated class
   * named by the writer's schema (true) or into {@link GenericRecord}s (false, the default).
   */
  public static final String SPECIFIC_READER_CONFIG = "specific.avro.reader";

  private SchemaRegistryClient client;
  private Class<?> type;
  private boolean specificByWriterName;
  private final Map<Integer, Reader> readers = new ConcurrentHashMap<>();

  /** For Kafka's reflection: {@link #configure} must follow. */
  public AvroDeserializer() {}

  /** Reads into the generated class {@code type}. */
  public AvroDeserializer(SchemaRegistryClient client, Class<T> type) {
    this.client = client;
    this.type = type;
  }

  /** Reads {@link GenericRecord}s with each writer's own schema. */
  public static AvroDeserializer<GenericRecord> generic(SchemaRegistryClient client) {
    AvroDeserializer<GenericRecord> deserializer = new AvroDeserializer<>();
    deserializer.client = client;
    return deserializer;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    Object specific = configs.get(SPECIFIC_READER_CONFIG);
    if (type == null && specific != null) {
      specificByWriterName = Boolean.parseBoolean(specific.toString());
    }
    if (client == null) {
      client = SchemaRegistryClient.fromConfig(configs);
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    if (client == null) {
      throw new IllegalStateException("AvroDeserializer used before configure()");
    }
    int id = WireFormat.schemaId(data);
    Reader reader = readers.computeIfAbsent(id, this::reader);
    if (reader.mismatch != null) {
      throw new SchemaMismatchException(reader.mismatch);
    }
    BoundedDecoder decoder =
        new BoundedDecoder(data, WireFormat.HEADER_SIZE, data.length - WireFormat.HEADER_SIZE);
    Object value;
    try {
      value = reader.datumReader.read(null, decoder);
    } catch (EOFException e) {
      throw new TruncatedPayloadException(
          "truncated Avro payload: "
              + (data.length - WireFormat.HEADER_SIZE)
              + " bytes end inside a record of schema "
              + id
              + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"),
          e);
    } catch (IOException | RuntimeException e) {
      throw new MalformedPayloadException(
          "malformed Avro payload for schema " + id + ": " + e.getMessage(), e);
    }
    if (!decoder.isEnd()) {
      throw new MalformedPayloadException(
          "malformed Avro payload for schema "
              + id
              + ": "
              + decoder.remaining()
              + " trailing bytes after the record");
    }
    return (T) value;
  }

  private Reader reader(int id) {
    Schema writer;
    try {
      writer = client.schemaById(id);
    } catch (SchemaRegistryException e) {
      if (e.errorCode() == RegistryProtocol.SCHEMA_NOT_FOUND || e.isNotFound()) {
        throw new UnknownSchemaIdException("unknown schema id " + id, e);
      }
      throw new SerializationException(
          "cannot fetch schema " + id + " from the registry: " + e.getMessage(), e);
    }
    Class<?> target = type;
    if (target == null && specificByWriterName) {
      target = SpecificData.get().getClass(writer);
    }
    if (target == null || !SpecificRecord.class.isAssignableFrom(target)) {
      return new Reader(new GenericDatumReader<>(writer, writer, GenericData.get()), null);
    }
    SpecificData model = SpecificData.getForClass(target);
    Schema readerSchema = model.getSchema(target);
    SchemaCompatibility.SchemaPairCompatibility compatibility =
        SchemaCompatibility.checkReaderWriterCompatibility(readerSchema, writer);
    if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
      return new Reader(
          null,
          "writer schema "
              + id
              + " cannot be read as "
              + readerSchema.getFullName()
              + ": "
              + compatibility.getResult().getIncompatibilities());
    }
    return new Reader(new SpecificDatumReader<>(writer, readerSchema, model), null);
  }

  /** A datum reader for one writer schema, or why there is none. */
  private record Reader(DatumReader<Object> datumReader, String mismatch) {}
}
