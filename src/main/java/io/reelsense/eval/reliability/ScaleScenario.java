package io.reelsense.eval.reliability;

import io.reelsense.avro.Review;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Two application instances share a 4-partition input topic; one is stopped (SIGTERM) at a seeded
 * point of the replay and the other takes its partitions over. Every review must have exactly one
 * output; the pause is the longest gap between consecutive outputs.
 */
public final class ScaleScenario {

  static final String NAME = "scale";

  private ScaleScenario() {}

  public static ScenarioResult run(Env env, List<Review> reviews) throws InterruptedException {
    long t0 = System.nanoTime();
    Random rnd = new Random(env.seed() * 31 + 2);
    int n = reviews.size();
    Map<String, Object> details = new LinkedHashMap<>();
    try (Traffic t = Traffic.open(env, NAME, 4)) {
      App a = env.apps().start(NAME + "-a", t.appSettings(NAME + "-a"));
      App b = null;
      try {
        b = env.apps().start(NAME + "-b", t.appSettings(NAME + "-b"));
        // the first review alone, until it is scored, so that the stop lands mid-replay
        t.send(reviews.get(0), "review");
        t.flush();
        t.awaitAccounted(1, "the instances to start processing");
        Thread sender = CrashScenario.sender(t, reviews.subList(1, n));
        int target = (int) ((0.3 + 0.3 * rnd.nextDouble()) * n);
        if (t.awaitAccounted(target, "two instances; stopping one at " + target)) {
          int at = t.ledger().accounted();
          long stopped = System.nanoTime();
          b.stop();
          long stopMs = (System.nanoTime() - stopped) / 1_000_000;
          int afterStop = t.ledger().accounted();
          long resumed = t.awaitResumed(afterStop, n);
          details.put("stopped_at_accounted", at);
          details.put("stop_ms", stopMs);
          details.put(
              "resumed_after_stop_ms",
              resumed < 0 ? null : (System.nanoTime() - stopped) / 1_000_000);
          env.progress()
              .accept(
                  String.format(
                      "%s: stopped %s at %,d/%,d accounted (%.1f s to stop); %s",
                      NAME,
                      b.name(),
                      at,
                      n,
                      stopMs / 1000.0,
                      resumed < 0 ? "the other did NOT take over" : "the other took over"));
        }
        sender.join();
        t.awaitAccounted(n, "one instance left");
        t.awaitQuiet(Duration.ofSeconds(3));
        details.put("survivor_alive", a.alive());
        a.stop();
      } finally {
        a.close();
        if (b != null) {
          b.close();
        }
      }
      Ledger.Tally tally = t.ledger().tally();
      t.progress("done", n);
      details.put("reviews", n);
      details.put("partitions", 4);
      details.put("instances", 2);
      details.put("pause_ms", tally.longestGapMs());
      boolean passed =
          tally.exact()
              && tally.inputs() == n
              && details.get("resumed_after_stop_ms") != null
              && t.sendFailures() == 0;
      return new ScenarioResult(NAME, passed, tally, CrashScenario.seconds(t0), details, null);
    }
  }
}
