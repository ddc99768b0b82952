package io.reelsense.eval.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.reelsense.stream.local.EmbeddedKafkaBroker;
import io.reelsense.stream.registry.EmbeddedSchemaRegistry;
import io.reelsense.train.TinyBundles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input and schema-evolution scenarios against an in-process broker, registry and
 * application: every record is scored or dead-lettered with its expected reason, exactly once; the
 * newer schema works and the incompatible one is refused with 409.
 */
class InProcessScenariosTest {

  private static EmbeddedKafkaBroker broker;
  private static EmbeddedSchemaRegistry registry;
  @TempDir static Path work;
  private static Env env;
  private static final List<String> PROGRESS = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    broker = EmbeddedKafkaBroker.start();
    registry = EmbeddedSchemaRegistry.start();
    env =
        new Env(
            broker.bootstrapServers(),
            registry.url(),
            new InProcessApps(),
            TinyBundles.tfidf(work.resolve("bundle")),
            work,
            7,
            line -> {
              synchronized (PROGRESS) {
                PROGRESS.add(line);
              }
            },
            Duration.ofSeconds(60),
            32,
            0);
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  private static final List<String> TEXTS =
      List.of("A wonderful, moving film.", "Two hours I will never get back.", "Fine.");

  @Test
  void everyBadRecordIsScoredOrDeadLetteredWithItsReasonExactlyOnce() throws Exception {
    ScenarioResult r = BadInputScenario.run(env, TEXTS, 400);

    assertThat(r.error()).isNull();
    Ledger.Tally t = r.tally();
    assertThat(t.lost()).as("lost " + t.lostExamples()).isZero();
    assertThat(t.duplicated()).as("duplicated " + t.duplicatedExamples()).isZero();
    assertThat(t.mismatched()).as("not as expected " + t.mismatchExamples()).isZero();
    assertThat(t.unexpected()).isZero();
    assertThat(t.inputs()).isEqualTo(400 + BadInputScenario.CANARIES);
    assertThat(t.scored() + t.deadLettered()).isEqualTo(t.inputs());
    assertThat(r.passed()).as(r.toMap().toString()).isTrue();
    assertThat(r.details()).containsEntry("stream_kept_running", true);
    // each kind of bad record lands where it should, with a reason of its own
    Map<String, Map<String, Object>> c = t.categories();
    assertThat(c.get("wrong_magic_byte")).containsEntry("dlq", 20).containsEntry("scored", 0);
    assertThat(c.get("unknown_schema_id")).containsEntry("dlq", 20);
    assertThat(c.get("text_1mb")).containsEntry("dlq", 1);
    assertThat(c.get("null_key")).containsEntry("scored", 20);
    assertThat(c.get("non_english")).containsEntry("scored", 20);
    assertThat(c.get("invalid_utf8")).containsEntry("scored", 20);
    assertThat(t.reasons().keySet())
        .contains(
            "deserialize/null_value",
            "deserialize/empty_value",
            "validate/blank_text",
            "validate/empty_review_id");
    assertThat(t.reasons().values().stream().mapToInt(Integer::intValue).sum())
        .isEqualTo(t.deadLettered());
  }

  @Test
  void oldAndNewerSchemasAreScoredAndAnIncompatibleOneIsRefusedWith409() throws Exception {
    ScenarioResult r = SchemaEvolutionScenario.run(env, TEXTS, 20);

    assertThat(r.error()).isNull();
    assertThat(r.tally().lost()).isZero();
    assertThat(r.tally().duplicated()).isZero();
    assertThat(r.tally().inputs()).isEqualTo(80);
    assertThat(r.tally().categories().get("newer_schema")).containsEntry("scored", 40);
    assertThat(r.tally().categories().get("old_schema")).containsEntry("scored", 40);
    assertThat(r.details())
        .containsEntry("incompatible_status", 409)
        .containsEntry("written_with_incompatible", 0)
        .containsEntry("versions_after_refusal", List.of(1, 2));
    assertThat((String) r.details().get("incompatible_error")).contains("incompatible");
    assertThat(r.passed()).as(r.toMap().toString()).isTrue();
  }
}
