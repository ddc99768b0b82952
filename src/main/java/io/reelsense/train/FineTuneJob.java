package io.reelsense.train;

import ai.djl.Device;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.reelsense.model.bundle.Bundles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The fine-tuning job: full fine-tuning of one encoder into a bundle (trainer, bundle, score cache
 * for ensembles, report, checkpoint clean-up), and the comparison of several models trained under
 * the same arguments. A stop request makes the trainer write a checkpoint at the current step and
 * return; a later run with {@code resume} goes on from there.
 */
public final class FineTuneJob {

  /** Kinds a comparison trains as the TF-IDF baseline. */
  public static final List<String> BASELINES = List.of("tfidf-lr", "tfidf-nb");

  private FineTuneJob() {}

  /**
   * A stop request for one fine-tuning run: true once the run should checkpoint and return; closed
   * when the run has returned (checkpoint written), so a process waiting to exit may go on.
   */
  public interface Stop extends BooleanSupplier, AutoCloseable {

    /** Never asks to stop. */
    Stop NEVER =
        new Stop() {
          @Override
          public boolean getAsBoolean() {
            return false;
          }

          @Override
          public void close() {}
        };

    @Override
    void close();
  }

  /** Loads the encoder a fine-tuning run starts from, by catalog name. */
  @FunctionalInterface
  public interface BaseLoader {
    FineTuner.Base load(String name) throws IOException;
  }

  /**
   * Where and how the job runs.
   *
   * @param device where to train
   * @param scoreCache where fine-tuned bundles' scores are kept for ensembles
   * @param keepCheckpoints whether the checkpoints of a completed run stay
   * @param progress progress bars
   * @param log notes for the user
   * @param stops a fresh stop request per fine-tuning run
   */
  public record Setup(
      Device device,
      Path scoreCache,
      boolean keepCheckpoints,
      Progress progress,
      PrintWriter log,
      Supplier<Stop> stops) {}

  /**
   * What a fine-tuning run produced.
   *
   * @param model the encoder's catalog name
   * @param state where training stands (its step, its epochs' validation rows)
   * @param checkpoints the checkpoint directory
   * @param bundle the bundle written; null when the run stopped before the end
   */
  public record Outcome(
      String model, FineTuneCheckpoint.State state, Path checkpoints, TrainedBundle bundle) {

    /** Whether training ran to the end (and the bundle was written). */
    public boolean completed() {
      return bundle != null;
    }

    /**
     * The run's JSON: {@code model} and the figures, {@code kind}, {@code cleaning}, {@code
     * bundle}, {@code report}; when stopped, {@code completed: false}, {@code step}, {@code
     * total_steps}, {@code checkpoints} and the epochs' {@code validation} rows.
     */
    public Comparison.Row toJson() {
      if (bundle == null) {
        return new Comparison.Stopped(
            model, state.step(), state.totalSteps(), checkpoints.toString(), state.validation());
      }
      return new Comparison.Finished(model, bundle);
    }
  }

  /**
   * Fine-tunes {@code base} on {@code data} and writes the bundle, its scores for ensembles and its
   * report into {@code out}; checkpoints go to {@code checkpoints} (removed at the end unless
   * kept).
   *
   * @param resume go on from the checkpoint in {@code checkpoints}
   */
  public static Outcome fineTune(
      FineTuner.Base base,
      FineTuneOptions options,
      TrainingData data,
      Path out,
      Path checkpoints,
      boolean resume,
      Setup setup)
      throws IOException {
    FineTuner.Result result;
    try (Stop stop = setup.stops().get()) {
      result =
          new FineTuner(
                  base, options, setup.device(), checkpoints, setup.progress(), setup.log(), stop)
              .run(data.corpus(), resume);
    }
    if (!result.completed()) {
      return new Outcome(base.name(), result.state(), checkpoints, null);
    }
    Map<String, Object> metrics = new LinkedHashMap<>(result.metrics());
    metrics.put("epochs_validation", result.state().validation());
    Map<String, Object> arguments = new LinkedHashMap<>();
    arguments.put("model", base.name());
    arguments.put("fine_tuned", true);
    arguments.putAll(options.asMap());
    FineTuneBundles.write(out, base, options, result, metrics, arguments, data.checksums());
    MemberScores.storeFineTuned(setup.scoreCache(), out, data.corpus(), options.seed(), result);
    Path report =
        FineTuneReport.write(
            out,
            base.name() + " fine-tuned (" + options.task().name().toLowerCase(Locale.ROOT) + ")",
            result,
            metrics,
            arguments);
    if (!setup.keepCheckpoints()) {
      FineTuneCheckpoint.deleteTree(checkpoints);
    }
    TrainedBundle bundle =
        new TrainedBundle(
            base.name(),
            options.cleaning().label(),
            Bundles.ENCODER_KIND,
            Evaluation.scores(result.validation(), result.test()),
            result.metrics(),
            out,
            report);
    return new Outcome(base.name(), result.state(), checkpoints, bundle);
  }

  /**
   * What a comparison produced.
   *
   * @param rows each model's row, in the order trained (the last one stopped when a stop came)
   * @param html the comparison table
   * @param json the rows as a JSON file
   */
  public record Compared(List<Comparison.Row> rows, Path html, Path json) {

    /** The rows of the models that ran to the end. */
    public List<Comparison.Finished> finished() {
      return finishedOf(rows);
    }

    /** The comparison's JSON: {@code models}, {@code html}, {@code json}. */
    public ComparedJson toJson() {
      return new ComparedJson(rows, html.toString(), json.toString());
    }
  }

  /**
   * The JSON of a comparison.
   *
   * @param models each model's row
   * @param html the comparison table's file
   * @param json the rows' JSON file
   */
  @JsonPropertyOrder({"models", "html", "json"})
  public record ComparedJson(List<Comparison.Row> models, String html, String json) {}

  /**
   * Trains each of {@code names} (encoders fine-tuned, {@link #BASELINES} as TF-IDF baselines on
   * the same reviews as the encoders) into {@code out/<name>/}, and writes the comparison table
   * into {@code out}. Stops after a fine-tuning run that was asked to stop.
   *
   * @param baseline the baseline's arguments (its algorithm is set per name)
   */
  public static Compared compare(
      List<String> names,
      FineTuneOptions options,
      BaselineOptions baseline,
      BaseLoader bases,
      TrainingData data,
      Path out,
      Setup setup)
      throws IOException {
    List<Comparison.Row> rows = new ArrayList<>();
    java.util.Set<String> folders = new java.util.HashSet<>();
    for (String name : names) {
      setup.log().println("compare: " + name);
      setup.log().flush();
      Path dir = out.resolve(folder(name, folders));
      if (BASELINES.contains(name)) {
        rows.add(baseline(name, options, baseline, data, dir, setup.progress()));
        continue;
      }
      Outcome outcome =
          fineTune(bases.load(name), options, data, dir, dir.resolve("checkpoints"), false, setup);
      Comparison.Row row = outcome.toJson();
      if (row instanceof Comparison.Finished finished) {
        row =
            new Comparison.Finished(
                finished.model(),
                finished.bundle(),
                outcome.state().loss(),
                ProcessMemory.peakResidentMb().orElse(null),
                ProcessMemory.gpuUsedMb(setup.device()).orElse(null));
      }
      rows.add(row);
      if (!outcome.completed()) {
        break;
      }
    }
    Map<String, Object> arguments = new LinkedHashMap<>(options.asMap());
    arguments.put("models", names);
    Path html = Comparison.write(out, finishedOf(rows), arguments);
    return new Compared(rows, html, out.resolve(Comparison.JSON));
  }

  /**
   * The folder under {@code --out} a compared model's bundle goes to: its name, or for a hub
   * directory named by its path the directory's own name (never the path itself, which would put
   * the bundle inside the model's directory), made unique with {@code -2}, {@code -3}, ….
   */
  static String folder(String name, java.util.Set<String> used) {
    String base = name;
    if (name.contains("/") || name.contains(java.io.File.separator)) {
      Path file = Path.of(name).getFileName();
      base = file == null ? "model" : file.toString();
    }
    String folder = base;
    for (int i = 2; !used.add(folder); i++) {
      folder = base + "-" + i;
    }
    return folder;
  }

  private static List<Comparison.Finished> finishedOf(List<Comparison.Row> rows) {
    return rows.stream()
        .filter(r -> r instanceof Comparison.Finished)
        .map(r -> (Comparison.Finished) r)
        .toList();
  }

  /** The TF-IDF baseline on the same reviews as the encoders; its comparison row. */
  private static Comparison.Finished baseline(
      String name,
      FineTuneOptions options,
      BaselineOptions template,
      TrainingData data,
      Path dir,
      Progress progress)
      throws IOException {
    BaselineOptions b =
        new BaselineOptions(
            BaselineOptions.Algorithm.parse(name),
            options.task(),
            template.cleaning(),
            template.maxFeatures(),
            template.ngramMin(),
            template.ngramMax(),
            template.minDf(),
            template.sublinearTf(),
            template.c(),
            template.englishStopWords(),
            options.seed(),
            false,
            template.threads());
    FineTuner.Data d = FineTuner.data(data.corpus(), options);
    BaselineTrainer.Result r =
        BaselineTrainer.train(d.train(), d.validation(), d.test(), b, progress);
    TrainedBundle bundle = BaselineTrainer.writeBundle(dir, r, b, data.checksums());
    Map<String, Object> figures = new LinkedHashMap<>(bundle.figures());
    double seconds = r.figures().trainSeconds();
    figures.put("examples_per_second", seconds > 0 ? Math.round(d.train().size() / seconds) : 0);
    long parameters = 0;
    if (r.model().sentiment() != null) {
      parameters += r.model().sentiment().parameterCount();
    }
    if (r.model().rating() != null) {
      parameters += r.model().rating().parameterCount();
    }
    figures.put("parameters", parameters);
    return new Comparison.Finished(
        name, new TrainedBundle(name, null, name, bundle.scores(), figures, dir, bundle.report()));
  }
}
