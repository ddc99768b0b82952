package io.reelsense.cli;

import ai.djl.Device;
import io.reelsense.data.ImdbCorpus;
import io.reelsense.data.ImdbReader;
import io.reelsense.model.bundle.Bundles;
import io.reelsense.model.encoder.ModelCatalog;
import io.reelsense.model.encoder.PretrainedModel;
import io.reelsense.text.CleaningProfile;
import io.reelsense.train.BaselineOptions;
import io.reelsense.train.BaselineTrainer;
import io.reelsense.train.Comparison;
import io.reelsense.train.DataChecksums;
import io.reelsense.train.FineTuneBundles;
import io.reelsense.train.FineTuneCheckpoint;
import io.reelsense.train.FineTuneOptions;
import io.reelsense.train.FineTuneReport;
import io.reelsense.train.FineTuner;
import io.reelsense.train.MemberScores;
import io.reelsense.train.Progress;
import io.reelsense.train.TrainReport;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The fine-tuning side of {@code train}: full fine-tuning of one encoder ({@code --model minilm-l6}
 * without {@code --frozen}) and {@code --compare}. Ctrl-C asks the trainer to stop: it writes a
 * checkpoint at the current step and the process exits after it (at most 5 minutes later); {@code
 * --resume} goes on from there.
 */
final class FineTuneRun {

  /** Kinds {@code --compare} trains as the TF-IDF baseline. */
  private static final List<String> BASELINES = List.of("tfidf-lr", "tfidf-nb");

  private final TrainCommand c;

  FineTuneRun(TrainCommand command) {
    this.c = command;
  }

  /** The fine-tuning arguments of the command line. */
  FineTuneOptions options() {
    FineTuneArgs a = c.fineTune;
    if (c.batchSize != null && c.batchSize < 1) {
      throw new UserError("--batch-size must be 1 or more, got " + c.batchSize);
    }
    if (c.trainLimit < 0 || c.valLimit < 0 || c.testLimit < 0) {
      throw new UserError("--train-limit, --val-limit and --test-limit must be 0 (all) or more");
    }
    if (c.maxLength > 512) {
      throw new UserError("--max-length " + c.maxLength + ": the encoders take at most 512 tokens");
    }
    if (a.serveMaxLength != 0 && (a.serveMaxLength < 3 || a.serveMaxLength > 512)) {
      throw new UserError(
          "--serve-max-length "
              + a.serveMaxLength
              + ": expected 0 (the --max-length) or 3 to 512 tokens");
    }
    try {
      return new FineTuneOptions(
          c.task(),
          c.cleaning("light"),
          a.epochs,
          c.batchSize == null ? 8 : c.batchSize,
          a.learningRate,
          a.weightDecay,
          a.warmupRatio,
          a.maxGradNorm,
          a.dropout,
          c.truncation(),
          a.serveMaxLength,
          c.seed,
          c.trainLimit,
          c.valLimit,
          c.testLimit,
          a.evalBatchSize,
          a.logEvery,
          a.checkpointEvery,
          a.stopAfterSteps);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
  }

  private FineTuner.Base base(String name) throws IOException {
    try {
      return FineTuner.Base.catalog(name, c.encoder.repository());
    } catch (FileNotFoundException e) {
      throw new UserError(e.getMessage(), e);
    }
  }

  private record Data(Path imdb, ImdbCorpus corpus, Map<String, String> checksums) {}

  private Data read() throws IOException {
    Path imdb = ImdbReader.locate(c.resolveData());
    c.err().println("reading " + imdb);
    c.err().flush();
    ImdbCorpus corpus = ImdbReader.read(imdb);
    return new Data(imdb, corpus, DataChecksums.of(imdb, corpus));
  }

  private Progress progress() {
    return c.noProgress ? Progress.NONE : Progress.bars(c.err());
  }

  /** {@code train --model ENCODER}: full fine-tuning into {@code --out}. */
  ReportingCommand.Report fineTune() throws IOException {
    if (c.ablation) {
      throw new UserError(
          "--ablation applies to the TF-IDF models and to --frozen encoders, not to"
              + " fine-tuning: add --frozen, or drop --ablation");
    }
    String name = ModelCatalog.get(c.model).name();
    FineTuneOptions options = options();
    Path checkpoints = c.out.resolve("checkpoints");
    boolean resume = c.fineTune.resume != null;
    if (resume) {
      checkpoints = checkpointsOf(c.fineTune.resume);
      options = FineTuneCheckpoint.readState(checkpoints.resolve(FineTuner.LAST)).options();
      options = options.withStopAfterSteps(c.fineTune.stopAfterSteps);
    }
    Device device = c.engineDevice();
    FineTuner.Base base = base(name);
    Data data = read();
    Map<String, Object> row = fineTuneOne(base, options, device, data, c.out, checkpoints, resume);
    if (Boolean.FALSE.equals(row.get("completed"))) {
      return new ReportingCommand.Report(
          String.format(
              Locale.ROOT,
              "stopped at step %s of %s; go on with: reelsense train --model %s --out %s"
                  + " --resume %s",
              row.get("step"),
              row.get("total_steps"),
              name,
              c.out,
              checkpoints),
          row,
          0);
    }
    return ReportingCommand.Report.of(summary(name, row), row);
  }

  private static Path checkpointsOf(Path dir) {
    if (FineTuneCheckpoint.exists(dir.resolve(FineTuner.LAST))) {
      return dir;
    }
    Path nested = dir.resolve("checkpoints");
    if (FineTuneCheckpoint.exists(nested.resolve(FineTuner.LAST))) {
      return nested;
    }
    throw new UserError(
        "--resume "
            + dir
            + ": no checkpoint there (expected "
            + nested.resolve(FineTuner.LAST).resolve(FineTuneCheckpoint.STATE)
            + ", written by an interrupted fine-tuning run)");
  }

  /** Trains one encoder, writes bundle and report into {@code out}; the JSON row. */
  private Map<String, Object> fineTuneOne(
      FineTuner.Base base,
      FineTuneOptions options,
      Device device,
      Data data,
      Path out,
      Path checkpoints,
      boolean resume)
      throws IOException {
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch done = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              stop.set(true);
              try {
                done.await(5, TimeUnit.MINUTES);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "fine-tune-checkpoint-on-exit");
    Runtime.getRuntime().addShutdownHook(hook);
    FineTuner.Result result;
    try {
      result =
          new FineTuner(base, options, device, checkpoints, progress(), c.err(), stop::get)
              .run(data.corpus(), resume);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage(), e);
    } finally {
      done.countDown();
      if (!stop.get()) {
        Runtime.getRuntime().removeShutdownHook(hook);
      }
    }
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("model", base.name());
    if (!result.completed()) {
      row.put("completed", false);
      row.put("step", result.state().step());
      row.put("total_steps", result.state().totalSteps());
      row.put("checkpoints", checkpoints.toString());
      row.put("validation", result.state().validation());
      return row;
    }
    Map<String, Object> metrics = new LinkedHashMap<>(result.metrics());
    metrics.put("epochs_validation", result.state().validation());
    Map<String, Object> arguments = new LinkedHashMap<>();
    arguments.put("model", base.name());
    arguments.put("fine_tuned", true);
    arguments.putAll(options.asMap());
    FineTuneBundles.write(out, base, options, result, metrics, arguments, data.checksums());
    MemberScores.storeFineTuned(c.cacheDir(), out, data.corpus(), options.seed(), result);
    Path report =
        FineTuneReport.write(
            out,
            base.name() + " fine-tuned (" + options.task().name().toLowerCase(Locale.ROOT) + ")",
            result,
            metrics,
            arguments);
    if (!c.fineTune.keepCheckpoints) {
      FineTuneCheckpoint.deleteTree(checkpoints);
    }
    row.putAll(result.metrics());
    row.put("kind", Bundles.ENCODER_KIND);
    row.put("cleaning", options.cleaning().label());
    row.put("bundle", out.toString());
    row.put("report", report.toString());
    return row;
  }

  /** {@code train --compare M1,M2,…}: each model under the same arguments, one table. */
  ReportingCommand.Report compare() throws IOException {
    if (c.fineTune.resume != null) {
      throw new UserError("--resume goes on with one model; run it without --compare");
    }
    if (c.frozen || c.ablation) {
      throw new UserError("--compare fine-tunes every encoder; drop --frozen and --ablation");
    }
    List<String> names = new ArrayList<>();
    for (String n : c.fineTune.compare) {
      String name = n.strip().toLowerCase(Locale.ROOT);
      if (!BASELINES.contains(name)) {
        try {
          name = ModelCatalog.get(name).name();
        } catch (IllegalArgumentException e) {
          throw new UserError("--compare: " + e.getMessage() + ", tfidf-lr, tfidf-nb");
        }
      }
      names.add(name);
    }
    FineTuneOptions options = options();
    Device device = null;
    for (String name : names) {
      if (!BASELINES.contains(name)) {
        if (device == null) {
          device = c.engineDevice();
        }
        PretrainedModel m = ModelCatalog.get(name);
        if (!ModelCatalog.isPresent(m, c.encoder.repository())) {
          throw new UserError(
              "--compare: model "
                  + name
                  + " is not in the local Maven repository; run: reelsense models pull "
                  + name);
        }
      }
    }
    Data data = read();
    List<Map<String, Object>> rows = new ArrayList<>();
    for (String name : names) {
      c.err().println("compare: " + name);
      c.err().flush();
      Path dir = c.out.resolve(name);
      Map<String, Object> row;
      if (BASELINES.contains(name)) {
        row = baseline(name, options, data, dir);
      } else {
        row =
            fineTuneOne(base(name), options, device, data, dir, dir.resolve("checkpoints"), false);
        if (Boolean.FALSE.equals(row.get("completed"))) {
          rows.add(row);
          break;
        }
      }
      rows.add(row);
    }
    Map<String, Object> arguments = new LinkedHashMap<>(options.asMap());
    arguments.put("models", names);
    List<Map<String, Object>> finished =
        rows.stream().filter(r -> !Boolean.FALSE.equals(r.get("completed"))).toList();
    Path html = Comparison.write(c.out, finished, arguments);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("models", rows);
    json.put("html", html.toString());
    json.put("json", c.out.resolve(Comparison.JSON).toString());
    return ReportingCommand.Report.of(
        Comparison.markdown(finished) + "\ntable " + html + "   json " + json.get("json"), json);
  }

  /** The TF-IDF baseline on the same reviews as the encoders (defaults otherwise). */
  private Map<String, Object> baseline(String name, FineTuneOptions options, Data data, Path dir)
      throws IOException {
    BaselineOptions defaults = BaselineOptions.defaults();
    int threads = c.threads == null ? defaults.threads() : c.threads;
    BaselineOptions b =
        new BaselineOptions(
            BaselineOptions.Algorithm.parse(name),
            options.task(),
            c.profile == null ? CleaningProfile.NONE : c.cleaning("none"),
            defaults.maxFeatures(),
            defaults.ngramMin(),
            defaults.ngramMax(),
            defaults.minDf(),
            defaults.sublinearTf(),
            defaults.c(),
            defaults.englishStopWords(),
            options.seed(),
            false,
            threads);
    FineTuner.Data d = FineTuner.data(data.corpus(), options);
    BaselineTrainer.Result r =
        BaselineTrainer.train(d.train(), d.validation(), d.test(), b, progress());
    Bundles.writeBaseline(
        dir, r.model(), name, b.cleaning(), r.metrics(), b.asMap(), data.checksums());
    Path report =
        TrainReport.write(
            dir,
            name + " (" + b.task().name().toLowerCase(Locale.ROOT) + ")",
            r.metrics(),
            b.asMap(),
            r.test());
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("model", name);
    row.putAll(r.metrics());
    double seconds = ((Number) r.metrics().get("train_seconds")).doubleValue();
    row.put("examples_per_second", seconds > 0 ? Math.round(d.train().size() / seconds) : 0);
    long parameters = 0;
    if (r.model().sentiment() != null) {
      parameters += r.model().sentiment().parameterCount();
    }
    if (r.model().rating() != null) {
      parameters += r.model().rating().parameterCount();
    }
    row.put("parameters", parameters);
    row.put("kind", name);
    row.put("bundle", dir.toString());
    row.put("report", report.toString());
    return row;
  }

  private static String summary(String name, Map<String, Object> r) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "%s fine-tuned: %,d parameters, %s train reviews, %s steps, %.1f s training"
                + " (%.2f examples/s) on %s, best epoch %s%n",
            name,
            ((Number) r.get("parameters")).longValue(),
            r.get("n_fit"),
            r.get("steps"),
            ((Number) r.get("train_seconds")).doubleValue(),
            ((Number) r.get("examples_per_second")).doubleValue(),
            r.get("device"),
            r.get("best_epoch")));
    sb.append(
        String.format(
            Locale.ROOT,
            "sentiment  validation accuracy %.4f   test accuracy %.4f   test F1 %.4f (%s test"
                + " reviews)%n",
            r.get("val_accuracy"),
            r.get("test_accuracy"),
            r.get("test_f1"),
            r.get("n_test")));
    if (r.containsKey("test_rating_accuracy")) {
      sb.append(
          String.format(
              Locale.ROOT,
              "rating     test accuracy %.4f   MAE %.3f stars   macro-F1 %.4f%n",
              r.get("test_rating_accuracy"),
              r.get("test_mae"),
              r.get("test_rating_macro_f1")));
    }
    sb.append("bundle ").append(r.get("bundle")).append("   report ").append(r.get("report"));
    return sb.toString();
  }
}
