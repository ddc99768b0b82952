package io.reelsense.cli;

import io.reelsense.data.Film;
import io.reelsense.eval.Demo;
import io.reelsense.train.DefaultBundle;
import io.reelsense.train.Progress;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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

  @Override
  protected Report execute() throws Exception {
    if (data != null && !full) {
      throw new UserError("--data is for --full (the quick demo uses the committed sample)");
    }
    if (limit < 0) {
      throw new UserError("--limit must be 0 (all) or more, got " + limit);
    }
    Demo.Options options =
        new Demo.Options(full, data, work, limit, timeout, films, serve, stream.overrides());
    Demo.Result result;
    try {
      result = Demo.run(options, new Hooks(options), err());
    } catch (Demo.StepFailed e) {
      throw new UserError(
          e.getMessage() + ": " + ErrorHandler.describe(e.getCause()) + "; what to do: " + e.hint(),
          e.getCause());
    } catch (Demo.BadOption e) {
      throw new UserError(e.getMessage(), e.getCause());
    }
    return new Report(
        result.summary(),
        result.toJson(),
        result.replay().complete() ? 0 : ErrorHandler.EXIT_FAILURE);
  }

  /** The demo's model, film catalog, progress bars and Ctrl-C wait. */
  private final class Hooks implements Demo.Hooks {
    private final Demo.Options options;
    private final Progress progress;

    Hooks(Demo.Options options) {
      this.options = options;
      this.progress = noProgress ? Progress.NONE : Progress.bars(err());
    }

    /** --bundle, else ./models/tfidf-lr, else the work directory's, else a freshly trained one. */
    @Override
    public Path model(Path imdb) throws IOException {
      return DefaultBundle.findOrTrain(
          stream.bundle,
          ReplayCommand.DEFAULT_BUNDLE,
          options.modelDir(),
          imdb,
          progress,
          DefaultBundle.Notes.demo((full ? "the full" : "the sample's") + " train split"),
          line -> {
            err().println(line);
            err().flush();
          });
    }

    @Override
    public List<Film> catalog(Path dir) {
      return FilmIndexes.catalog(dir);
    }

    @Override
    public Demo.Meter replayMeter(int total) {
      return ReplayRun.meter(err(), total, !noProgress);
    }

    @Override
    public Demo.Meter filmMeter(int total) {
      Progress.Bar bar = progress.start("films", total);
      return new Demo.Meter() {
        @Override
        public void accept(long units) {
          bar.step(units);
        }

        @Override
        public void close() {
          bar.close();
        }
      };
    }

    @Override
    public AutoCloseable serve(String url) {
      StopSignal signal = new StopSignal("reelsense-demo-serve", Duration.ofSeconds(90));
      signal.install();
      try {
        signal.await(null);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return signal::release;
    }
  }
}
