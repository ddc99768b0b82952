/**
 * A Confluent-compatible schema registry: the REST client ({@link
 * io.reelsense.stream.registry.SchemaRegistryClient}), the Kafka serde with the Confluent wire
 * format ({@link io.reelsense.stream.registry.AvroSerdes}) and an in-process server ({@link
 * io.reelsense.stream.registry.EmbeddedSchemaRegistry}) over a schema store ({@link
 * io.reelsense.stream.registry.SchemaStore}: memory, a file, or a compacted Kafka topic).
 *
 * <p>This package knows nothing of reviews: it works on any Avro schema.
 */
package io.reelsense.stream.registry;
