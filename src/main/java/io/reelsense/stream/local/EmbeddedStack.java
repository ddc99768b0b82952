package io.reelsense.stream.local;

import io.reelsense.model.ReviewClassifier;
import io.reelsense.stream.ReelsenseConfig;
import io.reelsense.stream.ReelsenseStreams;
import io.reelsense.stream.StreamModels;
import io.reelsense.stream.film.FilmCatalog;
import io.reelsense.stream.registry.EmbeddedSchemaRegistry;
import io.reelsense.stream.registry.KafkaSchemaStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Everything a replay, the demo or {@code run --embedded} needs, in this process: an embedded KRaft
 * broker, an embedded schema registry and the scoring topology (or a temporary state directory for
 * a topology started by the caller). Started step by step (so the demo can time each step); {@link
 * #close()} stops what was started, in reverse order, and deletes the Kafka Streams state
 * directory.
 */
public final class EmbeddedStack implements AutoCloseable {

  private EmbeddedKafkaBroker broker;
  private EmbeddedSchemaRegistry registry;
  private ReelsenseStreams streams;
  private Path stateDir;

  /** Starts the broker (KRaft, free local ports, temporary log directory removed on close). */
  public void startBroker() {
    broker = EmbeddedKafkaBroker.start();
  }

  /**
   * Starts the schema registry on a free local port, its schemas in the broker's {@code _schemas}
   * topic once the broker runs (in memory before).
   */
  public void startRegistry() {
    registry =
        broker == null
            ? EmbeddedSchemaRegistry.start()
            : EmbeddedSchemaRegistry.builder()
                .store(KafkaSchemaStore.open(broker.bootstrapServers()))
                .start();
  }

  /**
   * The configuration keys that point a client at this stack and keep the topology's files in
   * {@code stateDir}: servers, registry, state directory, any free HTTP port.
   */
  public Map<String, String> overrides(Path stateDir) {
    Map<String, String> m = overridesKeepingHttpPort(stateDir);
    m.put(ReelsenseConfig.HTTP_PORT, "0");
    return m;
  }

  /**
   * The keys of {@link #overrides} but the HTTP port, for an application whose query server keeps
   * its configured port ({@code run --embedded}).
   */
  public Map<String, String> overridesKeepingHttpPort(Path stateDir) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(ReelsenseConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers());
    m.put(ReelsenseConfig.REGISTRY_URL, registry.url());
    m.put(ReelsenseConfig.STATE_DIR, stateDir.toAbsolutePath().toString());
    return m;
  }

  /**
   * A new temporary Kafka Streams state directory, deleted by {@link #close()}: for an application
   * started outside {@link #startTopology}.
   *
   * @throws UncheckedIOException when the temporary directory cannot be created
   */
  public Path temporaryStateDir() {
    try {
      stateDir = Files.createTempDirectory("reelsense-state-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary state directory", e);
    }
    return stateDir;
  }

  /**
   * Starts the topology with {@code classifier} (which it owns from now on) and the embedder {@code
   * model.embedder} names ({@link StreamModels}), and waits until it is running.
   *
   * @throws io.reelsense.stream.ConfigError when the embedder's model jar is missing or unreadable
   * @throws IllegalStateException when it is not running within {@code timeout}
   */
  public void startTopology(ReelsenseConfig config, ReviewClassifier classifier, Duration timeout)
      throws InterruptedException {
    stateDir = config.stateDir();
    deleteTree(stateDir);
    FilmCatalog films = StreamModels.films(config, new PrintWriter(System.err, true));
    try {
      streams = ReelsenseStreams.start(config, StreamModels.scorer(config, classifier), films);
    } catch (RuntimeException e) {
      if (films != null) {
        films.close();
      }
      throw e;
    }
    if (!streams.awaitRunning(timeout)) {
      throw new IllegalStateException(
          "Kafka Streams is "
              + streams.streams().state()
              + " after "
              + timeout.toSeconds()
              + " s instead of RUNNING");
    }
  }

  /** The running application, once {@link #startTopology} returned. */
  public ReelsenseStreams streams() {
    return streams;
  }

  public String bootstrapServers() {
    return broker.bootstrapServers();
  }

  public String registryUrl() {
    return registry.url();
  }

  @Override
  public void close() {
    try {
      if (streams != null) {
        streams.close();
      }
    } finally {
      try {
        if (registry != null) {
          registry.close();
        }
      } finally {
        try {
          if (broker != null) {
            broker.close();
          }
        } finally {
          if (stateDir != null) {
            deleteTree(stateDir);
          }
        }
      }
    }
  }

  /**
   * Deletes a folder and everything in it (a Kafka Streams state directory); nothing when it is not
   * there.
   *
   * @throws UncheckedIOException when something in it cannot be deleted
   */
  public static void deleteTree(Path dir) {
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
