package io.reelsense.eval.reliability;

import io.reelsense.avro.Review;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Runs the reliability scenarios: the broker and the registry each in a process of their own, the
 * application as child JVMs ({@code reelsense run}), a ledger per scenario; then writes {@code
 * reliability.json} and {@code reliability.md} into the output directory.
 */
public final class Reliability {

  /** Every scenario, in the order they run. */
  public static final List<String> SCENARIOS =
      List.of(
          CrashScenario.NAME,
          ScaleScenario.NAME,
          BrokerRestartScenario.NAME,
          BadInputScenario.NAME,
          SchemaEvolutionScenario.NAME);

  /** Scenarios run only when asked for by name: {@code cluster} starts three more broker JVMs. */
  public static final List<String> ON_REQUEST = List.of(ClusterScenario.NAME);

  /** Every scenario name {@code --scenarios} accepts. */
  public static final List<String> KNOWN =
      java.util.stream.Stream.concat(SCENARIOS.stream(), ON_REQUEST.stream()).toList();

  /**
   * What to run.
   *
   * @param reviews the reviews the crash, scale and broker scenarios replay
   * @param crashes kill -9s in the crash scenario
   * @param seed seed of every random choice
   * @param scenarios which scenarios (names of {@link #SCENARIOS})
   * @param badRecords records of the bad-input mix
   * @param schemaRecords records per producer and phase in the schema scenario
   * @param out output directory (reports, logs; state and Kafka's log while it runs)
   * @param bundle model bundle of the application
   * @param batchSize the application's micro-batch size
   * @param stall how long without output ends a wait
   * @param rate reviews per second of the crash and scale replays (0: as fast as possible)
   */
  public record Options(
      List<io.reelsense.data.Review> reviews,
      int crashes,
      long seed,
      Set<String> scenarios,
      int badRecords,
      int schemaRecords,
      Path out,
      Path bundle,
      int batchSize,
      Duration stall,
      int rate) {}

  private Reliability() {}

  /** Runs {@code options} with child JVMs started by {@code launcher}. */
  public static ReliabilityReport run(Options options, Launcher launcher, Consumer<String> progress)
      throws InterruptedException {
    long t0 = System.nanoTime();
    Path work = options.out();
    try {
      Files.createDirectories(work);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + work, e);
    }
    deleteTree(work.resolve("state"));
    deleteTree(work.resolve("kafka-log"));
    deleteTree(work.resolve("logs"));
    deleteTree(work.resolve("cluster"));
    try (KafkaProcesses kafka = new KafkaProcesses(launcher, work)) {
      progress.accept("starting the broker and the schema registry (each in its own process) …");
      kafka.startBroker();
      kafka.startRegistry();
      progress.accept(
          "broker "
              + kafka.bootstrap()
              + " (pid "
              + kafka.brokerPid()
              + "), registry "
              + kafka.registryUrl());
      Env env =
          new Env(
              kafka.bootstrap(),
              kafka.registryUrl(),
              new ChildJvmApps(launcher, work.resolve("logs"), "1g"),
              options.bundle(),
              work,
              options.seed(),
              progress,
              options.stall(),
              options.batchSize(),
              options.rate());
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
      List<ScenarioResult> results = new ArrayList<>(runScenarios(env, options, broker));
      if (options.scenarios().contains(ClusterScenario.NAME)) {
        results.add(runCluster(env, options, launcher, work));
      }
      return new ReliabilityReport(results, options, (System.nanoTime() - t0) / 1e9);
    } finally {
      deleteTree(work.resolve("state"));
      deleteTree(work.resolve("kafka-log"));
      deleteTree(work.resolve("cluster"));
    }
  }

  /** The cluster scenario: three broker JVMs of their own, the registry and apps of {@code env}. */
  static ScenarioResult runCluster(Env env, Options options, Launcher launcher, Path work)
      throws InterruptedException {
    env.progress().accept("== scenario " + ClusterScenario.NAME + " ==");
    long t0 = System.nanoTime();
    ScenarioResult r;
    try (KafkaCluster cluster = new KafkaCluster(launcher, work)) {
      env.progress().accept("starting a three-node Kafka cluster (each node in its own process) …");
      cluster.startAll();
      env.progress().accept("cluster " + cluster.bootstrap());
      Env onCluster =
          new Env(
              cluster.bootstrap(),
              env.registryUrl(),
              env.apps(),
              env.bundle(),
              env.work(),
              env.seed(),
              env.progress(),
              env.stall(),
              env.batchSize(),
              env.rate());
      r = ClusterScenario.run(onCluster, ReviewText.of(options.reviews()), cluster);
    } catch (RuntimeException e) {
      r = ScenarioResult.failed(ClusterScenario.NAME, CrashScenario.seconds(t0), String.valueOf(e));
    }
    env.progress()
        .accept(
            String.format(
                "== %s: %s (%d lost, %d duplicated, %.0f s)",
                r.name(), r.passed() ? "PASSED" : "FAILED", r.lost(), r.duplicated(), r.seconds()));
    return r;
  }

  /** Runs the chosen scenarios in {@code env}; {@code broker} null skips the broker scenario. */
  public static List<ScenarioResult> runScenarios(
      Env env, Options options, BrokerRestartScenario.Broker broker) throws InterruptedException {
    List<Review> reviews = ReviewText.of(options.reviews());
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < Math.min(500, options.reviews().size()); i++) {
      texts.add(options.reviews().get(i).text());
    }
    if (texts.isEmpty()) {
      texts.add("A fine film.");
    }
    List<ScenarioResult> results = new ArrayList<>();
    for (String name : SCENARIOS) {
      if (!options.scenarios().contains(name)) {
        continue;
      }
      env.progress().accept("== scenario " + name + " ==");
      long t0 = System.nanoTime();
      ScenarioResult r;
      try {
        r =
            switch (name) {
              case CrashScenario.NAME -> CrashScenario.run(env, reviews, options.crashes());
              case ScaleScenario.NAME -> ScaleScenario.run(env, reviews);
              case BrokerRestartScenario.NAME ->
                  broker == null
                      ? ScenarioResult.failed(name, 0, "no broker process to restart")
                      : BrokerRestartScenario.run(env, reviews, broker);
              case BadInputScenario.NAME -> BadInputScenario.run(env, texts, options.badRecords());
              case SchemaEvolutionScenario.NAME ->
                  SchemaEvolutionScenario.run(env, texts, options.schemaRecords());
              default -> throw new IllegalArgumentException("unknown scenario " + name);
            };
      } catch (RuntimeException e) {
        r = ScenarioResult.failed(name, CrashScenario.seconds(t0), String.valueOf(e));
      }
      env.progress()
          .accept(
              String.format(
                  "== %s: %s (%d lost, %d duplicated, %.0f s)",
                  name, r.passed() ? "PASSED" : "FAILED", r.lost(), r.duplicated(), r.seconds()));
      results.add(r);
    }
    return results;
  }

  /** The summary of every scenario, keyed by name. */
  static Map<String, ScenarioResult> byName(List<ScenarioResult> results) {
    Map<String, ScenarioResult> m = new LinkedHashMap<>();
    results.forEach(r -> m.put(r.name(), r));
    return m;
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
