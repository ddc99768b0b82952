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
 *
 * <p>Each kill reports {@code in_flight_at_kill}: the reviews acknowledged by the broker before the
 * kill whose committed output was made after it (by the next instance), counted from the ledger
 * once the run is over. A kill with none in flight proves nothing about exactly-once, so the report
 * shows it.
 */
public final class CrashScenario {

  static final String NAME = "crash";

  private CrashScenario() {}

  public static ScenarioResult run(Env env, List<Review> reviews, int crashes)
      throws InterruptedException {
    return run(env, reviews, crashes, Map.of(), 0);
  }

  /**
   * The scenario with {@code appOverrides} on top of every instance's settings (e.g. {@code
   * processing.guarantee=at_least_once} for a control run, or a longer {@code commit.interval.ms}),
   * each kill held back, for at most the stall time, until at least {@code minGap} acknowledged
   * reviews have no output yet (so that it lands with work uncommitted).
   */
  public static ScenarioResult run(
      Env env, List<Review> reviews, int crashes, Map<String, String> appOverrides, int minGap)
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
      Map<String, String> settings = new LinkedHashMap<>(t.appSettings(NAME));
      settings.putAll(appOverrides);
      App app = env.apps().start(NAME + "-1", settings);
      List<Long> killTimes = new ArrayList<>();
      try {
        // the first review alone, until it is scored: the replay starts once the instance is
        // processing (a JVM may take many seconds to start), so that the kills land mid-replay
        t.send(reviews.get(0), "review");
        t.flush();
        t.awaitAccounted(1, "the first instance to start processing");
        Thread sender = sender(t, reviews.subList(1, n));
        for (int i = 0; i < crashes; i++) {
          int target = (int) (points[i] * n);
          if (!t.awaitAccounted(target, "kill -9 #" + (i + 1) + " at " + target)) {
            break;
          }
          Thread.sleep(rnd.nextInt(300));
          awaitGap(t, minGap, Duration.ofSeconds(10));
          int at = t.ledger().accounted();
          int inputsAtKill = t.ledger().inputs();
          killTimes.add(System.currentTimeMillis());
          long killed = System.nanoTime();
          app.kill();
          long started = System.nanoTime();
          app = env.apps().start(NAME + "-" + (i + 2), settings);
          long restartMs = (System.nanoTime() - started) / 1_000_000;
          long resumed = t.awaitResumed(at, n);
          Map<String, Object> k = new LinkedHashMap<>();
          k.put("killed_at_accounted", at);
          k.put("inputs_at_kill", inputsAtKill);
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
      for (int i = 0; i < kills.size(); i++) {
        kills.get(i).put("in_flight_at_kill", t.ledger().inFlightAt(killTimes.get(i)));
      }
      t.progress("done", n);
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("reviews", n);
      details.put("crashes", crashes);
      details.put("crashes_survived", tally.exact() ? survived : 0);
      details.put("kills", kills);
      details.put("send_failures", t.sendFailures());
      if (!appOverrides.isEmpty()) {
        details.put("app_overrides", new LinkedHashMap<>(appOverrides));
      }
      boolean passed =
          tally.exact() && survived == crashes && tally.inputs() == n && t.sendFailures() == 0;
      return new ScenarioResult(NAME, passed, tally, seconds(t0), details, null);
    }
  }

  /** Waits, for at most {@code limit}, until {@code gap} acknowledged inputs have no output. */
  private static void awaitGap(Traffic t, int gap, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (gap > 0
        && t.ledger().inputs() - t.ledger().accounted() < gap
        && System.nanoTime() < deadline) {
      Thread.sleep(5);
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
