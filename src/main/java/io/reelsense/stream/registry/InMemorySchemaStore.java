package io.reelsense.stream.registry;

import java.util.ArrayList;
import java.util.List;

/** A {@link SchemaStore} in memory: forgotten when the registry stops. For tests. */
public final class InMemorySchemaStore implements SchemaStore {

  private final List<StoreRecord> pending = new ArrayList<>();

  @Override
  public synchronized List<StoreRecord> poll() {
    List<StoreRecord> records = List.copyOf(pending);
    pending.clear();
    return records;
  }

  @Override
  public synchronized void append(StoreRecord record) {
    pending.add(record);
  }

  @Override
  public String describe() {
    return "memory";
  }

  @Override
  public void close() {
    // nothing to release
  }
}
