package io.reelsense.cli;

import io.reelsense.model.ReviewClassifier;
import io.reelsense.model.bundle.BundleException;
import io.reelsense.model.bundle.Bundles;
import io.reelsense.stream.BatchControl;
import io.reelsense.stream.ConfigError;
import io.reelsense.stream.Preflight;
import io.reelsense.stream.ReelsenseConfig;
import io.reelsense.stream.ReelsenseStreams;
import io.reelsense.stream.StreamModels;
import io.reelsense.stream.local.EmbeddedStack;
import io.reelsense.stream.review.ReviewScorer;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code reelsense run}: the scoring topology against a Kafka cluster and a schema registry (or an
 * in-process broker and registry with {@code --embedded}) until SIGTERM or Ctrl-C, then a clean
 * shutdown: the open micro-batch is scored and committed.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Score reviews from Kafka with a model bundle until SIGTERM/Ctrl-C (Kafka Streams,"
          + " exactly-once).",
      "Configuration: --config FILE, then REELSENSE_* environment variables, then options;"
          + " any key with --set KEY=VALUE (kafka.* keys go to the Kafka clients)."
    })
public final class RunCommand extends ReportingCommand {

  @Mixin ClusterOptions cluster = new ClusterOptions();

  @Mixin StreamOptions stream = new StreamOptions();

  @Option(
      names = "--embedded",
      description = "Start an in-process Kafka broker (KRaft) and schema registry and use them.")
  boolean embedded;

  @Option(names = "--threads", paramLabel = "N", description = "Kafka Streams threads.")
  Integer threads;

  @Option(names = "--application-id", paramLabel = "ID", description = "Kafka Streams app id.")
  String applicationId;

  @Option(
      names = "--http-host",
      paramLabel = "HOST",
      description = "Bind address of the query server.")
  String httpHost;

  @Option(names = "--http-port", paramLabel = "PORT", description = "Port of the query server.")
  Integer httpPort;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "Any configuration key, e.g. --set kafka.security.protocol=SASL_SSL.")
  Map<String, String> set = new LinkedHashMap<>();

  @Mixin RunFor runFor = new RunFor();

  @Override
  protected Report execute() throws Exception {
    Map<String, String> overrides = new LinkedHashMap<>(set);
    overrides.putAll(stream.overrides());
    put(overrides, ReelsenseConfig.STREAM_THREADS, threads);
    put(overrides, ReelsenseConfig.APPLICATION_ID, applicationId);
    put(overrides, ReelsenseConfig.HTTP_HOST, httpHost);
    put(overrides, ReelsenseConfig.HTTP_PORT, httpPort);
    Long runForSeconds = runFor.seconds();
    if (embedded && cluster.external()) {
      throw new UserError(
          "--embedded starts its own broker and registry: drop --bootstrap/--registry");
    }
    ReelsenseConfig config = cluster.load(overrides);
    Path bundleDir =
        config
            .bundle()
            .orElseThrow(
                () ->
                    new UserError(
                        "no model bundle: pass --bundle DIR (a folder made by 'reelsense train')"
                            + " or set model.bundle"));

    StreamModels.check(config);
    ReviewClassifier classifier = loadBundle(bundleDir, config);
    // fail fast, with one line, on a device that is not there; then say what runs the models
    try {
      out().println(Preflight.inferenceLine(config));
      if (!embedded) {
        Preflight.broker(config, Preflight.DEFAULT_TIMEOUT);
        Preflight.registry(config, Preflight.DEFAULT_TIMEOUT);
      }
    } catch (ConfigError e) {
      classifier.close();
      throw new UserError(e.getMessage(), e);
    }
    ReviewScorer scorer = StreamModels.scorer(config, classifier);
    ReelsenseConfig loaded = config;
    out()
        .println(
            "review-embeddings: "
                + StreamModels.resolve(loaded)
                    .map(c -> c.describe(loaded) + "; --embedder none turns them off")
                    .orElse("off (--embedder none)"));
    out().flush();
    EmbeddedStack stack = null;
    ReelsenseStreams app = null;
    StopSignal signal = new StopSignal("reelsense-shutdown", Duration.ofSeconds(90));
    long started = System.nanoTime();
    BatchControl control;
    try {
      if (embedded) {
        err().println("starting the embedded Kafka broker and schema registry …");
        err().flush();
        stack = new EmbeddedStack();
        stack.startBroker();
        stack.startRegistry();
        config = config.with(stack.overridesKeepingHttpPort(stack.temporaryStateDir()));
      }
      out().println("configuration (secrets masked):");
      config.describe().lines().forEach(l -> out().println("  " + l));
      out().flush();

      try {
        app = ReelsenseStreams.start(config, scorer, StreamModels.films(config, err()));
      } catch (ConfigError e) {
        throw new UserError(e.getMessage(), e);
      }
      control = app.control();
      err().println("live page: " + app.httpUrl() + "/");
      err().flush();
      signal.install();
      out()
          .println(
              "running: "
                  + config.topics().reviews()
                  + " → "
                  + config.topics().reviewsScored()
                  + " with "
                  + scorer.modelId()
                  + " on "
                  + config.bootstrapServers()
                  + "; film sentiment at "
                  + app.httpUrl()
                  + "/films/{id}/sentiment; "
                  + (runForSeconds == null
                      ? "Ctrl-C to stop"
                      : "stopping after " + runForSeconds + " s"));
      out().flush();
      signal.await(runForSeconds);
      err().println("stopping: scoring the open batch and committing …");
      err().flush();
    } finally {
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
        signal.release();
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("scored", control.scored());
    result.put("dead_lettered_by_model", control.failed());
    result.put("batches", control.batches());
    result.put("pending", control.pending());
    result.put("seconds", Math.round(seconds * 10) / 10.0);
    result.put("config", config.masked());
    String summary =
        String.format(
            "stopped cleanly after %.1f s: %d reviews scored in %d batches, %d dead-lettered by"
                + " the model, %d left buffered",
            seconds, control.scored(), control.batches(), control.failed(), control.pending());
    return Report.of(summary, result);
  }

  private static ReviewClassifier loadBundle(Path dir, ReelsenseConfig config) {
    try {
      return Bundles.load(dir, List.of(), config.device(), config.precision());
    } catch (BundleException e) {
      throw new UserError(e.getMessage(), e);
    }
  }

  private static void put(Map<String, String> m, String key, Object value) {
    if (value != null) {
      m.put(key, value.toString());
    }
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
