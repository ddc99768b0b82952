package io.reelsense.stream.local;

import io.reelsense.model.ReviewClassifier;
import io.reelsense.model.bundle.Bundles;
import io.reelsense.stream.BatchControl;
import io.reelsense.stream.ConfigError;
import io.reelsense.stream.Preflight;
import io.reelsense.stream.ReelsenseConfig;
import io.reelsense.stream.ReelsenseStreams;
import io.reelsense.stream.StreamModels;
import io.reelsense.stream.review.ReviewScorer;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scoring topology of {@code reelsense run}, against the configured cluster or an embedded
 * broker and registry: checks the models, the device and the cluster first (one line each on
 * failure), says what runs, and on {@link #close} scores and commits the open micro-batch.
 */
public final class ScoringRun implements AutoCloseable {

  private final long started;
  private final ReelsenseConfig config;
  private final ReviewScorer scorer;
  private EmbeddedStack stack;
  private ReelsenseStreams app;
  private double seconds;

  private ScoringRun(long started, ReelsenseConfig config, ReviewScorer scorer) {
    this.started = started;
    this.config = config;
    this.scorer = scorer;
  }

  /**
   * Loads the bundle, checks the device (and, without {@code embedded}, the broker and the
   * registry), starts the embedded stack when asked, then the topology. What it does goes to {@code
   * out} (the inference line, the embeddings, the configuration) and {@code err} (the stack and the
   * live page).
   *
   * @throws ConfigError when the configuration, the device or the cluster is not usable
   * @throws io.reelsense.model.bundle.BundleException when the bundle cannot be loaded
   */
  public static ScoringRun start(
      ReelsenseConfig config, Path bundleDir, boolean embedded, PrintWriter out, PrintWriter err) {
    StreamModels.check(config);
    ReviewClassifier classifier =
        Bundles.load(bundleDir, List.of(), config.device(), config.precision());
    // fail fast, with one line, on a device that is not there; then say what runs the models
    try {
      out.println(Preflight.inferenceLine(config));
      if (!embedded) {
        Preflight.broker(config, Preflight.DEFAULT_TIMEOUT);
        Preflight.registry(config, Preflight.DEFAULT_TIMEOUT);
      }
    } catch (ConfigError e) {
      classifier.close();
      throw e;
    }
    ReviewScorer scorer = StreamModels.scorer(config, classifier);
    out.println(
        "review-embeddings: "
            + StreamModels.resolve(config)
                .map(c -> c.describe(config) + "; --embedder none turns them off")
                .orElse("off (--embedder none)"));
    out.flush();
    ReelsenseConfig running = config;
    ScoringRun run = null;
    EmbeddedStack stack = null;
    long started = System.nanoTime();
    try {
      if (embedded) {
        err.println("starting the embedded Kafka broker and schema registry …");
        err.flush();
        stack = new EmbeddedStack();
        stack.startBroker();
        stack.startRegistry();
        running = config.with(stack.overridesKeepingHttpPort(stack.temporaryStateDir()));
      }
      out.println("configuration (secrets masked):");
      running.describe().lines().forEach(l -> out.println("  " + l));
      out.flush();
      run = new ScoringRun(started, running, scorer);
      run.stack = stack;
      run.app = ReelsenseStreams.start(running, scorer, StreamModels.films(running, err));
      err.println("live page: " + run.app.httpUrl() + "/");
      err.flush();
      return run;
    } catch (RuntimeException e) {
      if (run != null) {
        run.close();
      } else {
        scorer.close();
        if (stack != null) {
          closeQuietly(stack);
        }
      }
      throw e;
    }
  }

  /** The configuration the topology runs with (the embedded stack's addresses included). */
  public ReelsenseConfig config() {
    return config;
  }

  /** The query server's URL. */
  public String httpUrl() {
    return app.httpUrl();
  }

  /** The id of the model that scores. */
  public String modelId() {
    return scorer.modelId();
  }

  /** Scores and commits the open batch, stops the topology, then the embedded stack. */
  @Override
  public void close() {
    try {
      if (app != null) {
        app.close();
      } else {
        scorer.close();
      }
    } finally {
      if (stack != null) {
        closeQuietly(stack);
      }
      seconds = (System.nanoTime() - started) / 1e9;
    }
  }

  /** After {@link #close}: the {@code --json} object. */
  public Map<String, Object> toJson() {
    BatchControl control = app.control();
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("scored", control.scored());
    result.put("dead_lettered_by_model", control.failed());
    result.put("batches", control.batches());
    result.put("pending", control.pending());
    result.put("seconds", Math.round(seconds * 10) / 10.0);
    result.put("config", config.masked());
    return result;
  }

  /** After {@link #close}: one line of what was done. */
  public String summary() {
    BatchControl control = app.control();
    return String.format(
        "stopped cleanly after %.1f s: %d reviews scored in %d batches, %d dead-lettered by"
            + " the model, %d left buffered",
        seconds, control.scored(), control.batches(), control.failed(), control.pending());
  }

  /** Stops the embedded registry and broker and deletes the temporary state directory. */
  private static void closeQuietly(EmbeddedStack stack) {
    try {
      stack.close();
    } catch (UncheckedIOException e) {
      // the temporary state directory could not be deleted; the OS cleans it eventually
    }
  }
}
