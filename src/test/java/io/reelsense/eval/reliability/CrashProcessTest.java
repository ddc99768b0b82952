package io.reelsense.eval.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.reelsense.data.SampleData;
import io.reelsense.eval.ReplaySelection;
import io.reelsense.stream.local.EmbeddedKafkaBroker;
import io.reelsense.stream.registry.EmbeddedSchemaRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash scenario with real processes: the application runs as {@code reelsense run} in a child
 * JVM (the test class path), is killed with kill -9 in the middle of a replay of the committed
 * sample's test split and restarted; every review has exactly one output (read_committed).
 */
class CrashProcessTest {

  @Test
  void aKilledAndRestartedAppLosesAndRepeatsNothing(@TempDir Path work) throws Exception {
    List<io.reelsense.avro.Review> reviews =
        ReviewText.of(ReplaySelection.of(SampleData.dir(), "test", 600));
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
        EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start()) {
      Env env =
          new Env(
              broker.bootstrapServers(),
              registry.url(),
              new ChildJvmApps(
                  Launcher.sameJvm("io.reelsense.cli.Main"), work.resolve("logs"), "512m"),
              TestBundles.tiny(work.resolve("bundle")),
              work,
              11,
              System.err::println,
              Duration.ofSeconds(90),
              32,
              0);

      ScenarioResult r = CrashScenario.run(env, reviews, 1);

      assertThat(r.error()).isNull();
      assertThat(r.tally().inputs()).isEqualTo(600);
      assertThat(r.tally().lost()).as("lost " + r.tally().lostExamples()).isZero();
      assertThat(r.tally().duplicated()).as("dup " + r.tally().duplicatedExamples()).isZero();
      assertThat(r.tally().scored()).isEqualTo(600);
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> kills = (List<Map<String, Object>>) r.details().get("kills");
      assertThat(kills).hasSize(1);
      assertThat(r.details()).containsEntry("crashes_survived", 1);
      assertThat(r.passed()).as(r.toMap().toString()).isTrue();
    }
  }
}
