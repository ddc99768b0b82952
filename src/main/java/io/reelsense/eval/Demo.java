package io.reelsense.eval;

import io.reelsense.data.DataLocation;
import io.reelsense.data.Film;
import io.reelsense.data.ImdbReader;
import io.reelsense.data.Review;
import io.reelsense.data.SampleData;
import io.reelsense.model.ReviewClassifier;
import io.reelsense.model.bundle.Bundles;
import io.reelsense.stream.Preflight;
import io.reelsense.stream.ReelsenseConfig;
import io.reelsense.stream.StreamModels;
import io.reelsense.stream.film.FilmCatalog;
import io.reelsense.stream.local.EmbeddedStack;
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
import java.util.function.LongConsumer;

/**
 * The whole product in one run on a fresh machine: embedded broker and registry, a model bundle,
 * the scoring topology, a replay of a test split, the film topology, a scorecard and a report. Each
 * step says on {@code err} what it does and how long it took.
 */
public final class Demo {

  /** Reviews per micro-batch when the topology embeds (unless the batch size was given). */
  public static final int EMBED_BATCH_SIZE = 16;

  /** How long to wait for the cluster. */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

  /**
   * What to run.
   *
   * @param full the full IMDb data in {@code data} instead of the committed sample
   * @param data with {@code full}: the data file or directory given (null: the usual places)
   * @param work where the model, the report and the state go
   * @param limit replay only the first N test reviews; 0 = all
   * @param films films with a description to stream: -1 all, 0 none
   * @param overrides stream configuration from the command line
   */
  public record Options(
      boolean full,
      Path data,
      Path work,
      int limit,
      Duration timeout,
      int films,
      boolean serve,
      Map<String, String> overrides) {

    /** The directory the default model goes to. */
    public Path modelDir() {
      return work.resolve(full ? "model-full" : "model-sample");
    }
  }

  /** What the caller provides: the model, the film catalog, progress bars and the wait. */
  public interface Hooks {
    /** Finds or builds the bundle, given the IMDb archive. */
    Path model(Path imdb) throws Exception;

    /** The film catalog of a data directory. */
    List<Film> catalog(Path dir);

    /** A bar for the replay; closed at its end. */
    Meter replayMeter(int total);

    /** A bar for the films; closed at their end. */
    Meter filmMeter(int total);

    /** With {@link Options#serve}: waits until the user stops; the result is closed at the end. */
    AutoCloseable serve(String url);
  }

  /** One progress bar: units done ({@link #accept}) or a replay's progress. */
  public interface Meter extends AutoCloseable, LongConsumer, Replay.Listener {
    /** Told the replay's progress; a meter that counts units ignores it. */
    @Override
    default void progress(int sent, int accounted, int total) {
      // counted by units
    }

    @Override
    void close();
  }

  /** The stream options do not make a configuration; the message says which. */
  public static final class BadOption extends RuntimeException {
    BadOption(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** A step failed: its number, name, what to do, and why (the cause). */
  public static final class StepFailed extends RuntimeException {
    private final int number;
    private final String step;
    private final String hint;

    StepFailed(int number, String step, String hint, Exception cause) {
      super("step " + number + " (" + step + ") failed", cause);
      this.number = number;
      this.step = step;
      this.hint = hint;
    }

    public int number() {
      return number;
    }

    public String step() {
      return step;
    }

    public String hint() {
      return hint;
    }
  }

  /**
   * What the demo did.
   *
   * @param seconds each step's duration, by name, in order
   * @param films the film step's outcome; null when skipped
   */
  public record Result(
      ReplayResult replay,
      Path html,
      Path bundle,
      int reviews,
      boolean full,
      Map<String, Double> seconds,
      FilmStreamRun.Result films,
      double totalSeconds) {

    /** The {@code --json} object. */
    public Map<String, Object> toJson() {
      Map<String, Object> json = new LinkedHashMap<>(replay.toJson());
      json.put("report", html.toString());
      json.put("bundle", bundle.toString());
      Map<String, Object> stepSeconds = new LinkedHashMap<>();
      seconds.forEach((k, v) -> stepSeconds.put(k, Math.round(v * 100) / 100.0));
      json.put("steps_s", stepSeconds);
      if (films != null) {
        json.put("films", films.toJson());
      }
      json.put("total_s", Math.round(totalSeconds * 100) / 100.0);
      return json;
    }

    /** The human summary: a headline, the scorecard, the film lines. */
    public String summary() {
      return String.format(
              Locale.ROOT,
              "%nreelsense demo: %,d reviews of %s through Kafka Streams in %.1f s%n",
              reviews,
              full ? "the IMDb test split" : "the committed sample's test split",
              totalSeconds)
          + ReplayReport.scorecard(replay, html, 0)
          + (films == null ? "" : films.summary());
    }
  }

  private final Options options;
  private final Hooks hooks;
  private final PrintWriter err;
  private final Map<String, Double> seconds = new LinkedHashMap<>();
  private int stepNumber;
  private final int steps;

  private Demo(Options options, Hooks hooks, PrintWriter err) {
    this.options = options;
    this.hooks = hooks;
    this.err = err;
    this.steps = options.films() != 0 ? 8 : 7;
  }

  /**
   * Runs the demo.
   *
   * @throws StepFailed when a step fails
   * @throws BadOption when the stream options are bad
   */
  public static Result run(Options options, Hooks hooks, PrintWriter err) throws IOException {
    return new Demo(options, hooks, err).run();
  }

  private Result run() throws IOException {
    long start = System.nanoTime();
    Files.createDirectories(options.work());
    boolean full = options.full();
    Path imdb =
        step(
            "find " + (full ? "the full IMDb data" : "the committed sample"),
            full
                ? "pass --data DIR holding aclImdb_v1.tar.gz, or fetch it with `reelsense data"
                    + " fetch --data data`"
                : "rebuild the jar with `mvn -q package -DskipTests`",
            () ->
                full
                    ? ImdbReader.locate(DataLocation.resolveFileOrDir(options.data()))
                    : sampleCopy());
    EmbeddedStack stack = new EmbeddedStack();
    ReplayResult result;
    Path html;
    FilmStreamRun.Result filmResult = null;
    Path bundle;
    List<Review> reviews;
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
                  + options.modelDir()
                  + " to rebuild it",
              () -> hooks.model(imdb));
      ReelsenseConfig config = config(stack, bundle);
      step(
          "start the scoring topology",
          "read the log lines above; try --batch-size 64 --batch-wait 100ms",
          () -> {
            err.println("      " + Preflight.inferenceLine(config));
            ReviewClassifier classifier =
                Bundles.load(bundle, List.of(), config.device(), config.precision());
            stack.startTopology(config, classifier, Duration.ofMinutes(2));
            err.println("      live page: " + stack.streams().httpUrl() + "/");
            return StreamModels.resolve(config)
                .map(
                    c -> "embeddings by " + c.describe(config) + "; --embedder none turns them off")
                .orElse("embeddings off");
          });
      reviews = ReplaySelection.of(imdb, "test", options.limit());
      Map<String, Object> context = context(imdb, bundle, config, reviews.size());
      Replay.Options replay = new Replay.Options(0, options.timeout(), CONNECT_TIMEOUT, "demo");
      ReplayJob.Outcome replayed =
          step(
              String.format(Locale.ROOT, "replay %,d test reviews", reviews.size()),
              "raise --timeout, or lower the load with --limit N",
              () ->
                  ReplayJob.replay(
                      config,
                      reviews,
                      replay,
                      bundle,
                      options.work().resolve("report"),
                      context,
                      hooks::replayMeter));
      result = replayed.result();
      html = replayed.html();
      if (options.films() != 0) {
        filmResult =
            step(
                "stream the films through the film topology",
                "lower --films N, or skip them with --films 0",
                () -> streamFilms(stack, config));
      }
    } catch (RuntimeException e) {
      try {
        stack.close();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    AutoCloseable served = null;
    try {
      if (options.serve()) {
        err.println(
            "      the live page stays up at " + stack.streams().httpUrl() + "/ ; Ctrl-C to stop");
        err.flush();
        served = hooks.serve(stack.streams().httpUrl());
      }
      step(
          "shut down (drain the last batch, stop the topology, registry and broker)",
          "nothing to do: the process exits anyway",
          () -> {
            stack.close();
            return "clean";
          });
    } finally {
      if (served != null) {
        try {
          served.close();
        } catch (Exception e) {
          err.println("      " + e.getMessage());
        }
      }
    }
    double total = (System.nanoTime() - start) / 1e9;
    return new Result(result, html, bundle, reviews.size(), full, seconds, filmResult, total);
  }

  private ReelsenseConfig config(EmbeddedStack stack, Path bundle) {
    Map<String, String> overrides = new LinkedHashMap<>(options.overrides());
    overrides.put(ReelsenseConfig.BUNDLE, bundle.toString());
    overrides.putAll(stack.overrides(options.work().resolve("streams-state")));
    overrides.putIfAbsent(
        ReelsenseConfig.FILMS_ENCODER,
        options.films() == 0 ? ReelsenseConfig.EMBEDDER_NONE : ReelsenseConfig.EMBEDDER_AUTO);
    overrides.put(ReelsenseConfig.APPLICATION_ID, "reelsense-demo");
    ReelsenseConfig config;
    try {
      config = ReelsenseConfig.load(null, System.getenv(), overrides);
    } catch (RuntimeException e) {
      throw new BadOption("bad stream option: " + e.getMessage(), e);
    }
    if (StreamModels.check(config).isPresent()
        && config.source(ReelsenseConfig.BATCH_SIZE) == ReelsenseConfig.Source.DEFAULT) {
      // an encoder on a busy CPU may need seconds a batch, and the batch's Kafka transaction
      // stays open meanwhile: smaller batches keep it well inside the transaction timeout
      config = config.with(Map.of(ReelsenseConfig.BATCH_SIZE, Integer.toString(EMBED_BATCH_SIZE)));
    }
    return config;
  }

  private Map<String, Object> context(Path imdb, Path bundle, ReelsenseConfig config, int reviews) {
    Map<String, Object> context = new LinkedHashMap<>();
    context.put("command", "reelsense demo" + (options.full() ? " --full" : ""));
    context.put("data", options.full() ? imdb.toString() : "committed sample (test split)");
    context.put("reviews", reviews);
    context.put("bundle", bundle.toString());
    context.put("bootstrap", config.bootstrapServers() + " (embedded)");
    context.put("registry", config.registryUrl() + " (embedded)");
    context.put(
        "batch", config.batchSize() + " reviews / " + config.batchMaxWait().toMillis() + " ms");
    context.put(
        "embedder", StreamModels.resolve(config).map(c -> c.describe(config)).orElse("none"));
    context.put("started", Instant.now().toString());
    return context;
  }

  /** The film step: null (with a note) when the topology runs without a film encoder. */
  private FilmStreamRun.Result streamFilms(EmbeddedStack stack, ReelsenseConfig config)
      throws Exception {
    FilmCatalog catalog = stack.streams().films();
    if (catalog == null) {
      err.println("      skipped: no film encoder (films.encoder=" + config.filmsEncoder() + ")");
      return null;
    }
    List<Film> all =
        FilmSimilarity.withDescription(
            hooks.catalog(options.full() ? options.data() : SampleData.dir()));
    int films = options.films();
    List<Film> sent = films < 0 ? all : all.subList(0, Math.min(films, all.size()));
    err.printf(
        Locale.ROOT,
        "      %,d films with a description, encoder %s%n",
        sent.size(),
        catalog.model());
    Path offline = FilmIndexCache.defaultFile(catalog.model());
    if (Files.isRegularFile(offline)) {
      int reused = FilmStreamRun.reuse(catalog, offline, sent);
      err.printf(
          Locale.ROOT,
          "      %,d vectors reused from %s (made by `reelsense films index`)%n",
          reused,
          offline);
    }
    err.flush();
    try (Meter meter = hooks.filmMeter(sent.size())) {
      return FilmStreamRun.run(
          config, catalog, stack.streams().httpUrl(), sent, options.timeout(), meter);
    }
  }

  /** Runs one step: says what it does, how long it took, and on failure what to do. */
  private <T> T step(String name, String hint, Callable<T> body) {
    stepNumber++;
    err.printf(Locale.ROOT, "[%d/%d] %s …%n", stepNumber, steps, name);
    err.flush();
    long t0 = System.nanoTime();
    T value;
    try {
      value = body.call();
    } catch (Exception e) {
      throw new StepFailed(stepNumber, name, hint, e);
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

  /** The committed sample's IMDb archive, copied into the work directory (no temp files). */
  private Path sampleCopy() throws IOException {
    Path dir = options.work().resolve("sample");
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
}
