package io.reelsense.cli;

import ai.djl.Device;
import io.reelsense.data.DataLocation;
import io.reelsense.data.ImdbCorpus;
import io.reelsense.metrics.Scores;
import io.reelsense.model.encoder.Devices;
import io.reelsense.model.encoder.ModelCatalog;
import io.reelsense.model.encoder.PretrainedModel;
import io.reelsense.model.tokenizer.Truncation;
import io.reelsense.text.CleaningProfile;
import io.reelsense.train.BaselineOptions;
import io.reelsense.train.BaselineTrainer;
import io.reelsense.train.CleaningAblation;
import io.reelsense.train.FrozenEncoderOptions;
import io.reelsense.train.FrozenEncoderTrainer;
import io.reelsense.train.Progress;
import io.reelsense.train.TrainedBundle;
import io.reelsense.train.TrainingData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code reelsense train}: builds a model bundle from the IMDb reviews. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Train a model on the IMDb reviews and write a bundle the stream loads (manifest.json, model"
          + " files, report.html with charts).",
      "Protocol: the official train split is split 80/20 (stratified, --seed); the model is fitted"
          + " on the 80 %% (or on all of it with --fit-on all, after validating on the 20 %%),"
          + " validated on the 20 %%, and scored once on the official test split.",
      "Defaults reproduce the reference 0.907: uni+bigrams, min_df 2, sublinear tf, C=10, raw text.",
      "The 0.878 reference: --ngram 1,1 --min-df 1 --max-features 5000 --stop-words english"
          + " --no-sublinear --C 1",
      "Encoders (the CPU option): --model minilm-l6 --frozen embeds every review once with the"
          + " pretrained encoder (vectors cached, so reruns are free), fits logistic-regression"
          + " heads on the pooled vectors (C picked on validation) and writes an encoder bundle.",
      "Example: reelsense train --model tfidf-lr --out models/tfidf-lr --json",
      "Example: reelsense train --model minilm-l6 --frozen --max-length 128 --out models/minilm",
      "Example: reelsense train --model minilm-l6 --frozen --ablation --out models/ablation-minilm"
    })
public final class TrainCommand extends ReportingCommand {

  @Option(
      names = "--model",
      defaultValue = "tfidf-lr",
      paramLabel = "MODEL",
      description =
          "tfidf-lr, tfidf-nb, or an encoder of 'models list' (bge-small, minilm-l6, …) with"
              + " --frozen (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(
      names = "--frozen",
      description =
          "Encoders: keep the pretrained weights and train only the heads, on cached pooled"
              + " vectors.")
  boolean frozen;

  @Option(
      names = "--max-length",
      defaultValue = "128",
      paramLabel = "N",
      description =
          "Encoders: tokens per review, [CLS] and [SEP] included (default: ${DEFAULT-VALUE}).")
  int maxLength;

  @Option(
      names = "--truncation",
      defaultValue = "head",
      paramLabel = "HOW",
      description =
          "Encoders: which part of a longer review to keep: head, tail or head+tail (default:"
              + " ${DEFAULT-VALUE}).")
  String truncation;

  @Option(
      names = "--head-tokens",
      paramLabel = "N",
      description =
          "Encoders, head+tail: tokens kept from the head (default: a quarter of --max-length).")
  Integer headTokens;

  @Option(
      names = "--batch-size",
      paramLabel = "N",
      description =
          "Encoders: reviews per forward pass with --frozen (default: 32); reviews per optimizer"
              + " step when fine-tuning (default: 8).")
  Integer batchSize;

  @Option(
      names = "--C-grid",
      split = ",",
      paramLabel = "X,Y,…",
      description =
          "Encoders, --frozen: the C values tried per head; the best on validation is kept"
              + " (default: 0.1,1,10,100,1000).")
  double[] cGrid;

  @Option(
      names = {"--train-limit", "--max-train"},
      defaultValue = "0",
      paramLabel = "N",
      description =
          "Encoders, --frozen: fit the heads on the first N reviews of the shuffled 80 %% only; 0"
              + " = all (default: ${DEFAULT-VALUE}).")
  int trainLimit;

  @Option(
      names = "--val-limit",
      defaultValue = "0",
      paramLabel = "N",
      description =
          "--frozen, --ensemble: validate on the first N reviews of the shuffled 20 %% only; 0 = all"
              + " (default: ${DEFAULT-VALUE}).")
  int valLimit;

  @Option(
      names = "--test-limit",
      defaultValue = "0",
      paramLabel = "N",
      description =
          "--frozen, --ensemble: score a seeded random N of the official test split only (for slow"
              + " machines; the figures say so); 0 = all 25,000 (default: ${DEFAULT-VALUE}).")
  int testLimit;

  @Option(
      names = "--cache",
      paramLabel = "DIR",
      description =
          "Where frozen encoders' pooled vectors and the scores of fine-tuned bundles (for"
              + " --ensemble) are kept between runs (default: $REELSENSE_CACHE/embeddings, else"
              + " ~/.cache/reelsense/embeddings).")
  Path cache;

  @Mixin EncoderOptions encoder = new EncoderOptions();

  @Mixin TfidfArgs tfidf = new TfidfArgs();

  @Mixin EnsembleMode ensemble = new EnsembleMode();

  @Mixin FineTuneArgs fineTune = new FineTuneArgs();

  @Option(
      names = "--task",
      defaultValue = "both",
      paramLabel = "TASK",
      description =
          "sentiment (2 classes), rating (the 8 IMDb star classes 1-4, 7-10) or both heads in one bundle (default:"
              + " ${DEFAULT-VALUE}).")
  String task;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Bundle directory to write (created; files in it are replaced).")
  Path out;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description =
          "Data directory (else $REELSENSE_DATA, else ./data, else ../shared/data); an"
              + " aclImdb_v1.tar.gz file or an unpacked aclImdb/ folder also works.")
  Path data;

  @Option(
      names = "--profile",
      paramLabel = "PROFILE",
      description =
          "Text cleaning: full, light or none (default: none for TF-IDF, light for encoders).")
  String profile;

  @Option(
      names = "--seed",
      defaultValue = "42",
      paramLabel = "N",
      description = "Seed of the 80/20 split (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Worker threads (default: the number of CPUs).")
  Integer threads;

  @Option(
      names = "--ablation",
      description =
          "TF-IDF models and --frozen encoders: train once per cleaning profile (none, light,"
              + " full) into DIR/<profile>/ and write DIR/ablation.md with the figures (--profile"
              + " is then ignored).")
  boolean ablation;

  @Option(names = "--no-progress", description = "Do not draw progress bars on stderr.")
  boolean noProgress;

  @Override
  protected Report execute() throws IOException {
    if (fineTune.compare != null) {
      return new FineTuneMode(this).compare();
    }
    if (ensemble.requested()) {
      return ensemble.train(this);
    }
    if (isEncoder()) {
      return trainEncoder();
    }
    if (frozen) {
      throw new UserError(
          "--frozen applies to encoders (" + encoderNames() + "), not to '" + model + "'");
    }
    BaselineOptions options = options();
    Progress progress = progress();
    TrainingData read = TrainingData.read(resolveData(), err());
    ImdbCorpus corpus = read.corpus();
    Map<String, String> checksums = read.checksums();
    if (!ablation) {
      TrainedBundle result = BaselineTrainer.trainBundle(out, corpus, options, checksums, progress);
      return Report.of(summary(options, result), result.toJson());
    }
    return ablation(
        CleaningAblation.run(
            out,
            options.algorithm().kind(),
            options.asMap(),
            (p, dir) ->
                BaselineTrainer.trainBundle(
                    dir, corpus, options.withCleaning(p), checksums, progress),
            this::note));
  }

  Progress progress() {
    return noProgress ? Progress.NONE : Progress.bars(err());
  }

  /** The report of a cleaning ablation: its table, and its rows in the JSON. */
  private static Report ablation(CleaningAblation.Result result) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("ablation", result.rows());
    json.put("table", result.table().toString());
    return Report.of(result.markdown(), json);
  }

  private void note(String line) {
    err().println(line);
    err().flush();
  }

  Path resolveData() {
    return DataLocation.resolveFileOrDir(data);
  }

  BaselineOptions options() {
    BaselineOptions.Algorithm algorithm;
    try {
      algorithm = BaselineOptions.Algorithm.parse(model);
    } catch (IllegalArgumentException e) {
      throw new UserError("--model: " + e.getMessage());
    }
    return tfidf.options(algorithm, task(), cleaning("none"), seed, threadCount());
  }

  /** --threads, else one per CPU. */
  int threadCount() {
    int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    if (n < 1) {
      throw new UserError("--threads must be 1 or more, got " + n);
    }
    return n;
  }

  BaselineOptions.Task task() {
    try {
      return BaselineOptions.Task.valueOf(task.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new UserError("--task: unknown task '" + task + "'; known: sentiment, rating, both");
    }
  }

  CleaningProfile cleaning(String fallback) {
    try {
      return CleaningProfile.parse(profile == null ? fallback : profile);
    } catch (IllegalArgumentException e) {
      throw new UserError("--profile: " + e.getMessage());
    }
  }

  boolean isEncoder() {
    return ModelCatalog.isEncoder(model);
  }

  private static String encoderNames() {
    return String.join(", ", ModelCatalog.all().stream().map(PretrainedModel::name).toList());
  }

  private Report trainEncoder() throws IOException {
    if (!frozen) {
      return new FineTuneMode(this).fineTune();
    }
    FrozenEncoderOptions options = frozenOptions();
    Device device = engineDevice();
    FrozenEncoderTrainer.Base base;
    try {
      base = FrozenEncoderTrainer.Base.catalog(options.model(), encoder.repository());
    } catch (java.io.FileNotFoundException e) {
      throw new UserError(e.getMessage(), e);
    }
    Progress progress = progress();
    TrainingData read = TrainingData.read(resolveData(), err());
    ImdbCorpus corpus = read.corpus();
    Map<String, String> checksums = read.checksums();
    err()
        .println(
            "embedding with "
                + base.name()
                + " on "
                + device
                + " (vectors cached in "
                + options.cacheDir()
                + ")");
    err().flush();
    if (ablation) {
      return ablation(
          CleaningAblation.run(
              out,
              options.model() + " frozen + heads",
              options.asMap(),
              (p, dir) ->
                  FrozenEncoderTrainer.trainBundle(
                      dir, corpus, base, options.withCleaning(p), device, checksums, progress),
              this::note));
    }
    TrainedBundle trained =
        FrozenEncoderTrainer.trainBundle(out, corpus, base, options, device, checksums, progress);
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "%s frozen, max length %d (%s), cleaning %s, fitted on %s reviews, %.1f s (embedding"
                + " %.1f s, %s texts embedded, %s from cache)%n",
            options.model(),
            options.truncation().maxLength(),
            options.asMap().get("truncation"),
            options.cleaning().label(),
            trained.figures().get("n_fit"),
            trained.number("train_seconds"),
            trained.number("seconds_embed"),
            trained.figures().get("texts_embedded"),
            trained.figures().get("texts_cached")));
    sb.append(resultLines(trained));
    return Report.of(sb.toString(), trained.toJson());
  }

  /**
   * The device of {@code --device}, with the engine's thread count set first ({@code --threads}, or
   * one per CPU), since the engine reads it once, when it starts.
   */
  Device engineDevice() {
    try {
      Devices.useThreads(threads);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    return encoder.device();
  }

  /** Where pooled vectors and ensemble members' scores are kept: --cache, else the default. */
  Path cacheDir() {
    return cache != null ? cache : ModelCatalog.cacheDir().resolve("embeddings");
  }

  /** How encoders cut reviews: --truncation, --max-length, --head-tokens. */
  Truncation truncation() {
    Truncation t;
    try {
      Truncation.Strategy strategy = Truncation.Strategy.parse(truncation);
      if (strategy == Truncation.Strategy.HEAD_TAIL) {
        t =
            headTokens == null
                ? Truncation.headTail(maxLength)
                : Truncation.headTail(maxLength, headTokens);
      } else {
        t = new Truncation(strategy, maxLength, 0);
      }
    } catch (IllegalArgumentException e) {
      throw new UserError("--truncation/--max-length/--head-tokens: " + e.getMessage());
    }
    return t;
  }

  FrozenEncoderOptions frozenOptions() {
    PretrainedModel pretrained;
    try {
      pretrained = ModelCatalog.get(model);
    } catch (IllegalArgumentException e) {
      throw new UserError("--model: " + e.getMessage());
    }
    Truncation t = truncation();
    if (maxLength > 512) {
      throw new UserError("--max-length " + maxLength + ": the encoders take at most 512 tokens");
    }
    if (batchSize != null && batchSize < 1) {
      throw new UserError("--batch-size must be 1 or more, got " + batchSize);
    }
    if (trainLimit < 0 || valLimit < 0 || testLimit < 0) {
      throw new UserError("--train-limit, --val-limit and --test-limit must be 0 (all) or more");
    }
    double[] grid = cGrid == null ? FrozenEncoderOptions.DEFAULT_C_GRID : cGrid;
    for (double c : grid) {
      if (!(c > 0)) {
        throw new UserError("--C-grid: every C must be greater than 0, got " + c);
      }
    }
    int n = threadCount();
    Path cacheDir = cacheDir();
    return new FrozenEncoderOptions(
        pretrained.name(),
        task(),
        cleaning("light"),
        t,
        batchSize == null ? 32 : batchSize,
        grid,
        seed,
        trainLimit,
        valLimit,
        testLimit,
        n,
        encoder.device,
        cacheDir);
  }

  static String resultLines(TrainedBundle r) {
    Scores scores = r.scores();
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "sentiment  validation accuracy %.4f   test accuracy %.4f   test F1 %.4f%n",
            Scores.round(scores.valAccuracy()),
            Scores.round(scores.testAccuracy()),
            Scores.round(scores.testF1())));
    if (scores.hasRating()) {
      Scores.RatingScores rating = scores.rating();
      sb.append(
          String.format(
              Locale.ROOT,
              "rating     test accuracy %.4f   MAE %.3f stars   macro-F1 %.4f   accuracy of"
                  + " 'rating >= 7' %.4f%n",
              Scores.round(rating.testAccuracy()),
              Scores.round(rating.testMae()),
              Scores.round(rating.testMacroF1()),
              Scores.round(rating.testImpliedAccuracy())));
    }
    sb.append("bundle ").append(r.bundle()).append("   report ").append(r.report());
    return sb.toString();
  }

  private static String summary(BaselineOptions options, TrainedBundle r) {
    return String.format(
            Locale.ROOT,
            "%s, cleaning %s, fitted on %s reviews, %s features, %.1f s%n",
            options.algorithm().kind(),
            options.cleaning().label(),
            r.figures().get("n_fit"),
            r.figures().get("features"),
            r.number("train_seconds"))
        + resultLines(r);
  }
}
