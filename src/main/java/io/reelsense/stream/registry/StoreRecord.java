package io.reelsense.stream.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * One entry of a {@link SchemaStore}'s log: a schema version of a subject, or a compatibility
 * level. Encoded as the key and value JSON of Confluent's {@code _schemas} topic: a schema version
 * is key {@code {"keytype":"SCHEMA","subject":s,"version":v,"magic":1}} with value {@code
 * {"subject":s,"version":v,"id":i,"schema":text,"deleted":false}}; a level is key {@code
 * {"keytype":"CONFIG","subject":s|null,"magic":0}} with value {@code
 * {"compatibilityLevel":"FULL"}}, or no value (a tombstone) when a subject's level is removed.
 */
public sealed interface StoreRecord {

  /** The key JSON, as bytes. */
  byte[] key();

  /** The value JSON, as bytes; null for a tombstone. */
  byte[] value();

  /**
   * Version {@code version} of {@code subject} is the schema with registry-wide id {@code id};
   * {@code schema} is its canonical text.
   */
  record SchemaVersion(String subject, int version, int id, String schema) implements StoreRecord {
    @Override
    public byte[] key() {
      ObjectNode key = RegistryProtocol.JSON.createObjectNode();
      key.put("keytype", "SCHEMA");
      key.put("subject", subject);
      key.put("version", version);
      key.put("magic", 1);
      return bytes(key);
    }

    @Override
    public byte[] value() {
      ObjectNode value = RegistryProtocol.JSON.createObjectNode();
      value.put("subject", subject);
      value.put("version", version);
      value.put("id", id);
      value.put("schema", schema);
      value.put("deleted", false);
      return bytes(value);
    }
  }

  /**
   * The compatibility level of {@code subject} (null: the registry-wide level); a null {@code
   * level} removes the subject's own level.
   */
  record Config(String subject, CompatibilityLevel level) implements StoreRecord {
    @Override
    public byte[] key() {
      ObjectNode key = RegistryProtocol.JSON.createObjectNode();
      key.put("keytype", "CONFIG");
      if (subject == null) {
        key.putNull("subject");
      } else {
        key.put("subject", subject);
      }
      key.put("magic", 0);
      return bytes(key);
    }

    @Override
    public byte[] value() {
      if (level == null) {
        return null;
      }
      ObjectNode value = RegistryProtocol.JSON.createObjectNode();
      value.put("compatibilityLevel", level.name());
      return bytes(value);
    }
  }

  /**
   * Decodes a key and value written by {@link #key()} and {@link #value()} (or by Confluent's
   * registry: other key types, such as its {@code NOOP} markers, and deleted versions give null).
   *
   * @throws IllegalArgumentException when the bytes are not such a key and value
   */
  static StoreRecord decode(byte[] keyBytes, byte[] valueBytes) {
    JsonNode key = read(keyBytes);
    String type = key.path("keytype").asText("");
    JsonNode subjectNode = key.get("subject");
    String subject = subjectNode == null || subjectNode.isNull() ? null : subjectNode.asText();
    switch (type) {
      case "SCHEMA" -> {
        if (valueBytes == null) {
          return null;
        }
        JsonNode value = read(valueBytes);
        if (value.path("deleted").asBoolean(false)
            || !value
                .path("schemaType")
                .asText(RegistryProtocol.AVRO)
                .equals(RegistryProtocol.AVRO)) {
          return null;
        }
        int version = value.path("version").asInt(0);
        int id = value.path("id").asInt(0);
        String schema = value.path("schema").asText(null);
        if (subject == null || version < 1 || id < 1 || schema == null) {
          throw new IllegalArgumentException("incomplete SCHEMA entry");
        }
        return new SchemaVersion(subject, version, id, schema);
      }
      case "CONFIG" -> {
        if (valueBytes == null) {
          return new Config(subject, null);
        }
        String level = read(valueBytes).path("compatibilityLevel").asText(null);
        return new Config(subject, CompatibilityLevel.parse(level));
      }
      default -> {
        return null;
      }
    }
  }

  private static byte[] bytes(JsonNode node) {
    return node.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static JsonNode read(byte[] bytes) {
    try {
      JsonNode node = RegistryProtocol.JSON.readTree(bytes);
      if (node == null || !node.isObject()) {
        throw new IllegalArgumentException("not a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
    }
  }
}
