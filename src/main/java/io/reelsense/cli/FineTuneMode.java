package io.reelsense.cli;

import ai.djl.Device;
import io.reelsense.metrics.Scores;
import io.reelsense.model.encoder.ModelCatalog;
import io.reelsense.model.encoder.PretrainedModel;
import io.reelsense.text.CleaningProfile;
import io.reelsense.train.BaselineOptions;
import io.reelsense.train.FineTuneCheckpoint;
import io.reelsense.train.FineTuneJob;
import io.reelsense.train.FineTuneOptions;
import io.reelsense.train.FineTuner;
import io.reelsense.train.Progress;
import io.reelsense.train.TrainedBundle;
import io.reelsense.train.TrainingData;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The fine-tuning modes of {@code train}: full fine-tuning of one encoder ({@code --model
 * minilm-l6} without {@code --frozen}) and {@code --compare}. Reads the options, calls {@link
 * FineTuneJob}, prints. Ctrl-C asks the trainer to stop: it writes a checkpoint at the current step
 * and the process exits after it (at most 5 minutes later); {@code --resume} goes on from there.
 */
final class FineTuneMode {

  private final TrainCommand c;

  FineTuneMode(TrainCommand command) {
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
          c.cleaning(CleaningProfile.LIGHT),
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

  private FineTuneJob.Setup setup(Device device) {
    return new FineTuneJob.Setup(
        device,
        c.cacheDir(),
        c.fineTune.keepCheckpoints,
        c.noProgress ? Progress.NONE : Progress.bars(c.err()),
        c.err(),
        CheckpointOnExit::install);
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
    TrainingData data = TrainingData.read(c.resolveData(), c.err());
    FineTuneJob.Outcome outcome;
    try {
      outcome =
          FineTuneJob.fineTune(base, options, data, c.out, checkpoints, resume, setup(device));
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage(), e);
    }
    io.reelsense.train.Comparison.Row row = outcome.toJson();
    if (!outcome.completed()) {
      return new ReportingCommand.Report(
          String.format(
              Locale.ROOT,
              "stopped at step %s of %s; go on with: reelsense train --model %s --out %s"
                  + " --resume %s",
              outcome.state().step(),
              outcome.state().totalSteps(),
              name,
              c.out,
              checkpoints),
          row,
          0);
    }
    return ReportingCommand.Report.of(summary(name, outcome.bundle()), row);
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
      String name = n.strip();
      if (!name.contains("/") && !name.contains(java.io.File.separator)) {
        // catalog names in any case; a hub directory's path as it is
        name = name.toLowerCase(Locale.ROOT);
      }
      if (!FineTuneJob.BASELINES.contains(name)) {
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
      if (!FineTuneJob.BASELINES.contains(name)) {
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
    TrainingData data = TrainingData.read(c.resolveData(), c.err());
    FineTuneJob.Compared compared;
    try {
      compared =
          FineTuneJob.compare(names, options, baseline(), this::base, data, c.out, setup(device));
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage(), e);
    }
    return ReportingCommand.Report.of(
        io.reelsense.train.Comparison.markdown(compared.finished())
            + "\ntable "
            + compared.html()
            + "   json "
            + compared.json(),
        compared.toJson());
  }

  /** The TF-IDF baseline's arguments in a comparison: the defaults, --profile and --threads. */
  private BaselineOptions baseline() {
    BaselineOptions defaults = BaselineOptions.defaults();
    int threads = c.threads == null ? defaults.threads() : c.threads;
    return new BaselineOptions(
        defaults.algorithm(),
        defaults.task(),
        c.cleaning(CleaningProfile.NONE),
        defaults.maxFeatures(),
        defaults.ngramMin(),
        defaults.ngramMax(),
        defaults.minDf(),
        defaults.sublinearTf(),
        defaults.c(),
        defaults.englishStopWords(),
        defaults.seed(),
        false,
        threads);
  }

  private static String summary(String name, TrainedBundle r) {
    Map<String, Object> f = r.figures();
    Scores scores = r.scores();
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "%s fine-tuned: %,d parameters, %s train reviews, %s steps, %.1f s training"
                + " (%.2f examples/s) on %s, best epoch %s%n",
            name,
            (long) r.number("parameters"),
            f.get("n_fit"),
            f.get("steps"),
            r.number("train_seconds"),
            r.number("examples_per_second"),
            f.get("device"),
            f.get("best_epoch")));
    sb.append(
        String.format(
            Locale.ROOT,
            "sentiment  validation accuracy %.4f   test accuracy %.4f   test F1 %.4f (%s test"
                + " reviews)%n",
            Scores.round(scores.valAccuracy()),
            Scores.round(scores.testAccuracy()),
            Scores.round(scores.testF1()),
            f.get("n_test")));
    if (scores.hasRating()) {
      sb.append(
          String.format(
              Locale.ROOT,
              "rating     test accuracy %.4f   MAE %.3f stars   macro-F1 %.4f%n",
              Scores.round(scores.rating().testAccuracy()),
              Scores.round(scores.rating().testMae()),
              Scores.round(scores.rating().testMacroF1())));
    }
    sb.append("bundle ").append(r.bundle()).append("   report ").append(r.report());
    return sb.toString();
  }
}
