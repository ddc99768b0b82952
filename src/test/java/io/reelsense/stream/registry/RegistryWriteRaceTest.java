package io.reelsense.stream.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

/**
 * How a registry decides that its write won when another registry shares its log, without threads:
 * the other registry's whole request is run at a chosen point, between this one's view and its
 * append.
 */
class RegistryWriteRaceTest {

  private static String numbered(int i) {
    Schema schema =
        SchemaBuilder.record("N" + i).namespace("io.example").fields().requiredInt("n").endRecord();
    return schema.toString();
  }

  private static ObjectNode body(String schema) {
    ObjectNode body = RegistryProtocol.JSON.createObjectNode();
    body.put("schema", schema);
    return body;
  }

  @Test
  void anEntryOfAnotherSchemaWithTheSameVersionAndIdIsNotHeld() {
    RegistryState state = new RegistryState(CompatibilityLevel.NONE);
    state.apply(new StoreRecord.SchemaVersion("s", 1, 1, numbered(1)));
    assertThat(state.holds(new StoreRecord.SchemaVersion("s", 1, 1, numbered(1)))).isTrue();
    assertThat(state.holds(new StoreRecord.SchemaVersion("s", 1, 1, numbered(2)))).isFalse();
    assertThat(state.holds(new StoreRecord.SchemaVersion("s", 1, 2, numbered(1)))).isFalse();
    assertThat(state.holds(new StoreRecord.SchemaVersion("t", 1, 1, numbered(1)))).isFalse();
  }

  @Test
  void twoRegistriesWritingFromOneViewGiveTwoSchemasTwoIds() {
    SharedLog log = new SharedLog();
    SharedLog.Reader storeA = log.reader();
    SharedLog.Reader storeB = log.reader();
    try (RegistryService a =
            new RegistryService(storeA, RegistryLimits.DEFAULT, CompatibilityLevel.NONE);
        RegistryService b =
            new RegistryService(storeB, RegistryLimits.DEFAULT, CompatibilityLevel.NONE)) {
      List<Integer> answeredByB = new ArrayList<>();
      // a has read the log and picked version 1 and id 1; b registers in full before a appends
      storeA.beforeNextAppend(
          () -> answeredByB.add(b.register("race-value", body(numbered(1))).path("id").asInt()));
      int answeredByA = a.register("race-value", body(numbered(0))).path("id").asInt();

      assertThat(answeredByB).containsExactly(1);
      assertThat(answeredByA).isEqualTo(2);
      for (RegistryService registry : List.of(a, b)) {
        assertThat(registry.schemaById("1").path("schema").asText()).isEqualTo(numbered(1));
        assertThat(registry.schemaById("2").path("schema").asText()).isEqualTo(numbered(0));
        assertThat(registry.versionNode("race-value", "1").path("id").asInt()).isEqualTo(1);
        assertThat(registry.versionNode("race-value", "2").path("id").asInt()).isEqualTo(2);
      }
      // the loser wrote the winner's entry again after its own, so compaction keeps the winner
      List<StoreRecord> entries = log.entries();
      assertThat(entries.subList(0, 3))
          .containsExactly(
              new StoreRecord.SchemaVersion("race-value", 1, 1, numbered(1)),
              new StoreRecord.SchemaVersion("race-value", 1, 1, numbered(0)),
              new StoreRecord.SchemaVersion("race-value", 1, 1, numbered(1)));
    }
  }

  /** One log shared by several readers, each with its own position, as registries on a topic. */
  private static final class SharedLog {
    private final List<StoreRecord> entries = new ArrayList<>();

    Reader reader() {
      return new Reader();
    }

    List<StoreRecord> entries() {
      return List.copyOf(entries);
    }

    final class Reader implements SchemaStore {
      private int position;
      private Runnable beforeNextAppend;

      void beforeNextAppend(Runnable action) {
        this.beforeNextAppend = action;
      }

      @Override
      public List<StoreRecord> poll() {
        List<StoreRecord> read = List.copyOf(entries.subList(position, entries.size()));
        position = entries.size();
        return read;
      }

      @Override
      public void append(StoreRecord record) {
        Runnable action = beforeNextAppend;
        beforeNextAppend = null;
        if (action != null) {
          action.run();
        }
        entries.add(record);
      }

      @Override
      public String describe() {
        return "shared log";
      }

      @Override
      public void close() {
        // nothing to release
      }
    }
  }
}
