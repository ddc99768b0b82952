package io.reelsense.eval.reliability;

import io.reelsense.avro.Review;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * kill -9 of the application {@code crashes} times at seeded random points of a replay, each time
 * restarted on the same state directory; at the end every review must have exactly one output.
 */
public final class CrashScenario {

  static final String NAME = "crash";

  private CrashScenario() {}

  public static ScenarioResult run(Env env, List<Review> reviews, int crashes)
      throws InterruptedException {
    long t0 = System.nanoTime();
    Random rnd = new Random(env.seed() * 31 + 1);
    int n = reviews.size();
    double[] points = new double[crashes];
    for (int i = 0; i < crashes; i++) {
      points[i] = 0.1 + 0.8 * rnd.nextDouble();
    }
    Arrays.sort(points);
    List<Map<String, Object>> kills = new ArrayList<>();
    int survived = 0;
    try (Traffic t = Traffic.open(env, NAME, 2)) {
      App app = env.apps().start(NAME + "-1", t.appSettings(NAME));
      try {
        Thread sender = sender(t, reviews);
        for (int i = 0; i < crashes; i++) {
          int target = (int) (points[i] * n);
          if (!t.awaitAccounted(target, "kill -9 #" + (i + 1) + " at " + target)) {
            break;
          }
          Thread.sleep(rnd.nextInt(300));
          int at = t.ledger().accounted();
          long killed = System.nanoTime();
          app.kill();
          long started = System.nanoTime();
          app = env.apps().start(NAME + "-" + (i + 2), t.appSettings(NAME));
          long restartMs = (System.nanoTime() - started) / 1_000_000;
          long resumed = t.awaitResumed(at, n);
          Map<String, Object> k = new LinkedHashMap<>();
          k.put("killed_at_accounted", at);
          k.put("restart_ms", restartMs);
          k.put(
              "resumed_after_kill_ms",
              resumed < 0 ? null : (System.nanoTime() - killed) / 1_000_000);
          kills.add(k);
          env.progress()
              .accept(
                  String.format(
                      "%s: kill -9 #%d at %,d/%,d accounted; restarted in %.1f s; %s",
                      NAME,
                      i + 1,
                      at,
                      n,
                      restartMs / 1000.0,
                      resumed < 0 ? "NOT resumed" : "resumed"));
          if (resumed >= 0) {
            survived++;
          }
        }
        sender.join();
        t.awaitAccounted(n, kills.size() + " kills so far");
        t.awaitQuiet(Duration.ofSeconds(3));
        app.stop();
      } finally {
        app.close();
      }
      Ledger.Tally tally = t.ledger().tally();
      t.progress("done", n);
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("reviews", n);
      details.put("crashes", crashes);
      details.put("crashes_survived", tally.exact() ? survived : 0);
      details.put("kills", kills);
      details.put("send_failures", t.sendFailures());
      boolean passed =
          tally.exact() && survived == crashes && tally.inputs() == n && t.sendFailures() == 0;
      return new ScenarioResult(NAME, passed, tally, seconds(t0), details, null);
    }
  }

  /** Sends {@code reviews} at the environment's rate on a thread of its own (started). */
  static Thread sender(Traffic t, List<Review> reviews) {
    Thread s =
        new Thread(
            () -> {
              try {
                t.sendPaced(reviews, "review");
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "reliability-sender");
    s.setDaemon(true);
    s.start();
    return s;
  }

  static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }
}
