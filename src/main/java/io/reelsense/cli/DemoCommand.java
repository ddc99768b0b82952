package io.reelsense.cli;

import io.reelsense.data.DataLocation;
import io.reelsense.data.ImdbReader;
import io.reelsense.data.Review;
import io.reelsense.data.SampleData;
import io.reelsense.eval.FilmSimilarity;
import io.reelsense.eval.FilmStreamRun;
import io.reelsense.eval.Replay;
import io.reelsense.eval.ReplaySelection;
import io.reelsense.model.ReviewClassifier;
import io.reelsense.model.bundle.Bundles;
import io.reelsense.stream.Preflight;
import io.reelsense.stream.ReelsenseConfig;
import io.reelsense.stream.StreamModels;
import io.reelsense.stream.film.FilmCatalog;
import io.reelsense.stream.local.EmbeddedStack;
import io.reelsense.train.DefaultBundle;
import io.reelsense.train.Progress;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code reelsense demo}: the whole product in one command on a fresh machine — embedded broker and
 * registry, a model, the topology, a replay of the committed sample, a scorecard and a report.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "One command, nothing to install: starts an embedded Kafka broker (KRaft) and schema"
          + " registry in this process, finds a model bundle (--bundle, else ./models/tfidf-lr,"
          + " else the one a previous demo built in the work directory) or trains the quick"
          + " default (the TF-IDF baseline on the committed sample's train split; --full: on the"
          + " full train split), starts the scoring topology, replays the committed sample's test"
          + " split (--full: the whole test split) with a progress bar, prints a scorecard,"
          + " writes the report into --work DIR and shuts everything down.",
      "Embeddings (review-embeddings) come from the bundle's own encoder, else bge-small, on"
          + " each review's first 128 tokens (--embed-max-length); --embedder NAME picks another,"
          + " --embedder none turns them off.",
      "The films with a description (the sample's; --full: the whole catalog) then go through"
          + " the film topology (bge-small when its jar is present; --films 0 skips them).",
      "Example: reelsense demo --json"
    })
public final class DemoCommand extends ReportingCommand {

  @Mixin StreamOptions stream;

  @Option(
      names = "--full",
      description = "Train on the full train split and replay the full test split (--data).")
  boolean full;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description =
          "With --full: the data directory (else $REELSENSE_DATA, ./data, ../shared/data).")
  Path data;

  @Option(
      names = "--work",
      defaultValue = "reelsense-demo",
      paramLabel = "DIR",
      description = "Where the demo writes (model, report, state) (default: ${DEFAULT-VALUE}).")
  Path work;

  @Option(
      names = "--limit",
      defaultValue = "0",
      paramLabel = "N",
      description = "Replay only the first N test reviews (seeded shuffle); 0 = all.")
  int limit;

  @Option(
      names = "--timeout",
      defaultValue = "2m",
      converter = DurationConverter.class,
      paramLabel = "DURATION",
      description =
          "After the last send, give up when no output has arrived for this long and list the"
              + " missing reviews (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(
      names = "--films",
      defaultValue = "-1",
      paramLabel = "N",
      description =
          "Films with a description to stream through the film topology: -1 all (default), 0"
              + " none.")
  int films;

  @Option(names = "--no-progress", description = "Do not draw progress bars on stderr.")
  boolean noProgress;

  @Option(
      names = "--serve",
      description =
          "After the replay, keep the stack and its live page up until Ctrl-C (the page's URL is"
              + " printed when the topology starts).")
  boolean serve;

  private final Map<String, Double> seconds = new LinkedHashMap<>();
  private int stepNumber;
  private int steps = 7;

  /** Reviews per micro-batch in the demo when it embeds (unless --batch-size says otherwise). */
  static final int DEMO_EMBED_BATCH_SIZE = 16;

  @Override
  protected Report execute() throws Exception {
    if (data != null && !full) {
      throw new UserError("--data is for --full (the quick demo uses the committed sample)");
    }
    if (limit < 0) {
      throw new UserError("--limit must be 0 (all) or more, got " + limit);
    }
    if (films != 0) {
      steps++;
    }
    long start = System.nanoTime();
    Files.createDirectories(work);
    PrintWriter err = err();
    String dataLabel = full ? "the full IMDb data" : "the committed sample";
    Path imdb =
        step(
            "find " + dataLabel,
            full
                ? "pass --data DIR holding aclImdb_v1.tar.gz, or fetch it with `reelsense data"
                    + " fetch --data data`"
                : "rebuild the jar with `mvn -q package -DskipTests`",
            () -> full ? ImdbReader.locate(dataDir()) : sampleCopy());
    EmbeddedStack stack = new EmbeddedStack();
    ReplayRun.Outcome outcome;
    FilmDemo.Outcome filmOutcome = null;
    Path bundle;
    List<Review> reviews;
    ReelsenseConfig config;
    try {
      step(
          "start the Kafka broker (embedded, KRaft)",
          "check that local ports can be bound and the temp directory is writable",
          () -> {
            stack.startBroker();
            return stack.bootstrapServers();
          });
      step(
          "start the schema registry (embedded)",
          "check that a local port can be bound",
          () -> {
            stack.startRegistry();
            return stack.registryUrl();
          });
      bundle =
          step(
              "find or build the model",
              "pass --bundle DIR with a bundle made by `reelsense train`, or delete "
                  + work.resolve(modelDirName())
                  + " to rebuild it",
              () -> model(imdb));
      Map<String, String> overrides = stream.overrides();
      overrides.put(ReelsenseConfig.BUNDLE, bundle.toString());
      overrides.putAll(stack.overrides(work.resolve("streams-state")));
      overrides.putIfAbsent(
          ReelsenseConfig.FILMS_ENCODER,
          films == 0 ? ReelsenseConfig.EMBEDDER_NONE : ReelsenseConfig.EMBEDDER_AUTO);
      overrides.put(ReelsenseConfig.APPLICATION_ID, "reelsense-demo");
      try {
        config = ReelsenseConfig.load(null, System.getenv(), overrides);
      } catch (RuntimeException e) {
        throw new UserError("bad stream option: " + e.getMessage(), e);
      }
      if (StreamModels.check(config).isPresent()
          && config.source(ReelsenseConfig.BATCH_SIZE) == ReelsenseConfig.Source.DEFAULT) {
        // an encoder on a busy CPU may need seconds a batch, and the batch's Kafka transaction
        // stays open meanwhile: smaller batches keep it well inside the transaction timeout
        config =
            config.with(
                Map.of(ReelsenseConfig.BATCH_SIZE, Integer.toString(DEMO_EMBED_BATCH_SIZE)));
      }
      ReelsenseConfig topologyConfig = config;
      step(
          "start the scoring topology",
          "read the log lines above; try --batch-size 64 --batch-wait 100ms",
          () -> {
            err().println("      " + Preflight.inferenceLine(topologyConfig));
            ReviewClassifier classifier =
                Bundles.load(
                    bundle, List.of(), topologyConfig.device(), topologyConfig.precision());
            stack.startTopology(topologyConfig, classifier, Duration.ofMinutes(2));
            err().println("      live page: " + stack.streams().httpUrl() + "/");
            return StreamModels.resolve(topologyConfig)
                .map(
                    c ->
                        "embeddings by "
                            + c.describe(topologyConfig)
                            + "; --embedder none turns them off")
                .orElse("embeddings off");
          });
      reviews = ReplaySelection.of(imdb, "test", limit);
      Map<String, Object> context = new LinkedHashMap<>();
      context.put("command", "reelsense demo" + (full ? " --full" : ""));
      context.put("data", full ? imdb.toString() : "committed sample (test split)");
      context.put("reviews", reviews.size());
      context.put("bundle", bundle.toString());
      context.put("bootstrap", config.bootstrapServers() + " (embedded)");
      context.put("registry", config.registryUrl() + " (embedded)");
      context.put(
          "batch", config.batchSize() + " reviews / " + config.batchMaxWait().toMillis() + " ms");
      context.put(
          "embedder",
          StreamModels.resolve(config).map(c -> c.describe(topologyConfig)).orElse("none"));
      context.put("started", Instant.now().toString());
      ReelsenseConfig replayConfig = config;
      outcome =
          step(
              String.format(Locale.ROOT, "replay %,d test reviews", reviews.size()),
              "raise --timeout, or lower the load with --limit N",
              () ->
                  ReplayRun.run(
                      replayConfig,
                      reviews,
                      new Replay.Options(0, timeout, ReplayRun.CONNECT_TIMEOUT, "demo"),
                      bundle,
                      work.resolve("report"),
                      context,
                      err,
                      !noProgress));
      if (films != 0) {
        ReelsenseConfig filmConfig = config;
        filmOutcome =
            step(
                "stream the films through the film topology",
                "lower --films N, or skip them with --films 0",
                () -> streamFilms(stack, filmConfig, err));
      }
    } catch (RuntimeException e) {
      try {
        stack.close();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    StopSignal signal = new StopSignal("reelsense-demo-serve", Duration.ofSeconds(90));
    if (serve) {
      err.println(
          "      the live page stays up at " + stack.streams().httpUrl() + "/ ; Ctrl-C to stop");
      err.flush();
      signal.install();
      try {
        signal.await(null);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      step(
          "shut down (drain the last batch, stop the topology, registry and broker)",
          "nothing to do: the process exits anyway",
          () -> {
            stack.close();
            return "clean";
          });
    } finally {
      signal.release();
    }
    double total = (System.nanoTime() - start) / 1e9;
    Map<String, Object> json = new LinkedHashMap<>(outcome.result().toJson());
    json.put("report", outcome.html().toString());
    json.put("bundle", bundle.toString());
    Map<String, Object> stepSeconds = new LinkedHashMap<>();
    seconds.forEach((k, v) -> stepSeconds.put(k, Math.round(v * 100) / 100.0));
    json.put("steps_s", stepSeconds);
    if (filmOutcome != null) {
      json.put("films", filmOutcome.toJson());
    }
    json.put("total_s", Math.round(total * 100) / 100.0);
    String summary =
        String.format(
                Locale.ROOT,
                "%nreelsense demo: %,d reviews of %s through Kafka Streams in %.1f s%n",
                reviews.size(),
                full ? "the IMDb test split" : "the committed sample's test split",
                total)
            + ReplayRun.scorecard(outcome.result(), outcome.html(), 0)
            + (filmOutcome == null ? "" : filmOutcome.summary());
    return new Report(summary, json, outcome.result().complete() ? 0 : ErrorHandler.EXIT_FAILURE);
  }

  /** The film step: null (with a note) when the topology runs without a film encoder. */
  private FilmDemo.Outcome streamFilms(EmbeddedStack stack, ReelsenseConfig config, PrintWriter err)
      throws Exception {
    FilmCatalog catalog = stack.streams().films();
    if (catalog == null) {
      err.println("      skipped: no film encoder (films.encoder=" + config.filmsEncoder() + ")");
      return null;
    }
    List<io.reelsense.data.Film> all =
        FilmSimilarity.withDescription(FilmIndexes.catalog(full ? data : SampleData.dir()));
    List<io.reelsense.data.Film> sent =
        films < 0 ? all : all.subList(0, Math.min(films, all.size()));
    err.printf(
        Locale.ROOT,
        "      %,d films with a description, encoder %s%n",
        sent.size(),
        catalog.model());
    Path offline = FilmIndexes.defaultFile(catalog.model());
    if (Files.isRegularFile(offline)) {
      int reused = FilmStreamRun.reuse(catalog, offline, sent);
      err.printf(
          Locale.ROOT,
          "      %,d vectors reused from %s (made by `reelsense films index`)%n",
          reused,
          offline);
    }
    err.flush();
    return FilmDemo.run(
        config,
        catalog,
        stack.streams().httpUrl(),
        sent,
        timeout,
        noProgress ? Progress.NONE : Progress.bars(err));
  }

  /** Runs one step: says what it does, how long it took, and on failure what to do. */
  private <T> T step(String name, String hint, Callable<T> body) {
    stepNumber++;
    PrintWriter err = err();
    err.printf(Locale.ROOT, "[%d/%d] %s …%n", stepNumber, steps, name);
    err.flush();
    long t0 = System.nanoTime();
    T value;
    try {
      value = body.call();
    } catch (Exception e) {
      throw new UserError(
          "step "
              + stepNumber
              + " ("
              + name
              + ") failed: "
              + ErrorHandler.describe(e)
              + "; what to do: "
              + hint,
          e);
    }
    double s = (System.nanoTime() - t0) / 1e9;
    seconds.put(name, s);
    err.printf(
        Locale.ROOT,
        "      done in %.1f s%s%n",
        s,
        value instanceof String v ? " (" + v + ")" : value instanceof Path p ? " (" + p + ")" : "");
    err.flush();
    return value;
  }

  private Path dataDir() {
    return DataLocation.resolveFileOrDir(data);
  }

  /** The committed sample's IMDb archive, copied into the work directory (no temp files). */
  private Path sampleCopy() throws IOException {
    Path dir = work.resolve("sample");
    Files.createDirectories(dir);
    Path target = dir.resolve(DataLocation.IMDB_ARCHIVE);
    try (InputStream in =
        SampleData.class.getResourceAsStream(SampleData.RESOURCE_DIR + DataLocation.IMDB_ARCHIVE)) {
      if (in == null) {
        throw new IOException(
            "the committed sample is missing from the classpath ("
                + SampleData.RESOURCE_DIR
                + DataLocation.IMDB_ARCHIVE
                + ")");
      }
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
    return target;
  }

  private String modelDirName() {
    return full ? "model-full" : "model-sample";
  }

  /** --bundle, else ./models/tfidf-lr, else the work directory's, else a freshly trained one. */
  private Path model(Path imdb) throws IOException {
    DefaultBundle.Choice choice =
        DefaultBundle.findOrTrain(
            stream.bundle,
            ReplayCommand.DEFAULT_BUNDLE,
            work.resolve(modelDirName()),
            imdb,
            noProgress ? Progress.NONE : Progress.bars(err()),
            c -> {
              err()
                  .println(
                      switch (c.source()) {
                        case GIVEN -> "      using --bundle " + c.dir();
                        case SHARED -> "      using " + c.dir();
                        case EARLIER -> "      using the model a previous demo built: " + c.dir();
                        case TRAINED ->
                            "      no bundle found: training the TF-IDF baseline on "
                                + (full ? "the full" : "the sample's")
                                + " train split into "
                                + c.dir();
                      });
              err().flush();
            });
    if (choice.trained() != null) {
      err()
          .println(
              "      offline test accuracy of the new model: "
                  + choice.trained().figures().get("test_accuracy"));
    }
    return choice.dir();
  }
}
