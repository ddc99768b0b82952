package io.reelsense.stream.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's endpoints over a {@link SchemaStore}: each answer is Confluent's JSON, each error
 * a {@link RegistryError}. Before answering from its view it reads what the store gained (writes by
 * other registries sharing it); a write is appended to the store and counts once the view, read at
 * least through that write, holds it exactly: its subject's version with its id, and that id with
 * its schema. Thread-safe (one request at a time).
 *
 * <p>As in Confluent's registry, the same schema (same canonical text: parsed and printed again)
 * gets the same id in every subject; registering a schema a subject already holds returns its id
 * without a new version; a new version must pass the subject's compatibility level, else 409.
 */
final class RegistryService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RegistryService.class);
  private static final int WRITE_ATTEMPTS = 10;

  private final SchemaStore store;
  private final RegistryLimits limits;
  private final RegistryState state;

  RegistryService(SchemaStore store, RegistryLimits limits, CompatibilityLevel defaultLevel) {
    this.store = store;
    this.limits = limits;
    this.state = new RegistryState(defaultLevel);
    refresh();
  }

  private void refresh() {
    for (StoreRecord record : store.poll()) {
      state.apply(record);
    }
  }

  @Override
  public void close() {
    store.close();
  }

  String describeStore() {
    return store.describe();
  }

  // ---------------------------------------------------------------- subjects and versions

  synchronized JsonNode listSubjects() {
    refresh();
    ArrayNode array = RegistryProtocol.JSON.createArrayNode();
    state.subjectNames().forEach(array::add);
    return array;
  }

  synchronized JsonNode listVersions(String subject) {
    refresh();
    ArrayNode array = RegistryProtocol.JSON.createArrayNode();
    versionsOf(subject).keySet().forEach(array::add);
    return array;
  }

  synchronized JsonNode register(String subject, JsonNode body) {
    Schema schema = parseSchema(body);
    String canonical = schema.toString();
    for (int attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
      refresh();
      NavigableMap<Integer, Integer> versions = state.versions(subject);
      Integer known = state.idOf(canonical);
      if (versions != null && known != null && versions.containsValue(known)) {
        return idNode(known);
      }
      checkRoom(subject, versions);
      if (versions != null) {
        checkCompatible(subject, schema, versions);
      }
      int version = versions == null ? 1 : versions.lastKey() + 1;
      StoreRecord.SchemaVersion record =
          new StoreRecord.SchemaVersion(
              subject, version, known != null ? known : state.nextId(), canonical);
      store.append(record);
      // the view now reaches at least our own entry; the first entry that claims a version or an
      // id wins, so whether ours won is decided there and no later entry changes it
      refresh();
      if (state.holds(record)) {
        LOG.debug("registered schema {} as {} version {}", record.id(), subject, version);
        return idNode(record.id());
      }
      // another registry sharing the store wrote first: write its entry again so that a compacted
      // topic keeps the winner as the last value of the key, then try again on the new view
      StoreRecord.SchemaVersion winner = state.record(subject, version);
      if (winner != null && !winner.equals(record)) {
        store.append(winner);
      }
      backOff(attempt);
    }
    throw new RegistryError(
        RegistryProtocol.INTERNAL_ERROR,
        "Schema for subject \"" + subject + "\" not stored: other registries kept writing first");
  }

  /**
   * Waits a random few milliseconds, longer after each lost attempt, so that two registries that
   * keep writing from the same view stop meeting on the same version.
   */
  private static void backOff(int attempt) {
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(1, 10L << Math.min(attempt, 4)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryError(RegistryProtocol.INTERNAL_ERROR, "Interrupted storing a schema");
    }
  }

  private void checkRoom(String subject, NavigableMap<Integer, Integer> versions) {
    if (versions == null && state.subjectCount() >= limits.maxSubjects()) {
      throw new RegistryError(
          RegistryProtocol.OPERATION_NOT_PERMITTED,
          "This registry holds its limit of " + limits.maxSubjects() + " subjects");
    }
    if (versions != null && versions.size() >= limits.maxVersionsPerSubject()) {
      throw new RegistryError(
          RegistryProtocol.OPERATION_NOT_PERMITTED,
          "Subject \""
              + subject
              + "\" holds its limit of "
              + limits.maxVersionsPerSubject()
              + " versions");
    }
  }

  private void checkCompatible(
      String subject, Schema schema, NavigableMap<Integer, Integer> versions) {
    List<Schema> earlier = new ArrayList<>();
    versions.values().forEach(id -> earlier.add(state.parsed(id)));
    CompatibilityLevel level = state.levelOf(subject);
    List<String> problems = AvroCompatibility.problems(level, schema, earlier);
    if (!problems.isEmpty()) {
      throw new RegistryError(
          RegistryProtocol.INCOMPATIBLE,
          "Schema being registered is incompatible with an earlier schema for subject \""
              + subject
              + "\", details: "
              + problems
              + " (compatibility "
              + level
              + ")");
    }
  }

  synchronized JsonNode lookup(String subject, JsonNode body) {
    Schema schema = parseSchema(body);
    refresh();
    NavigableMap<Integer, Integer> versions = versionsOf(subject);
    Integer id = state.idOf(schema.toString());
    if (id != null) {
      for (Map.Entry<Integer, Integer> version : versions.entrySet()) {
        if (version.getValue().equals(id)) {
          return versionNode(subject, version.getKey(), id);
        }
      }
    }
    throw new RegistryError(RegistryProtocol.SCHEMA_NOT_FOUND, "Schema not found");
  }

  synchronized JsonNode versionNode(String subject, String version) {
    refresh();
    NavigableMap<Integer, Integer> versions = versionsOf(subject);
    int v = parseVersion(version);
    if (v == -1) {
      v = versions.lastKey();
    }
    Integer id = versions.get(v);
    if (id == null) {
      throw new RegistryError(RegistryProtocol.VERSION_NOT_FOUND, "Version " + v + " not found.");
    }
    return versionNode(subject, v, id);
  }

  private JsonNode versionNode(String subject, int version, int id) {
    ObjectNode node = RegistryProtocol.JSON.createObjectNode();
    node.put("subject", subject);
    node.put("version", version);
    node.put("id", id);
    node.put("schema", state.schema(id));
    return node;
  }

  // ---------------------------------------------------------------- schemas by id

  synchronized JsonNode schemaById(String idText) {
    int id = schemaId(idText);
    ObjectNode node = RegistryProtocol.JSON.createObjectNode();
    node.put("schema", state.schema(id));
    return node;
  }

  synchronized JsonNode versionsOfId(String idText) {
    int id = schemaId(idText);
    refresh();
    ArrayNode array = RegistryProtocol.JSON.createArrayNode();
    state
        .allSubjects()
        .forEach(
            (subject, versions) ->
                versions.forEach(
                    (version, versionId) -> {
                      if (versionId == id) {
                        array.addObject().put("subject", subject).put("version", version);
                      }
                    }));
    return array;
  }

  /** An id the view holds (read from the store again when it is not held yet). */
  private int schemaId(String text) {
    int id;
    try {
      id = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      id = -1;
    }
    if (id >= 1 && state.schema(id) == null) {
      refresh();
    }
    if (id < 1 || state.schema(id) == null) {
      throw new RegistryError(
          RegistryProtocol.SCHEMA_NOT_FOUND,
          "Schema " + RegistryError.shorten(text) + " not found");
    }
    return id;
  }

  // ---------------------------------------------------------------- compatibility

  synchronized JsonNode checkCompatibility(
      String subject, String version, JsonNode body, boolean verbose) {
    Schema schema = parseSchema(body);
    int v = parseVersion(version);
    refresh();
    NavigableMap<Integer, Integer> versions = state.versions(subject);
    ObjectNode node = RegistryProtocol.JSON.createObjectNode();
    if (versions == null && v == -1) {
      node.put("is_compatible", true);
      return node;
    }
    versions = versionsOf(subject);
    int upTo = v == -1 ? versions.lastKey() : v;
    if (!versions.containsKey(upTo)) {
      throw new RegistryError(
          RegistryProtocol.VERSION_NOT_FOUND, "Version " + upTo + " not found.");
    }
    List<Schema> earlier = new ArrayList<>();
    CompatibilityLevel level = state.levelOf(subject);
    if (level.transitive()) {
      versions.headMap(upTo, true).values().forEach(id -> earlier.add(state.parsed(id)));
    } else {
      earlier.add(state.parsed(versions.get(upTo)));
    }
    List<String> problems = AvroCompatibility.problems(level, schema, earlier);
    node.put("is_compatible", problems.isEmpty());
    if (verbose) {
      ArrayNode messages = node.putArray("messages");
      problems.forEach(messages::add);
    }
    return node;
  }

  // ---------------------------------------------------------------- config

  synchronized JsonNode globalLevel() {
    refresh();
    return levelNode("compatibilityLevel", state.globalLevel());
  }

  synchronized JsonNode subjectLevel(String subject, boolean defaultToGlobal) {
    refresh();
    CompatibilityLevel level = state.subjectLevel(subject);
    if (level == null && !defaultToGlobal) {
      throw new RegistryError(
          RegistryProtocol.SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED,
          "Subject '" + subject + "' does not have subject-level compatibility configured");
    }
    return levelNode("compatibilityLevel", level == null ? state.globalLevel() : level);
  }

  synchronized JsonNode setLevel(String subject, JsonNode body) {
    CompatibilityLevel level;
    try {
      level = CompatibilityLevel.parse(body.path("compatibility").asText(null));
    } catch (IllegalArgumentException e) {
      throw new RegistryError(
          RegistryProtocol.INVALID_COMPATIBILITY_LEVEL,
          "Invalid compatibility level. Valid values are none, backward, forward, full,"
              + " backward_transitive, forward_transitive, and full_transitive");
    }
    store.append(new StoreRecord.Config(subject, level));
    refresh();
    return levelNode("compatibility", level);
  }

  synchronized JsonNode deleteSubjectLevel(String subject) {
    refresh();
    CompatibilityLevel level = state.subjectLevel(subject);
    if (level == null) {
      throw new RegistryError(
          RegistryProtocol.SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
    }
    store.append(new StoreRecord.Config(subject, null));
    refresh();
    return levelNode("compatibilityLevel", level);
  }

  // ---------------------------------------------------------------- helpers

  private NavigableMap<Integer, Integer> versionsOf(String subject) {
    NavigableMap<Integer, Integer> versions = state.versions(subject);
    if (versions == null) {
      throw new RegistryError(
          RegistryProtocol.SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
    }
    return versions;
  }

  /** A version number, or -1 for {@code latest} (or -1 itself, as Confluent accepts). */
  private static int parseVersion(String text) {
    if (text.equalsIgnoreCase("latest")) {
      return -1;
    }
    try {
      int v = Integer.parseInt(text);
      if (v >= 1 || v == -1) {
        return v;
      }
    } catch (NumberFormatException e) {
      // falls through to the error below
    }
    throw new RegistryError(
        RegistryProtocol.INVALID_VERSION,
        "The specified version '"
            + RegistryError.shorten(text)
            + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the"
            + " string \"latest\"");
  }

  private Schema parseSchema(JsonNode body) {
    String type = body.path("schemaType").asText(RegistryProtocol.AVRO);
    if (!type.equals(RegistryProtocol.AVRO)) {
      throw new RegistryError(
          RegistryProtocol.INVALID_SCHEMA,
          "Invalid schema type " + type + ": this registry holds only AVRO schemas");
    }
    if (body.path("references").size() > 0) {
      throw new RegistryError(
          RegistryProtocol.INVALID_SCHEMA, "Invalid schema: schema references are not supported");
    }
    JsonNode text = body.get("schema");
    if (text == null || !text.isTextual() || text.asText().isBlank()) {
      throw new RegistryError(RegistryProtocol.INVALID_SCHEMA, "Invalid schema: empty schema");
    }
    if (text.asText().length() > limits.maxSchemaChars()) {
      throw new RegistryError(
          RegistryProtocol.INVALID_SCHEMA,
          "Invalid schema: "
              + text.asText().length()
              + " characters exceed the limit of "
              + limits.maxSchemaChars());
    }
    try {
      return new Schema.Parser().parse(text.asText());
    } catch (RuntimeException e) {
      // Avro 1.12 throws SchemaParseException, AvroTypeException, and NullPointerException for
      // unknown type names: all mean an invalid schema
      throw new RegistryError(
          RegistryProtocol.INVALID_SCHEMA,
          "Invalid schema " + RegistryError.shorten(text.asText()) + ": " + e.getMessage());
    }
  }

  private static JsonNode idNode(int id) {
    ObjectNode node = RegistryProtocol.JSON.createObjectNode();
    node.put("id", id);
    return node;
  }

  private static JsonNode levelNode(String field, CompatibilityLevel level) {
    ObjectNode node = RegistryProtocol.JSON.createObjectNode();
    node.put(field, level.name());
    return node;
  }
}
