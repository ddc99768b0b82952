package io.reelsense.cli;

import io.reelsense.stream.ReelsenseConfig;
import io.reelsense.stream.local.ScoringRun;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
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

    StopSignal signal = new StopSignal("reelsense-shutdown", Duration.ofSeconds(90));
    ScoringRun run = ScoringRun.start(config, bundleDir, embedded, out(), err());
    try {
      signal.install();
      ReelsenseConfig running = run.config();
      out()
          .println(
              "running: "
                  + running.topics().reviews()
                  + " → "
                  + running.topics().reviewsScored()
                  + " with "
                  + run.modelId()
                  + " on "
                  + running.bootstrapServers()
                  + "; film sentiment at "
                  + run.httpUrl()
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
        run.close();
      } finally {
        signal.release();
      }
    }
    return Report.of(run.summary(), run.toJson());
  }

  private static void put(Map<String, String> m, String key, Object value) {
    if (value != null) {
      m.put(key, value.toString());
    }
  }
}
