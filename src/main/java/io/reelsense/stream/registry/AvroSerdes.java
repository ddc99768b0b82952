package io.reelsense.stream.registry;

import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** Kafka serdes for Avro records in Confluent's wire format, backed by a schema registry. */
public final class AvroSerdes {

  private AvroSerdes() {}

  /** A serde of the generated class {@code type}, registering its schema on first use. */
  public static <T extends SpecificRecord> Serde<T> specific(
      SchemaRegistryClient client, Class<T> type, boolean isKey) {
    return specific(client, type, isKey, true);
  }

  /**
   * A serde of the generated class {@code type}; {@code autoRegister} false requires the schema to
   * be registered already.
   */
  public static <T extends SpecificRecord> Serde<T> specific(
      SchemaRegistryClient client, Class<T> type, boolean isKey, boolean autoRegister) {
    return Serdes.serdeFrom(
        new AvroSerializer<T>(client, isKey, autoRegister), new AvroDeserializer<>(client, type));
  }

  /** A serde of {@link GenericRecord}s, read with each writer's own schema. */
  public static Serde<GenericRecord> generic(
      SchemaRegistryClient client, boolean isKey, boolean autoRegister) {
    return Serdes.serdeFrom(
        new AvroSerializer<GenericRecord>(client, isKey, autoRegister),
        AvroDeserializer.generic(client));
  }
}
