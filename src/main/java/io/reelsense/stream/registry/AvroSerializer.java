package io.reelsense.stream.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serializes Avro records (generated {@code SpecificRecord} classes or {@code GenericRecord}s) in
 * Confluent's wire format, the schema id coming from the registry under the TopicNameStrategy
 * subject ({@code <topic>-value} or {@code <topic>-key}).
 *
 * <p>With auto-registration (the default) the record's schema is registered on first use; without
 * it, it must already be registered in the subject (looked up). Ids are cached by the client.
 *
 * <p>Built directly with a client, or by Kafka through the no-argument constructor and {@link
 * #configure} with {@link SchemaRegistryClient#fromConfig} keys plus {@value
 * #AUTO_REGISTER_CONFIG}.
 *
 * @param <T> the record type
 */
public final class AvroSerializer<T extends GenericContainer> implements Serializer<T> {

  /** Kafka-style configuration key: register schemas on first use (default true). */
  public static final String AUTO_REGISTER_CONFIG = "auto.register.schemas";

  private SchemaRegistryClient client;
  private boolean isKey;
  private boolean autoRegister;
  private final Map<Schema, DatumWriter<Object>> writers = new ConcurrentHashMap<>();

  /** For Kafka's reflection: {@link #configure} must follow. */
  public AvroSerializer() {
    this.autoRegister = true;
  }

  public AvroSerializer(SchemaRegistryClient client, boolean isKey, boolean autoRegister) {
    this.client = client;
    this.isKey = isKey;
    this.autoRegister = autoRegister;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    this.isKey = isKey;
    Object auto = configs.get(AUTO_REGISTER_CONFIG);
    if (auto != null) {
      this.autoRegister = Boolean.parseBoolean(auto.toString());
    }
    if (client == null) {
      client = SchemaRegistryClient.fromConfig(configs);
    }
  }

  @Override
  public byte[] serialize(String topic, T data) {
    if (data == null) {
      return null;
    }
    if (client == null) {
      throw new IllegalStateException("AvroSerializer used before configure()");
    }
    Schema schema = data.getSchema();
    String subject = WireFormat.subject(topic, isKey);
    int id;
    try {
      id = autoRegister ? client.register(subject, schema) : client.idOf(subject, schema);
    } catch (SchemaRegistryException e) {
      throw new SerializationException(
          (autoRegister ? "cannot register " : "cannot find ")
              + schema.getFullName()
              + " in subject "
              + subject
              + ": "
              + e.getMessage(),
          e);
    }
    DatumWriter<Object> writer = writers.computeIfAbsent(schema, s -> writerFor(s, data));
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    byte[] header = new byte[WireFormat.HEADER_SIZE];
    WireFormat.writeHeader(header, id);
    out.write(header, 0, header.length);
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    try {
      writer.write(data, encoder);
      encoder.flush();
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "cannot encode " + schema.getFullName() + " for topic " + topic + ": " + e, e);
    }
    return out.toByteArray();
  }

  private static DatumWriter<Object> writerFor(Schema schema, GenericContainer sample) {
    if (sample instanceof SpecificRecordBase specific) {
      return new SpecificDatumWriter<>(schema, specific.getSpecificData());
    }
    return new GenericDatumWriter<>(schema, GenericData.get());
  }
}
