package io.reelsense.stream.registry;

import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's view of its {@link SchemaStore}'s log: subjects, versions, ids, levels. Records
 * are applied in log order; the first record that claims a subject's next version or an id wins,
 * later ones that disagree are ignored, so every reader of one log holds the same view. Versions
 * are keyed by their number, so a compacted log that keeps a version's entry after a later
 * version's still reads the same. Not thread-safe: {@link RegistryService} guards it.
 */
final class RegistryState {

  private static final Logger LOG = LoggerFactory.getLogger(RegistryState.class);

  private final CompatibilityLevel defaultLevel;
  private final Map<String, NavigableMap<Integer, Integer>> subjects = new TreeMap<>();
  private final Map<Integer, String> schemas = new HashMap<>();
  private final Map<Integer, Schema> parsed = new HashMap<>();
  private final Map<String, Integer> ids = new HashMap<>();
  private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
  private CompatibilityLevel globalLevel;
  private int maxId;

  RegistryState(CompatibilityLevel defaultLevel) {
    this.defaultLevel = defaultLevel;
    this.globalLevel = defaultLevel;
  }

  void apply(StoreRecord record) {
    if (record instanceof StoreRecord.SchemaVersion version) {
      apply(version);
    } else if (record instanceof StoreRecord.Config config) {
      if (config.subject() == null) {
        globalLevel = config.level() == null ? defaultLevel : config.level();
      } else if (config.level() == null) {
        subjectLevels.remove(config.subject());
      } else {
        subjectLevels.put(config.subject(), config.level());
      }
    }
  }

  private void apply(StoreRecord.SchemaVersion record) {
    NavigableMap<Integer, Integer> versions = subjects.get(record.subject());
    if (versions != null && versions.containsKey(record.version())) {
      return; // a repeat of a version already held, or one that lost to another writer
    }
    String known = schemas.get(record.id());
    if (known != null && !known.equals(record.schema())) {
      return; // the id belongs to another schema
    }
    Integer idOfText = ids.get(record.schema());
    if (idOfText != null && idOfText != record.id()) {
      return; // this schema already has another id
    }
    if (known == null) {
      Schema schema;
      try {
        schema = new Schema.Parser().parse(record.schema());
      } catch (RuntimeException e) {
        LOG.warn(
            "ignoring stored schema {} of {}: it does not parse ({})",
            record.id(),
            record.subject(),
            RegistryError.shorten(e.getMessage()));
        return;
      }
      schemas.put(record.id(), record.schema());
      parsed.put(record.id(), schema);
      ids.put(record.schema(), record.id());
      maxId = Math.max(maxId, record.id());
    }
    subjects
        .computeIfAbsent(record.subject(), s -> new TreeMap<>())
        .put(record.version(), record.id());
  }

  /**
   * Whether the view holds {@code record} as it was written: its subject's version has its id, and
   * that id is its schema. Registries that write from the same view pick the same next version and
   * the same next id, so the version and the id alone match the entry of another schema that came
   * first.
   */
  boolean holds(StoreRecord.SchemaVersion record) {
    NavigableMap<Integer, Integer> versions = subjects.get(record.subject());
    return versions != null
        && Integer.valueOf(record.id()).equals(versions.get(record.version()))
        && record.schema().equals(schemas.get(record.id()));
  }

  /** The record the view holds for {@code subject}'s {@code version}, or null. */
  StoreRecord.SchemaVersion record(String subject, int version) {
    NavigableMap<Integer, Integer> versions = subjects.get(subject);
    Integer id = versions == null ? null : versions.get(version);
    return id == null ? null : new StoreRecord.SchemaVersion(subject, version, id, schemas.get(id));
  }

  Iterable<String> subjectNames() {
    return subjects.keySet();
  }

  int subjectCount() {
    return subjects.size();
  }

  /** {@code subject}'s versions and their ids, oldest first; null for an unknown subject. */
  NavigableMap<Integer, Integer> versions(String subject) {
    return subjects.get(subject);
  }

  Map<String, NavigableMap<Integer, Integer>> allSubjects() {
    return subjects;
  }

  String schema(int id) {
    return schemas.get(id);
  }

  Schema parsed(int id) {
    return parsed.get(id);
  }

  Integer idOf(String canonical) {
    return ids.get(canonical);
  }

  int nextId() {
    return maxId + 1;
  }

  CompatibilityLevel globalLevel() {
    return globalLevel;
  }

  CompatibilityLevel subjectLevel(String subject) {
    return subjectLevels.get(subject);
  }

  CompatibilityLevel levelOf(String subject) {
    return subjectLevels.getOrDefault(subject, globalLevel);
  }
}
