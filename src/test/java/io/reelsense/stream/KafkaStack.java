package io.reelsense.stream;

import io.reelsense.stream.local.EmbeddedKafkaBroker;
import io.reelsense.stream.registry.EmbeddedSchemaRegistry;
import io.reelsense.stream.registry.SchemaRegistryClient;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An embedded broker and schema registry shared by the tests of one class: register it with
 * {@code @RegisterExtension static final KafkaStack stack = new KafkaStack();}; it starts both
 * before the first test and closes them after the last.
 */
public final class KafkaStack implements BeforeAllCallback, AfterAllCallback {

  private EmbeddedKafkaBroker broker;
  private EmbeddedSchemaRegistry registry;
  private SchemaRegistryClient client;

  @Override
  public void beforeAll(ExtensionContext context) {
    broker = EmbeddedKafkaBroker.start();
    registry = EmbeddedSchemaRegistry.start();
    client = SchemaRegistryClient.of(registry.url());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (registry != null) {
      registry.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  /** A client of the registry, for the tests' own serdes. */
  public SchemaRegistryClient client() {
    return client;
  }

  /**
   * The settings of an application on this stack: its id, a state folder of its own under {@code
   * stateDir}, 2 partitions, the query server on a free port, no review embeddings, the topics
   * named {@code topicPrefix} + their default name, and a short session so that a restarted
   * instance joins without waiting 45 s for the old member's session to expire.
   */
  public Map<String, String> settings(String app, Path stateDir, String topicPrefix) {
    Map<String, String> m = new HashMap<>();
    m.put("bootstrap.servers", broker.bootstrapServers());
    m.put("schema.registry.url", registry.url());
    m.put("application.id", app);
    m.put("state.dir", stateDir.resolve(app + "-" + System.nanoTime()).toString());
    m.put("http.port", "0");
    m.put("topic.partitions", "2");
    m.put("model.embedder", "none");
    m.put("kafka.session.timeout.ms", "6000");
    m.put("kafka.heartbeat.interval.ms", "1000");
    for (String t : Topics.defaults().all()) {
      m.put("topic." + t, topicPrefix + t);
    }
    return m;
  }

  /** Only the broker and registry addresses: what a test's own clients need. */
  public ReelsenseConfig cluster() {
    return ReelsenseConfig.of(
        Map.of(
            ReelsenseConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers(),
            ReelsenseConfig.REGISTRY_URL, registry.url()));
  }
}
