package io.reelsense.eval.reliability;

import io.reelsense.avro.Review;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * kill -9 of the broker process at a seeded point of the replay, then a restart on the same ports
 * and log directory; the application is left alone and must resume by itself, with every review
 * scored exactly once.
 */
public final class BrokerRestartScenario {

  static final String NAME = "broker";

  /** Kills and restarts the broker. */
  public interface Broker {
    void kill() throws InterruptedException;

    void start() throws InterruptedException;
  }

  private BrokerRestartScenario() {}

  public static ScenarioResult run(Env env, List<Review> reviews, Broker broker)
      throws InterruptedException {
    long t0 = System.nanoTime();
    Random rnd = new Random(env.seed() * 31 + 3);
    int n = reviews.size();
    Map<String, Object> details = new LinkedHashMap<>();
    try (Traffic t = Traffic.open(env, NAME, 2)) {
      App app = env.apps().start(NAME + "-app", t.appSettings(NAME));
      try {
        // all input acknowledged first: the producer is not what this scenario tests
        t.sendAll(reviews, "review");
        int target = (int) ((0.2 + 0.4 * rnd.nextDouble()) * n);
        if (t.awaitAccounted(target, "killing the broker at " + target)) {
          int at = t.ledger().accounted();
          long killed = System.nanoTime();
          broker.kill();
          env.progress()
              .accept(
                  String.format(
                      "%s: broker killed (kill -9) at %,d/%,d accounted; restarting", NAME, at, n));
          Thread.sleep(1000 + rnd.nextInt(2000));
          broker.start();
          long downMs = (System.nanoTime() - killed) / 1_000_000;
          long resumed = t.awaitResumed(t.ledger().accounted(), n);
          details.put("killed_at_accounted", at);
          details.put("broker_down_ms", downMs);
          details.put(
              "resumed_after_kill_ms",
              resumed < 0 ? null : (System.nanoTime() - killed) / 1_000_000);
          env.progress()
              .accept(
                  String.format(
                      "%s: broker back after %.1f s; the app %s",
                      NAME, downMs / 1000.0, resumed < 0 ? "did NOT resume" : "resumed by itself"));
        }
        t.awaitAccounted(n, "after the broker restart");
        t.awaitQuiet(Duration.ofSeconds(3));
        details.put("app_alive", app.alive());
        app.stop();
      } finally {
        app.close();
      }
      Ledger.Tally tally = t.ledger().tally();
      t.progress("done", n);
      details.put("reviews", n);
      details.put("send_failures", t.sendFailures());
      boolean passed =
          tally.exact()
              && tally.inputs() == n
              && details.get("resumed_after_kill_ms") != null
              && Boolean.TRUE.equals(details.get("app_alive"))
              && t.sendFailures() == 0;
      return new ScenarioResult(NAME, passed, tally, CrashScenario.seconds(t0), details, null);
    }
  }
}
