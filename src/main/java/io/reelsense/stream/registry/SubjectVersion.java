package io.reelsense.stream.registry;

import org.apache.avro.Schema;

/**
 * One version of a subject, as {@code GET /subjects/{s}/versions/{v}} and {@code POST
 * /subjects/{s}} answer it.
 *
 * @param subject the subject
 * @param id the registry-wide schema id
 * @param version the version within the subject (1, 2, …)
 * @param schema the schema text as the registry stores it
 */
public record SubjectVersion(String subject, int id, int version, String schema) {

  /** The schema parsed. */
  public Schema avroSchema() {
    return new Schema.Parser().parse(schema);
  }
}
