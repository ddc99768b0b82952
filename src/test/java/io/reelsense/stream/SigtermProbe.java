package io.reelsense.stream;

import io.reelsense.stream.review.ReviewScorer;
import java.util.Map;

/**
 * A child JVM for {@link GracefulShutdownTest}: runs the scoring application with a test model and
 * the production shutdown hook, prints its HTTP address, then waits to be killed with SIGTERM.
 */
public final class SigtermProbe {

  private SigtermProbe() {}

  public static void main(String[] args) throws Exception {
    ReelsenseConfig config =
        ReelsenseConfig.of(
            Map.of(
                ReelsenseConfig.BOOTSTRAP_SERVERS, args[0],
                ReelsenseConfig.REGISTRY_URL, args[1],
                ReelsenseConfig.STATE_DIR, args[2],
                ReelsenseConfig.APPLICATION_ID, "it-sigterm-process",
                ReelsenseConfig.HTTP_PORT, "0",
                ReelsenseConfig.EMBEDDER, "none",
                ReelsenseConfig.BATCH_SIZE, "10000",
                ReelsenseConfig.BATCH_MAX_WAIT_MS, "600000",
                ReelsenseConfig.TOPIC_REVIEWS, "p-reviews",
                ReelsenseConfig.TOPIC_SCORED, "p-reviews-scored"));
    ReelsenseStreams app =
        ReelsenseStreams.start(config, new ReviewScorer(new FakeClassifier(), null));
    Runtime.getRuntime().addShutdownHook(app.shutdownHook());
    if (!app.awaitRunning(java.time.Duration.ofSeconds(60))) {
      System.out.println("NOT RUNNING " + app.streams().state());
      System.exit(2);
    }
    System.out.println("HTTP " + app.httpUrl());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
