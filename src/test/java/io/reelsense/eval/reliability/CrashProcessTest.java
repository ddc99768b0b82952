package io.reelsense.eval.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.reelsense.data.SampleData;
import io.reelsense.eval.ReplaySelection;
import io.reelsense.stream.ReelsenseConfig;
import io.reelsense.stream.local.EmbeddedKafkaBroker;
import io.reelsense.stream.registry.EmbeddedSchemaRegistry;
import io.reelsense.train.TinyBundles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash scenario with real processes: the application runs as {@code reelsense run} in a child
 * JVM (the test class path) and is killed with kill -9 in the middle of a paced replay of the
 * committed sample's test split, then restarted.
 *
 * <p>A kill after everything is committed would prove nothing, so the replay is paced (40
 * reviews/s, 15 s in all) and the kill is held until the ledger shows acknowledged reviews without
 * output; the test then checks from the ledger that the kill did land with work uncommitted
 * (reviews in the topic before the kill whose only committed output was made after it) and that the
 * producer was still sending. A control run with {@code at_least_once} shows what exactly-once
 * prevents: the same kill duplicates outputs there.
 */
class CrashProcessTest {

  private static final int REVIEWS = 600;
  private static final int RATE = 40;

  private static Env env(Path work, EmbeddedKafkaBroker broker, EmbeddedSchemaRegistry registry)
      throws Exception {
    return new Env(
        broker.bootstrapServers(),
        registry.url(),
        new ChildJvmApps(Launcher.sameJvm("io.reelsense.cli.Main"), work.resolve("logs"), "512m"),
        TinyBundles.tfidf(work.resolve("bundle")),
        work,
        11,
        System.err::println,
        Duration.ofSeconds(90),
        32,
        RATE);
  }

  private static List<io.reelsense.avro.Review> reviews() {
    return ReviewText.of(ReplaySelection.of(SampleData.dir(), "test", REVIEWS));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> onlyKill(ScenarioResult r) {
    List<Map<String, Object>> kills = (List<Map<String, Object>>) r.details().get("kills");
    assertThat(kills).hasSize(1);
    return kills.get(0);
  }

  @Test
  void aKillWithWorkInFlightLosesAndRepeatsNothing(@TempDir Path work) throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
        EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start()) {
      // transactions of 1 s: up to ~40 reviews read but not committed when the kill lands
      ScenarioResult r =
          CrashScenario.run(
              env(work, broker, registry),
              reviews(),
              1,
              Map.of(ReelsenseConfig.COMMIT_INTERVAL_MS, "1000"),
              20);

      Map<String, Object> kill = onlyKill(r);
      assertThat((int) kill.get("inputs_at_kill"))
          .as("the producer was still sending at the kill: " + kill)
          .isLessThan(REVIEWS);
      assertThat((int) kill.get("in_flight_at_kill"))
          .as("reviews in the topic before the kill, committed only after it: " + kill)
          .isPositive();
      assertThat(r.error()).isNull();
      assertThat(r.tally().inputs()).isEqualTo(REVIEWS);
      assertThat(r.tally().lost()).as("lost " + r.tally().lostExamples()).isZero();
      assertThat(r.tally().duplicated()).as("dup " + r.tally().duplicatedExamples()).isZero();
      assertThat(r.tally().scored()).isEqualTo(REVIEWS);
      assertThat(r.details()).containsEntry("crashes_survived", 1);
      assertThat(r.passed()).as(r.toMap().toString()).isTrue();
    }
  }

  @Test
  void theSameKillUnderAtLeastOnceDuplicates(@TempDir Path work) throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
        EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start()) {
      // no offset commit before the kill (60 s interval): every output the first instance wrote
      // is written again by the next one, which starts from the beginning of the topic
      ScenarioResult r =
          CrashScenario.run(
              env(work, broker, registry),
              reviews(),
              1,
              Map.of(
                  ReelsenseConfig.PROCESSING_GUARANTEE, "at_least_once",
                  ReelsenseConfig.COMMIT_INTERVAL_MS, "60000"),
              0);

      Map<String, Object> kill = onlyKill(r);
      assertThat((int) kill.get("inputs_at_kill")).as(kill.toString()).isLessThan(REVIEWS);
      assertThat(r.tally().inputs()).isEqualTo(REVIEWS);
      assertThat(r.tally().lost()).as("lost " + r.tally().lostExamples()).isZero();
      assertThat(r.tally().duplicated())
          .as("outputs written before the kill are written again")
          .isGreaterThanOrEqualTo((int) kill.get("killed_at_accounted"))
          .isPositive();
      assertThat(r.passed()).isFalse();
    }
  }
}
