package io.reelsense.stream.local;

import io.reelsense.stream.registry.EmbeddedSchemaRegistry;
import io.reelsense.stream.registry.FileSchemaStore;
import io.reelsense.stream.registry.InMemorySchemaStore;
import io.reelsense.stream.registry.KafkaSchemaStore;
import io.reelsense.stream.registry.SchemaStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The embedded broker and schema registry run on their own, for {@code reelsense broker}: with a
 * log directory and fixed ports a stopped broker starts again on the same ports with its topics,
 * offsets and transactions. Beside the broker the registry keeps its schemas in the broker's
 * compacted {@code _schemas} topic; without a broker in a directory of its own, or in memory.
 */
public final class LocalServices implements AutoCloseable {

  /**
   * What to start.
   *
   * @param port the Kafka listener port; 0 for a free one
   * @param controllerPort the KRaft controller port; 0 for a free one
   * @param logDir where Kafka keeps its log; null for a temporary directory (fixed ports) or the
   *     broker's own
   * @param registryDir where the registry keeps its schemas; null for the broker's topic or memory
   */
  public record Options(
      boolean kafka,
      int port,
      int controllerPort,
      Path logDir,
      boolean registry,
      int registryPort,
      Path registryDir) {}

  private final EmbeddedKafkaBroker broker;
  private final EmbeddedSchemaRegistry schemas;

  private LocalServices(EmbeddedKafkaBroker broker, EmbeddedSchemaRegistry schemas) {
    this.broker = broker;
    this.schemas = schemas;
  }

  /**
   * Starts what {@code options} asks for, telling {@code started} a {@code bootstrap HOST:PORT}
   * line once the broker is up and a {@code registry URL} line once the registry is.
   */
  public static LocalServices start(Options options, Consumer<String> started) throws IOException {
    EmbeddedKafkaBroker broker = null;
    try {
      if (options.kafka()) {
        broker =
            options.logDir() == null && options.port() == 0 && options.controllerPort() == 0
                ? EmbeddedKafkaBroker.start()
                : EmbeddedKafkaBroker.startPersistent(
                    options.logDir() == null
                        ? Files.createTempDirectory("reelsense-kafka-")
                        : options.logDir(),
                    options.port(),
                    options.controllerPort(),
                    Map.of());
        started.accept("bootstrap " + broker.bootstrapServers());
      }
      EmbeddedSchemaRegistry schemas = null;
      if (options.registry()) {
        SchemaStore store =
            options.registryDir() != null
                ? FileSchemaStore.open(options.registryDir())
                : broker != null
                    ? KafkaSchemaStore.open(broker.bootstrapServers())
                    : new InMemorySchemaStore();
        schemas =
            EmbeddedSchemaRegistry.builder().port(options.registryPort()).store(store).start();
        started.accept("registry " + schemas.url());
      }
      return new LocalServices(broker, schemas);
    } catch (IOException | RuntimeException e) {
      if (broker != null) {
        broker.close();
      }
      throw e;
    }
  }

  /** The {@code --json} keys: {@code bootstrap}, {@code log_dir}, {@code registry} (as started). */
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    if (broker != null) {
      json.put("bootstrap", broker.bootstrapServers());
      json.put("log_dir", broker.logDir().toString());
    }
    if (schemas != null) {
      json.put("registry", schemas.url());
    }
    return json;
  }

  /** Stops the registry, then the broker. */
  @Override
  public void close() {
    try {
      if (schemas != null) {
        schemas.close();
      }
    } finally {
      if (broker != null) {
        broker.close();
      }
    }
  }
}
