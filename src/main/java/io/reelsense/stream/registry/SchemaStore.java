package io.reelsense.stream.registry;

import java.util.List;

/**
 * Where an {@link EmbeddedSchemaRegistry} keeps its schemas: an append-only log of {@link
 * StoreRecord}s that the registry replays into its view. Implementations: {@link
 * InMemorySchemaStore} (forgotten at close, for tests), {@link FileSchemaStore} (a file in a
 * directory, for a registry on its own) and {@link KafkaSchemaStore} (a compacted topic, as
 * Confluent's {@code _schemas}: several registries may share it).
 *
 * <p>The registry calls a store from one thread at a time. When several writers share a store,
 * every reader applies the log in the same order with the same rule (the first entry that claims a
 * subject's version or an id wins), so they all agree on ids; a writer counts its entry as stored
 * only once a poll after its append gives a view that holds that very entry, schema included.
 */
public interface SchemaStore extends AutoCloseable {

  /**
   * Every record appended since the previous call, in log order, including those appended by other
   * processes sharing the store before this call and always every record this store appended; the
   * first call returns the whole log.
   *
   * @throws IllegalStateException when the store cannot be read
   */
  List<StoreRecord> poll();

  /**
   * Appends {@code record} durably; it comes back from a later {@link #poll()}.
   *
   * @throws IllegalStateException when the store cannot be written
   */
  void append(StoreRecord record);

  /** Where the records live, for log lines and {@code --json} reports. */
  String describe();

  @Override
  void close();
}
