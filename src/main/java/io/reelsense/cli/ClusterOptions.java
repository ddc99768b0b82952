package io.reelsense.cli;

import io.reelsense.stream.ConfigError;
import io.reelsense.stream.ReelsenseConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options naming the cluster a command talks to, shared by the streaming commands: {@code
 * --bootstrap}, {@code --registry} and {@code --config FILE}, on top of the environment ({@code
 * REELSENSE_*}) and the defaults of {@link ReelsenseConfig}.
 */
public final class ClusterOptions {

  @Option(
      names = "--bootstrap",
      paramLabel = "HOST:PORT",
      description = "Kafka bootstrap servers (config key bootstrap.servers).")
  String bootstrap;

  @Option(
      names = "--registry",
      paramLabel = "URL",
      description = "Schema registry URL (config key schema.registry.url).")
  String registry;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "Properties file with reelsense settings (keys such as bootstrap.servers, schema.registry.url, topic.reviews, batch.size);"
              + " REELSENSE_* environment variables and the options above override it.")
  Path config;

  /** The configuration from the file, the environment, these options and {@code extra}. */
  public ReelsenseConfig load(Map<String, String> extra) {
    Map<String, String> overrides = new LinkedHashMap<>(extra);
    if (bootstrap != null) {
      overrides.put(ReelsenseConfig.BOOTSTRAP_SERVERS, bootstrap);
    }
    if (registry != null) {
      overrides.put(ReelsenseConfig.REGISTRY_URL, registry);
    }
    try {
      return ReelsenseConfig.load(config, System.getenv(), overrides);
    } catch (ConfigError e) {
      throw new UserError(e.getMessage(), e);
    }
  }

  /** Whether {@code --bootstrap} or {@code --registry} was given. */
  public boolean external() {
    return bootstrap != null || registry != null;
  }
}
