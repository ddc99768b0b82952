package io.reelsense.stream.local;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process Apache Kafka broker in KRaft combined mode (one node that is both broker and
 * controller), built from the Kafka server artifacts. It listens on real sockets on free local
 * ports, keeps its log in a fresh temporary directory which it formats before start, and is tuned
 * for a single node: every internal topic (consumer offsets, transaction state, share state) has
 * replication factor 1 and min ISR 1, so idempotent producers, transactions and Kafka Streams
 * exactly-once v2 work against it.
 *
 * <p>{@link #close()} shuts the server down, waits for it and deletes the log directory.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
  private static final int NODE_ID = 1;
  private static final String HOST = "127.0.0.1";

  private final Path logDir;
  private final int brokerPort;
  private final KafkaRaftServer server;
  private final String clusterId;
  private final boolean ownsLogDir;
  private boolean closed;

  private EmbeddedKafkaBroker(
      Path logDir, int brokerPort, KafkaRaftServer server, String clusterId, boolean ownsLogDir) {
    this.logDir = logDir;
    this.brokerPort = brokerPort;
    this.server = server;
    this.clusterId = clusterId;
    this.ownsLogDir = ownsLogDir;
  }

  /** Starts a broker with the default single-node settings. */
  public static EmbeddedKafkaBroker start() {
    return start(Map.of());
  }

  /**
   * Starts a broker; {@code overrides} are Kafka server properties (e.g. {@code num.partitions})
   * applied over the single-node defaults.
   */
  public static EmbeddedKafkaBroker start(Map<String, String> overrides) {
    Path dir;
    try {
      dir = Files.createTempDirectory("reelsense-kafka-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary log directory for Kafka", e);
    }
    try {
      int brokerPort = freePort();
      int controllerPort = freePort();
      Map<String, String> props = defaults(dir, brokerPort, controllerPort);
      props.putAll(overrides);
      Properties properties = new Properties();
      properties.putAll(props);
      KafkaConfig config = KafkaConfig.fromProps(properties, false);
      String clusterId = Uuid.randomUuid().toString();
      format(config, dir, clusterId);
      KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
      server.startup();
      LOG.info("embedded Kafka broker on {}:{} (log dir {})", HOST, brokerPort, dir);
      return new EmbeddedKafkaBroker(dir, brokerPort, server, clusterId, true);
    } catch (RuntimeException e) {
      deleteQuietly(dir);
      throw e;
    }
  }

  /**
   * Starts a broker that keeps its log in {@code logDir} and listens on the given ports (0: a free
   * one), so that it can be stopped, even killed, and started again on the same ports with the same
   * topics, offsets and transactions. The directory is formatted only when it holds no broker yet,
   * and it is kept on {@link #close()}.
   */
  public static EmbeddedKafkaBroker startPersistent(
      Path logDir, int brokerPort, int controllerPort, Map<String, String> overrides) {
    try {
      Files.createDirectories(logDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the Kafka log directory " + logDir, e);
    }
    int port = brokerPort == 0 ? freePort() : brokerPort;
    int controller = controllerPort == 0 ? freePort() : controllerPort;
    Map<String, String> props = defaults(logDir, port, controller);
    props.putAll(overrides);
    Properties properties = new Properties();
    properties.putAll(props);
    KafkaConfig config = KafkaConfig.fromProps(properties, false);
    String clusterId;
    Path meta = logDir.resolve("meta.properties");
    if (Files.isRegularFile(meta)) {
      Properties known = new Properties();
      try (var in = Files.newInputStream(meta)) {
        known.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + meta, e);
      }
      clusterId = known.getProperty("cluster.id");
    } else {
      clusterId = Uuid.randomUuid().toString();
      format(config, logDir, clusterId);
    }
    KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
    server.startup();
    LOG.info("embedded Kafka broker on {}:{} (log dir {}, kept)", HOST, port, logDir);
    return new EmbeddedKafkaBroker(logDir, port, server, clusterId, false);
  }

  private static Map<String, String> defaults(Path dir, int brokerPort, int controllerPort) {
    Map<String, String> p = new HashMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", Integer.toString(NODE_ID));
    p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
    p.put(
        "listeners",
        "PLAINTEXT://" + HOST + ":" + brokerPort + ",CONTROLLER://" + HOST + ":" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", dir.toString());
    p.put("num.partitions", "1");
    p.put("default.replication.factor", "1");
    p.put("min.insync.replicas", "1");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("auto.create.topics.enable", "false");
    p.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
    // The log cleaner (compacted changelogs, _schemas) allocates this once; Kafka's 128 MiB
    // default is sized for a production broker, and as one huge object it pushes a small heap
    // into back-to-back garbage collections.
    p.put("log.cleaner.dedupe.buffer.size", Integer.toString(16 << 20));
    return p;
  }

  private static void format(KafkaConfig config, Path dir, String clusterId) {
    formatStorage(NODE_ID, config.metadataLogDir(), dir.toString(), clusterId);
  }

  /**
   * Formats a KRaft node's storage as {@code kafka-storage format} does, quietly: node {@code
   * nodeId} of cluster {@code clusterId}, its metadata log in {@code metadataDir}, its data in
   * {@code dataDir}.
   */
  public static void formatStorage(
      int nodeId, String metadataDir, String dataDir, String clusterId) {
    PrintStream quiet =
        new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    try {
      new Formatter()
          .setPrintStream(quiet)
          .setNodeId(nodeId)
          .setClusterId(clusterId)
          .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .setControllerListenerName("CONTROLLER")
          .setMetadataLogDirectory(metadataDir)
          .setDirectories(List.of(dataDir))
          .run();
    } catch (Exception e) {
      throw new IllegalStateException("cannot format the Kafka log directory " + dataDir, e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free local port", e);
    }
  }

  /** The {@code bootstrap.servers} value for clients, e.g. {@code 127.0.0.1:40123}. */
  public String bootstrapServers() {
    return HOST + ":" + brokerPort;
  }

  /** The KRaft cluster id this broker was formatted with. */
  public String clusterId() {
    return clusterId;
  }

  /** The directory holding the broker's logs (deleted on close unless persistent). */
  public Path logDir() {
    return logDir;
  }

  /**
   * Stops the broker, waits for its threads to end and deletes its log directory (kept when it was
   * started with {@link #startPersistent}).
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      server.shutdown();
      server.awaitShutdown();
    } finally {
      if (ownsLogDir) {
        deleteQuietly(logDir);
      }
    }
  }

  private static void deleteQuietly(Path dir) {
    try {
      Utils.delete(dir.toFile());
    } catch (IOException e) {
      LOG.warn("cannot delete {}: {}", dir, e.getMessage());
    }
  }
}
