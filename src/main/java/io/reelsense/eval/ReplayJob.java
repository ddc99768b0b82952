package io.reelsense.eval;

import io.reelsense.data.Review;
import io.reelsense.model.bundle.Bundles;
import io.reelsense.stream.ReelsenseConfig;
import io.reelsense.stream.local.EmbeddedStack;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * A replay job as {@code reelsense replay} runs it: against the configured cluster, or an embedded
 * broker, registry and topology started for it; then the scores, the report and its path.
 */
public final class ReplayJob {

  private ReplayJob() {}

  /** The outcome: the result, where the report went, and the configuration it ran against. */
  public record Outcome(ReplayResult result, Path html, ReelsenseConfig config) {
    /** The {@code --json} object: the result's keys and {@code report}. */
    public Map<String, Object> toJson() {
      Map<String, Object> json = new LinkedHashMap<>(result.toJson());
      json.put("report", html.toString());
      return json;
    }
  }

  /**
   * Replays {@code reviews} through the cluster of {@code config}; with {@code bundle}, compares
   * every streamed prediction with the bundle's offline one; writes the report into {@code
   * reportDir}; {@code meters} makes the progress bar, closed at the end of the replay.
   */
  public static Outcome replay(
      ReelsenseConfig config,
      List<Review> reviews,
      Replay.Options options,
      Path bundle,
      Path reportDir,
      Map<String, Object> context,
      IntFunction<Demo.Meter> meters) {
    ReplayLedger ledger;
    try (Demo.Meter meter = meters.apply(reviews.size())) {
      ledger = Replay.run(config, reviews, options, meter);
    }
    ReplayResult result = ReplayResult.of(ledger, bundle, config);
    return new Outcome(result, ReplayReport.write(reportDir, result, context), config);
  }

  /**
   * Runs the job. With {@code embedded} it starts a broker, a registry and the topology with {@code
   * bundle} (embeddings off unless the overrides say otherwise) and stops them at the end.
   *
   * @param load makes the configuration from the overrides
   * @param context the report's context; the cluster's addresses are added
   * @param meters makes the replay's progress bar for a number of reviews
   */
  public static Outcome run(
      List<Review> reviews,
      Replay.Options options,
      Path bundle,
      boolean embedded,
      Path reportDir,
      Map<String, String> overrides,
      Function<Map<String, String>, ReelsenseConfig> load,
      Map<String, Object> context,
      IntFunction<Demo.Meter> meters,
      PrintWriter err)
      throws InterruptedException {
    try (EmbeddedStack stack = new EmbeddedStack()) {
      Map<String, String> all = new LinkedHashMap<>(overrides);
      if (bundle != null) {
        all.put(ReelsenseConfig.BUNDLE, bundle.toString());
      }
      ReelsenseConfig config;
      if (embedded) {
        err.println("starting an embedded broker, schema registry and topology …");
        err.flush();
        stack.startBroker();
        stack.startRegistry();
        all.putAll(stack.overrides(reportDir.resolve("streams-state")));
        all.putIfAbsent(ReelsenseConfig.EMBEDDER, ReelsenseConfig.EMBEDDER_NONE);
        all.putIfAbsent(ReelsenseConfig.FILMS_ENCODER, ReelsenseConfig.EMBEDDER_NONE);
        config = load.apply(all);
        stack.startTopology(
            config,
            Bundles.load(bundle, List.of(), config.device(), config.precision()),
            Duration.ofMinutes(2));
      } else {
        config = load.apply(all);
      }
      context.put("bootstrap", config.bootstrapServers());
      context.put("registry", config.registryUrl());
      context.put("embedded", embedded);
      return replay(config, reviews, options, bundle, reportDir, context, meters);
    }
  }
}
