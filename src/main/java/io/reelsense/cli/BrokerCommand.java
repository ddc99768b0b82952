package io.reelsense.cli;

import io.reelsense.stream.local.LocalServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code reelsense broker}: the embedded Kafka broker (KRaft) and schema registry in a process of
 * their own, until SIGTERM/Ctrl-C (or a kill). It prints {@code bootstrap HOST:PORT} and {@code
 * registry URL} lines, then {@code ready}. With {@code --log-dir} and fixed ports a killed broker
 * starts again on the same ports with its topics, offsets and transactions. Beside the broker the
 * registry keeps its schemas in the broker's compacted {@code _schemas} topic, so they last as long
 * as the log; with {@code --no-kafka} it keeps them in {@code --registry-dir}, or in memory.
 */
@Command(
    name = "broker",
    mixinStandardHelpOptions = true,
    description = {
      "Run the embedded Kafka broker (KRaft, one node) and schema registry until stopped;"
          + " prints their addresses.",
      "For trying reelsense without a cluster, and for `reelsense reliability`, which kills and"
          + " restarts it. The registry keeps its schemas in the broker's _schemas topic"
          + " (with --no-kafka: in --registry-dir, else in memory)."
    })
public final class BrokerCommand extends ReportingCommand {

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "Kafka listener port (default: a free port).")
  int port;

  @Option(
      names = "--controller-port",
      paramLabel = "PORT",
      description = "KRaft controller port (default: a free port).")
  int controllerPort;

  @Option(
      names = "--log-dir",
      paramLabel = "DIR",
      description =
          "Keep Kafka's log here and reuse it on the next start (default: a temporary directory"
              + " deleted at exit).")
  Path logDir;

  @Option(
      names = "--registry-port",
      paramLabel = "PORT",
      description = "Schema registry port (default: a free port).")
  int registryPort;

  @Option(
      names = "--registry-dir",
      paramLabel = "DIR",
      description =
          "Keep the registry's schemas in a file under this directory and reuse them on the next"
              + " start (default: the broker's _schemas topic; with --no-kafka, memory only).")
  Path registryDir;

  @Option(
      names = "--kafka",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description = "Run the Kafka broker (--no-kafka: only the registry).")
  boolean kafka;

  @Option(
      names = "--registry",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description = "Run the schema registry (--no-registry: only Kafka).")
  boolean registry;

  @Mixin RunFor runFor = new RunFor();

  @Override
  protected Report execute() throws Exception {
    Long runForSeconds = runFor.seconds();
    if (!kafka && !registry) {
      throw new UserError("--no-kafka and --no-registry together leave nothing to run");
    }
    if (logDir != null && Files.exists(logDir) && !Files.isDirectory(logDir)) {
      throw new UserError("--log-dir " + logDir + " is a file; pass a directory");
    }
    if (registryDir != null && Files.exists(registryDir) && !Files.isDirectory(registryDir)) {
      throw new UserError("--registry-dir " + registryDir + " is a file; pass a directory");
    }
    if (registryDir != null && !registry) {
      throw new UserError("--registry-dir is for the schema registry; drop it or --no-registry");
    }
    StopSignal signal = new StopSignal("reelsense-broker-shutdown", Duration.ofSeconds(60));
    LocalServices.Options options =
        new LocalServices.Options(
            kafka, port, controllerPort, logDir, registry, registryPort, registryDir);
    Map<String, Object> result;
    try (LocalServices services = LocalServices.start(options, out()::println)) {
      result = services.toJson();
      out().println("ready");
      out().flush();
      signal.install();
      signal.await(runForSeconds);
    } finally {
      signal.release();
    }
    return Report.of("stopped", result);
  }
}
