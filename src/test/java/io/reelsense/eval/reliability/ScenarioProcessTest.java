package io.reelsense.eval.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.reelsense.data.SampleData;
import io.reelsense.eval.ReplaySelection;
import io.reelsense.stream.local.EmbeddedKafkaBroker;
import io.reelsense.stream.registry.EmbeddedSchemaRegistry;
import io.reelsense.train.TinyBundles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Short versions of the {@code scale} and {@code broker} reliability scenarios with real processes
 * (the application, and for the broker scenario the broker too, each in a child JVM): a second
 * instance stopped mid-replay hands its partitions to the first; a broker killed with kill -9 and
 * restarted on the same log directory is waited out by the application. Every review must have
 * exactly one output. Each runs in well under two minutes.
 */
class ScenarioProcessTest {

  private static final int REVIEWS = 400;

  private static Env env(Path work, String bootstrap, String registry, int rate) throws Exception {
    return new Env(
        bootstrap,
        registry,
        new ChildJvmApps(Launcher.sameJvm("io.reelsense.cli.Main"), work.resolve("logs"), "512m"),
        TinyBundles.tfidf(work.resolve("bundle")),
        work,
        11,
        System.err::println,
        Duration.ofSeconds(90),
        32,
        rate);
  }

  private static List<io.reelsense.avro.Review> reviews() {
    return ReviewText.of(ReplaySelection.of(SampleData.dir(), "test", REVIEWS));
  }

  @Test
  void aStoppedInstanceHandsItsPartitionsOverMidReplay(@TempDir Path work) throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
        EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start()) {
      ScenarioResult r =
          ScaleScenario.run(env(work, broker.bootstrapServers(), registry.url(), 40), reviews());

      assertThat(r.error()).isNull();
      assertThat((int) r.details().get("stopped_at_accounted"))
          .as("stopped mid-replay: " + r.details())
          .isLessThan(REVIEWS);
      assertThat(r.details().get("resumed_after_stop_ms")).as(r.details().toString()).isNotNull();
      assertThat(r.tally().inputs()).isEqualTo(REVIEWS);
      assertThat(r.tally().lost()).as("lost " + r.tally().lostExamples()).isZero();
      assertThat(r.tally().duplicated()).as("dup " + r.tally().duplicatedExamples()).isZero();
      assertThat(r.passed()).as(r.toMap().toString()).isTrue();
    }
  }

  @Test
  void theAppWaitsOutABrokerKilledAndRestarted(@TempDir Path work) throws Exception {
    try (KafkaProcesses kafka =
            new KafkaProcesses(Launcher.sameJvm("io.reelsense.cli.Main"), work);
        EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start()) {
      kafka.startBroker();
      BrokerRestartScenario.Broker broker =
          new BrokerRestartScenario.Broker() {
            @Override
            public void kill() throws InterruptedException {
              kafka.killBroker();
            }

            @Override
            public void start() throws InterruptedException {
              kafka.startBroker();
            }
          };
      ScenarioResult r =
          BrokerRestartScenario.run(
              env(work, kafka.bootstrap(), registry.url(), 0), reviews(), broker);

      assertThat(r.error()).isNull();
      assertThat(r.details()).containsKey("killed_at_accounted").containsKey("broker_down_ms");
      assertThat(r.details().get("resumed_after_kill_ms")).as(r.details().toString()).isNotNull();
      assertThat(r.details()).containsEntry("app_alive", true);
      assertThat(r.tally().inputs()).isEqualTo(REVIEWS);
      assertThat(r.tally().lost()).as("lost " + r.tally().lostExamples()).isZero();
      assertThat(r.tally().duplicated()).as("dup " + r.tally().duplicatedExamples()).isZero();
      assertThat(r.passed()).as(r.toMap().toString()).isTrue();
    }
  }
}
