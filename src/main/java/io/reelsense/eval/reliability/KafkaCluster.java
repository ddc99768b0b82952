package io.reelsense.eval.reliability;

import io.reelsense.stream.local.EmbeddedKafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;

/**
 * A Kafka cluster of three nodes, each a child JVM running Kafka's own entry point ({@code
 * kafka.Kafka}) on the class path, in KRaft combined mode (every node both broker and controller, a
 * quorum of three): replication factor 3 and {@code min.insync.replicas} 2 for every topic, so one
 * node may fail without loss or refusal. Nodes can be killed with kill -9 and started again on the
 * same ports and log directories.
 */
public final class KafkaCluster implements AutoCloseable {

  static final int NODES = 3;
  private static final String HOST = "127.0.0.1";
  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

  private final Launcher launcher;
  private final Path logs;
  private final int[] brokerPorts = new int[NODES];
  private final List<Path> configs = new ArrayList<>();
  private final ChildProcess[] nodes = new ChildProcess[NODES];
  private final Admin admin;

  /** Writes and formats the three nodes' configurations under {@code work/cluster}. */
  public KafkaCluster(Launcher launcher, Path work) {
    this.launcher = new Launcher(launcher.java(), launcher.classPath(), "kafka.Kafka");
    this.logs = work.resolve("logs");
    int[] controllerPorts = new int[NODES];
    for (int i = 0; i < NODES; i++) {
      brokerPorts[i] = freePort();
      controllerPorts[i] = freePort();
    }
    StringBuilder voters = new StringBuilder();
    for (int i = 0; i < NODES; i++) {
      voters.append(i == 0 ? "" : ",").append(i + 1).append('@').append(HOST).append(':');
      voters.append(controllerPorts[i]);
    }
    String clusterId = Uuid.randomUuid().toString();
    try {
      Files.createDirectories(logs);
      for (int i = 0; i < NODES; i++) {
        Path dir = work.resolve("cluster").resolve("node-" + (i + 1));
        Files.createDirectories(dir);
        Properties p =
            properties(i + 1, dir, brokerPorts[i], controllerPorts[i], voters.toString());
        Path file = work.resolve("cluster").resolve("node-" + (i + 1) + ".properties");
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
          p.store(w, "reelsense reliability: node " + (i + 1) + " of a three-node cluster");
        }
        EmbeddedKafkaBroker.formatStorage(
            i + 1, dir.toAbsolutePath().toString(), dir.toAbsolutePath().toString(), clusterId);
        configs.add(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the cluster under " + work, e);
    }
    Map<String, Object> a = new LinkedHashMap<>();
    a.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    a.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    a.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
    this.admin = Admin.create(a);
  }

  private static Properties properties(
      int id, Path dir, int brokerPort, int controllerPort, String voters) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", Integer.toString(id));
    p.put("controller.quorum.voters", voters);
    p.put(
        "listeners",
        "PLAINTEXT://" + HOST + ":" + brokerPort + ",CONTROLLER://" + HOST + ":" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", dir.toAbsolutePath().toString());
    p.put("num.partitions", "3");
    p.put("default.replication.factor", "3");
    p.put("min.insync.replicas", "2");
    p.put("offsets.topic.replication.factor", "3");
    p.put("offsets.topic.num.partitions", "3");
    p.put("transaction.state.log.replication.factor", "3");
    p.put("transaction.state.log.min.isr", "2");
    p.put("transaction.state.log.num.partitions", "3");
    p.put("share.coordinator.state.topic.replication.factor", "3");
    p.put("share.coordinator.state.topic.min.isr", "2");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("auto.create.topics.enable", "false");
    p.put("unclean.leader.election.enable", "false");
    // a node that stops heartbeating is fenced (its partitions get new leaders) after 6 s
    p.put("broker.session.timeout.ms", "6000");
    p.put("broker.heartbeat.interval.ms", "1000");
    p.put("log.cleaner.dedupe.buffer.size", Integer.toString(16 << 20));
    return p;
  }

  /** Starts every node and waits until the three have registered. */
  public void startAll() throws InterruptedException {
    for (int id = 1; id <= NODES; id++) {
      start(id);
    }
    awaitNodes(NODES, START_TIMEOUT);
  }

  /** Starts node {@code id} (1-3), again after {@link #kill}, on its ports and log directory. */
  public void start(int id) {
    nodes[id - 1] =
        ChildProcess.start(
            "kafka-" + id,
            launcher.command("512m", List.of(configs.get(id - 1).toAbsolutePath().toString())),
            logs.resolve("kafka-" + id + ".log"));
  }

  /** kill -9 of node {@code id}. */
  public void kill(int id) throws InterruptedException {
    nodes[id - 1].kill();
  }

  /** The {@code bootstrap.servers} of the three nodes. */
  public String bootstrap() {
    List<String> s = new ArrayList<>();
    for (int port : brokerPorts) {
      s.add(HOST + ":" + port);
    }
    return String.join(",", s);
  }

  /** Waits until {@code n} nodes are in the cluster's metadata. */
  public void awaitNodes(int n, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        int seen = admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size();
        if (seen >= n) {
          return;
        }
      } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
        // not up yet
      }
      if (System.nanoTime() > deadline) {
        throw new ReliabilityException(
            "the Kafka cluster did not reach " + n + " nodes within " + timeout.toSeconds() + " s");
      }
      Thread.sleep(500);
    }
  }

  /** The partitions of {@code topics}, as the cluster describes them now. */
  public Map<String, TopicDescription> describe(Collection<String> topics)
      throws InterruptedException {
    try {
      return admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new ReliabilityException("cannot describe " + topics + ": " + e);
    }
  }

  /** The smallest in-sync replica count among the partitions of {@code topics}. */
  public int minIsr(Collection<String> topics) throws InterruptedException {
    int min = Integer.MAX_VALUE;
    for (TopicDescription d : describe(topics).values()) {
      for (TopicPartitionInfo p : d.partitions()) {
        min = Math.min(min, p.isr().size());
      }
    }
    return min;
  }

  /**
   * The partition of {@code topic} holding the most records and the node leading it: {@code
   * [partition, leader id]}.
   */
  public int[] busiestPartition(String topic) throws InterruptedException {
    TopicDescription d = describe(List.of(topic)).get(topic);
    Map<TopicPartition, OffsetSpec> ask =
        d.partitions().stream()
            .collect(
                Collectors.toMap(
                    p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
    try {
      var ends = admin.listOffsets(ask).all().get(30, TimeUnit.SECONDS);
      int best = 0;
      long most = -1;
      for (var e : ends.entrySet()) {
        if (e.getValue().offset() > most) {
          most = e.getValue().offset();
          best = e.getKey().partition();
        }
      }
      for (TopicPartitionInfo p : d.partitions()) {
        if (p.partition() == best) {
          return new int[] {best, p.leader().id()};
        }
      }
      throw new ReliabilityException("partition " + best + " of " + topic + " has no leader");
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new ReliabilityException("cannot read the end offsets of " + topic + ": " + e);
    }
  }

  /** Stops every node (SIGTERM) and the admin client. */
  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
    for (ChildProcess p : nodes) {
      if (p == null) {
        continue;
      }
      try {
        p.stop(Duration.ofSeconds(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.close();
      }
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free local port", e);
    }
  }
}
