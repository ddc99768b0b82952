package io.reelsense.eval.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.reelsense.stream.local.EmbeddedKafkaBroker;
import io.reelsense.stream.registry.EmbeddedSchemaRegistry;
import io.reelsense.stream.registry.RegistryLimits;
import io.reelsense.train.TinyBundles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short hostile run against an in-process broker, registry (with a subject limit of 20) and
 * application: a few hundred malformed requests to each HTTP target and a few hundred bad records;
 * no answer may be a server error or a dropped connection, every bad record must be dead-lettered
 * with its reason and every valid review scored.
 */
class HostileScenarioTest {

  private static EmbeddedKafkaBroker broker;
  private static EmbeddedSchemaRegistry registry;
  @TempDir static Path work;
  private static Env env;

  @BeforeAll
  static void start() throws Exception {
    broker = EmbeddedKafkaBroker.start();
    registry =
        EmbeddedSchemaRegistry.builder()
            .limits(new RegistryLimits(4 << 20, 1 << 20, 20, 1_000))
            .start();
    env =
        new Env(
            broker.bootstrapServers(),
            registry.url(),
            new InProcessApps(),
            TinyBundles.tfidf(work.resolve("bundle")),
            work,
            11,
            System.out::println,
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

  @Test
  void malformedRequestsGetClientErrorsAndEveryBadRecordIsDeadLettered() throws Exception {
    HostileScenario.Bounds bounds =
        new HostileScenario.Bounds(300, 300, 30, Duration.ofSeconds(30), 4_096);
    ScenarioResult r =
        HostileScenario.run(env, List.of("A wonderful, moving film.", "A dull mess."), bounds);

    assertThat(r.error()).isNull();
    var d = r.details();
    assertThat(d.get("registry_requests").toString()).contains("sent=300");
    assertThat(d.get("query_server_requests").toString()).contains("sent=300");
    assertThat(d.get("registry_requests").toString())
        .contains("server_errors=0")
        .contains("dropped_connections=0");
    assertThat(d.get("query_server_requests").toString())
        .contains("server_errors=0")
        .contains("dropped_connections=0");
    // the subject limit refuses the ones beyond it
    assertThat((Integer) d.get("subjects_refused")).isPositive();
    Ledger.Tally t = r.tally();
    assertThat(t.lost()).as("lost " + t.lostExamples()).isZero();
    assertThat(t.mismatched()).as("not as expected " + t.mismatchExamples()).isZero();
    assertThat(d.get("bad_dead_lettered")).isEqualTo(d.get("bad_records"));
    assertThat(t.deadLettered()).isEqualTo(d.get("bad_records"));
    assertThat(d.get("good_scored")).isEqualTo(d.get("good_records")).isEqualTo(60);
    assertThat(d).containsEntry("registry_alive", true).containsEntry("app_healthy", true);
    assertThat(r.passed()).as(r.toMap().toString()).isTrue();
  }
}
