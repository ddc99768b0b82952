package io.reelsense.eval.reliability;

import io.reelsense.model.bundle.Bundles;
import io.reelsense.stream.ReelsenseConfig;
import io.reelsense.stream.ReelsenseStreams;
import io.reelsense.stream.review.ReviewScorer;
import java.time.Duration;
import java.util.Map;

/** Application instances in the test's own JVM (for the scenarios that kill no process). */
final class InProcessApps implements App.Factory {

  @Override
  public App start(String name, Map<String, String> settings) {
    ReelsenseConfig config = ReelsenseConfig.of(settings);
    ReelsenseStreams app =
        ReelsenseStreams.start(
            config, new ReviewScorer(Bundles.load(config.bundle().orElseThrow()), null));
    return new App() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public void kill() {
        // no drain: Kafka Streams stops where it is, its open transaction is left to abort
        app.streams().close(Duration.ofSeconds(10));
        app.close();
      }

      @Override
      public void stop() {
        app.close();
      }

      @Override
      public boolean alive() {
        return app.streams().state().isRunningOrRebalancing();
      }

      @Override
      public void close() {
        app.close();
      }
    };
  }
}
