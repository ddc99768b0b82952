package io.reelsense.eval.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The Kafka broker and the schema registry, each in a child JVM of its own ({@code reelsense broker
 * --no-registry} and {@code reelsense broker --no-kafka}). The broker keeps its log in a directory
 * of the run and listens on fixed ports, so {@link #killBroker()} (kill -9) and {@link
 * #startBroker()} bring it back on the same address with its topics, offsets and transactions.
 */
public final class KafkaProcesses implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

  private final Launcher launcher;
  private final Path logDir;
  private final Path logs;
  private final int kafkaPort;
  private final int controllerPort;
  private final int registryPort;
  private ChildProcess broker;
  private ChildProcess registry;
  private String bootstrap;
  private String registryUrl;

  public KafkaProcesses(Launcher launcher, Path work) {
    this.launcher = launcher;
    this.logDir = work.resolve("kafka-log");
    this.logs = work.resolve("logs");
    this.kafkaPort = freePort();
    this.controllerPort = freePort();
    this.registryPort = freePort();
  }

  /** Starts the broker (again, after {@link #killBroker()}) and waits until it is ready. */
  public void startBroker() throws InterruptedException {
    ChildProcess p =
        ChildProcess.start(
            "broker",
            launcher.command(
                "768m",
                List.of(
                    "broker",
                    "--no-registry",
                    "--port",
                    Integer.toString(kafkaPort),
                    "--controller-port",
                    Integer.toString(controllerPort),
                    "--log-dir",
                    logDir.toAbsolutePath().toString())),
            logs.resolve("broker.log"));
    try {
      String line = p.awaitLine(l -> l.startsWith("bootstrap "), START_TIMEOUT);
      p.awaitLine("ready"::equals, START_TIMEOUT);
      bootstrap = line.substring("bootstrap ".length()).strip();
    } catch (RuntimeException | InterruptedException e) {
      p.close();
      throw e;
    }
    broker = p;
  }

  /** Starts the schema registry and waits until it answers. */
  public void startRegistry() throws InterruptedException {
    ChildProcess p =
        ChildProcess.start(
            "registry",
            launcher.command(
                "256m",
                List.of("broker", "--no-kafka", "--registry-port", Integer.toString(registryPort))),
            logs.resolve("registry.log"));
    try {
      String line = p.awaitLine(l -> l.startsWith("registry "), START_TIMEOUT);
      registryUrl = line.substring("registry ".length()).strip();
    } catch (RuntimeException | InterruptedException e) {
      p.close();
      throw e;
    }
    registry = p;
  }

  /** kill -9 of the broker process. */
  public void killBroker() throws InterruptedException {
    broker.kill();
  }

  /** The pid of the broker process now. */
  public long brokerPid() {
    return broker.pid();
  }

  public String bootstrap() {
    return bootstrap;
  }

  public String registryUrl() {
    return registryUrl;
  }

  /** Stops both processes (SIGTERM, so the broker shuts down cleanly). */
  @Override
  public void close() {
    try {
      if (registry != null) {
        registry.stop(Duration.ofSeconds(30));
      }
      if (broker != null) {
        broker.stop(Duration.ofSeconds(60));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      if (registry != null) {
        registry.close();
      }
      if (broker != null) {
        broker.close();
      }
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free local port", e);
    }
  }
}
