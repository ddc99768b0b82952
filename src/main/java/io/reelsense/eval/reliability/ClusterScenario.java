package io.reelsense.eval.reliability;

import io.reelsense.avro.Review;
import io.reelsense.stream.ReelsenseConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A three-node Kafka cluster (replication factor 3, {@code min.insync.replicas} 2): kill -9 of the
 * node leading the input partition with the most records, at a seeded point of the replay; the
 * application and the producer are left alone and must go on with the two nodes left, losing and
 * repeating nothing. The node is then started again and must catch up: every partition of the
 * scenario's topics back to three in-sync replicas.
 */
public final class ClusterScenario {

  static final String NAME = "cluster";

  private ClusterScenario() {}

  public static ScenarioResult run(Env env, List<Review> reviews, KafkaCluster cluster)
      throws InterruptedException {
    long t0 = System.nanoTime();
    Random rnd = new Random(env.seed() * 31 + 5);
    int n = reviews.size();
    Map<String, Object> details = new LinkedHashMap<>();
    boolean caughtUp = false;
    try (Traffic t =
        Traffic.open(
            env,
            NAME,
            3,
            Map.of(ReelsenseConfig.TOPIC_REPLICATION, Integer.toString(KafkaCluster.NODES)))) {
      List<String> topics =
          List.of(t.topic(), t.config().topics().reviewsScored(), t.config().topics().reviewsDlq());
      App app = env.apps().start(NAME + "-app", t.appSettings(NAME));
      try {
        // the first review alone, until it is scored, so that the kill lands mid-replay
        t.send(reviews.get(0), "review");
        t.flush();
        t.awaitAccounted(1, "the instance to start processing");
        Thread sender = CrashScenario.sender(t, reviews.subList(1, n));
        int target = (int) ((0.3 + 0.3 * rnd.nextDouble()) * n);
        if (t.awaitAccounted(target, "killing the busiest partition's leader at " + target)) {
          int[] busiest = cluster.busiestPartition(t.topic());
          int at = t.ledger().accounted();
          int inputsAtKill = t.ledger().inputs();
          long killed = System.nanoTime();
          cluster.kill(busiest[1]);
          env.progress()
              .accept(
                  String.format(
                      "%s: node %d (leader of %s-%d) killed (kill -9) at %,d/%,d accounted",
                      NAME, busiest[1], t.topic(), busiest[0], at, n));
          long resumed = t.awaitResumed(t.ledger().accounted(), n);
          details.put("killed_node", busiest[1]);
          details.put("busiest_partition", busiest[0]);
          details.put("killed_at_accounted", at);
          details.put("inputs_at_kill", inputsAtKill);
          details.put(
              "resumed_after_kill_ms",
              resumed < 0 ? null : (System.nanoTime() - killed) / 1_000_000);
          details.put("min_isr_while_down", cluster.minIsr(topics));
          cluster.start(busiest[1]);
          long restarted = System.nanoTime();
          long deadline = restarted + env.stall().toNanos();
          int isr = 0;
          while (System.nanoTime() < deadline) {
            isr = cluster.minIsr(topics);
            if (isr == KafkaCluster.NODES) {
              caughtUp = true;
              break;
            }
            Thread.sleep(500);
          }
          details.put("min_isr_after_restart", isr);
          details.put(
              "isr_restored_after_restart_ms",
              caughtUp ? (System.nanoTime() - restarted) / 1_000_000 : null);
          env.progress()
              .accept(
                  String.format(
                      "%s: output %s; node %d restarted, in-sync replicas %s",
                      NAME,
                      resumed < 0 ? "did NOT resume" : "resumed",
                      busiest[1],
                      caughtUp ? "back to " + isr : "still " + isr));
        }
        sender.join();
        t.awaitAccounted(n, "after the node restart");
        t.awaitQuiet(Duration.ofSeconds(3));
        details.put("app_alive", app.alive());
        app.stop();
      } finally {
        app.close();
      }
      Ledger.Tally tally = t.ledger().tally();
      t.progress("done", n);
      details.put("reviews", n);
      details.put("nodes", KafkaCluster.NODES);
      details.put("replication_factor", KafkaCluster.NODES);
      details.put("min_insync_replicas", 2);
      details.put("pause_ms", tally.longestGapMs());
      details.put("send_failures", t.sendFailures());
      boolean passed =
          tally.exact()
              && tally.inputs() == n
              && details.get("resumed_after_kill_ms") != null
              && caughtUp
              && Boolean.TRUE.equals(details.get("app_alive"))
              && t.sendFailures() == 0;
      return new ScenarioResult(NAME, passed, tally, CrashScenario.seconds(t0), details, null);
    }
  }
}
