package io.reelsense.cli;

import io.reelsense.data.DataLocation;
import io.reelsense.data.ImdbCorpus;
import io.reelsense.data.ImdbReader;
import io.reelsense.model.bundle.Bundles;
import io.reelsense.text.CleaningProfile;
import io.reelsense.train.BaselineOptions;
import io.reelsense.train.BaselineTrainer;
import io.reelsense.train.DataChecksums;
import io.reelsense.train.Progress;
import io.reelsense.train.TrainReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code reelsense train}: builds a model bundle from the IMDb reviews. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Train a model on the IMDb reviews and write a bundle the stream loads (manifest.json, model"
          + " files, report.html with charts).",
      "Protocol: the official train split is split 80/20 (stratified, --seed); the model is fitted"
          + " on the 80 % (or on all of it with --fit-on all, after validating on the 20 %),"
          + " validated on the 20 %, and scored once on the official test split.",
      "Defaults reproduce the reference 0.907: uni+bigrams, min_df 2, sublinear tf, C=10, raw text.",
      "The 0.878 reference: --ngram 1,1 --min-df 1 --max-features 5000 --stop-words english"
          + " --no-sublinear --C 1",
      "Example: reelsense train --model tfidf-lr --out models/tfidf-lr --json"
    })
public final class TrainCommand extends ReportingCommand {

  @Option(
      names = "--model",
      defaultValue = "tfidf-lr",
      paramLabel = "MODEL",
      description = "tfidf-lr or tfidf-nb (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(
      names = "--task",
      defaultValue = "both",
      paramLabel = "TASK",
      description =
          "sentiment (2 classes), rating (8 star classes) or both heads in one bundle (default:"
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
      defaultValue = "none",
      paramLabel = "PROFILE",
      description = "Text cleaning: full, light or none (default: ${DEFAULT-VALUE}).")
  String profile;

  @Option(
      names = "--max-features",
      defaultValue = "0",
      paramLabel = "N",
      description = "Keep the N most frequent terms; 0 = all (default: ${DEFAULT-VALUE}).")
  int maxFeatures;

  @Option(
      names = "--ngram",
      defaultValue = "1,2",
      paramLabel = "MIN,MAX",
      description = "n-gram range (default: ${DEFAULT-VALUE}).")
  String ngram;

  @Option(
      names = "--min-df",
      defaultValue = "2",
      paramLabel = "N",
      description = "Keep terms found in at least N training reviews (default: ${DEFAULT-VALUE}).")
  int minDf;

  @Option(
      names = "--sublinear",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description = "Sublinear tf, 1 + ln(tf) (default: on; --no-sublinear for raw counts).")
  boolean sublinear;

  @Option(
      names = "--C",
      defaultValue = "10",
      paramLabel = "X",
      description =
          "Inverse regularization strength of logistic regression (default: ${DEFAULT-VALUE}).")
  double c;

  @Option(
      names = "--stop-words",
      defaultValue = "none",
      paramLabel = "LIST",
      description =
          "english (scikit-learn's list, removed before n-grams) or none (default: ${DEFAULT-VALUE}).")
  String stopWords;

  @Option(
      names = "--seed",
      defaultValue = "42",
      paramLabel = "N",
      description = "Seed of the 80/20 split (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--fit-on",
      defaultValue = "split",
      paramLabel = "SET",
      description =
          "split: fit on the 80 % of the seed's split; all: then refit on all 25,000 train reviews"
              + " (default: ${DEFAULT-VALUE}).")
  String fitOn;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Worker threads (default: the number of CPUs).")
  Integer threads;

  @Option(
      names = "--ablation",
      description =
          "Train once per cleaning profile (none, light, full) into DIR/<profile>/ and write"
              + " DIR/ablation.md with the figures.")
  boolean ablation;

  @Option(names = "--no-progress", description = "Do not draw progress bars on stderr.")
  boolean noProgress;

  @Override
  protected Report execute() throws IOException {
    BaselineOptions options = options();
    Path imdb = ImdbReader.locate(resolveData());
    Progress progress = noProgress ? Progress.NONE : Progress.bars(err());
    err().println("reading " + imdb);
    err().flush();
    ImdbCorpus corpus = ImdbReader.read(imdb);
    Map<String, String> checksums = DataChecksums.of(imdb, corpus);
    if (!ablation) {
      Map<String, Object> result = trainOne(corpus, options, out, checksums, progress);
      return Report.of(summary(options, result), result);
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    for (CleaningProfile p :
        List.of(CleaningProfile.NONE, CleaningProfile.LIGHT, CleaningProfile.FULL)) {
      err().println("ablation: cleaning profile " + p.label());
      rows.add(
          trainOne(corpus, options.withCleaning(p), out.resolve(p.label()), checksums, progress));
    }
    Path table = out.resolve("ablation.md");
    Files.writeString(table, ablationTable(options, rows));
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("ablation", rows);
    json.put("table", table.toString());
    return Report.of(Files.readString(table), json);
  }

  private Path resolveData() {
    if (data != null && Files.isRegularFile(data)) {
      return data;
    }
    return DataLocation.resolve(data);
  }

  private Map<String, Object> trainOne(
      ImdbCorpus corpus,
      BaselineOptions options,
      Path dir,
      Map<String, String> checksums,
      Progress progress)
      throws IOException {
    BaselineTrainer.Result result = BaselineTrainer.train(corpus, options, progress);
    Bundles.writeBaseline(
        dir,
        result.model(),
        options.algorithm().kind(),
        options.cleaning(),
        result.metrics(),
        options.asMap(),
        checksums);
    Path report =
        TrainReport.write(
            dir,
            options.algorithm().kind()
                + " ("
                + options.task().name().toLowerCase(Locale.ROOT)
                + ")",
            result.metrics(),
            options.asMap(),
            result.test());
    Map<String, Object> json = new LinkedHashMap<>(result.metrics());
    json.put("model", options.algorithm().kind());
    json.put("cleaning", options.cleaning().label());
    json.put("bundle", dir.toString());
    json.put("report", report.toString());
    return json;
  }

  BaselineOptions options() {
    BaselineOptions.Algorithm algorithm;
    try {
      algorithm = BaselineOptions.Algorithm.parse(model);
    } catch (IllegalArgumentException e) {
      throw new UserError("--model: " + e.getMessage());
    }
    BaselineOptions.Task t;
    try {
      t = BaselineOptions.Task.valueOf(task.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new UserError("--task: unknown task '" + task + "'; known: sentiment, rating, both");
    }
    CleaningProfile cleaning;
    try {
      cleaning = CleaningProfile.parse(profile);
    } catch (IllegalArgumentException e) {
      throw new UserError("--profile: " + e.getMessage());
    }
    String[] range = ngram.split(",");
    int lo;
    int hi;
    try {
      lo = Integer.parseInt(range[0].strip());
      hi = range.length > 1 ? Integer.parseInt(range[1].strip()) : lo;
    } catch (NumberFormatException e) {
      throw new UserError("--ngram: expected MIN,MAX such as 1,2, got '" + ngram + "'");
    }
    if (range.length > 2 || lo < 1 || hi < lo) {
      throw new UserError("--ngram: expected 1 <= MIN <= MAX such as 1,2, got '" + ngram + "'");
    }
    if (minDf < 1) {
      throw new UserError("--min-df must be 1 or more, got " + minDf);
    }
    if (maxFeatures < 0) {
      throw new UserError("--max-features must be 0 (all) or more, got " + maxFeatures);
    }
    if (!(c > 0)) {
      throw new UserError("--C must be greater than 0, got " + c);
    }
    boolean english;
    switch (stopWords.toLowerCase(Locale.ROOT)) {
      case "english" -> english = true;
      case "none" -> english = false;
      default ->
          throw new UserError("--stop-words: expected english or none, got '" + stopWords + "'");
    }
    boolean all;
    switch (fitOn.toLowerCase(Locale.ROOT)) {
      case "split" -> all = false;
      case "all" -> all = true;
      default -> throw new UserError("--fit-on: expected split or all, got '" + fitOn + "'");
    }
    int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    if (n < 1) {
      throw new UserError("--threads must be 1 or more, got " + n);
    }
    return new BaselineOptions(
        algorithm, t, cleaning, maxFeatures, lo, hi, minDf, sublinear, c, english, seed, all, n);
  }

  private static String summary(BaselineOptions options, Map<String, Object> r) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "%s, cleaning %s, fitted on %s reviews, %s features, %.1f s%n",
            options.algorithm().kind(),
            options.cleaning().label(),
            r.get("n_fit"),
            r.get("features"),
            ((Number) r.get("train_seconds")).doubleValue()));
    sb.append(
        String.format(
            Locale.ROOT,
            "sentiment  validation accuracy %.4f   test accuracy %.4f   test F1 %.4f%n",
            r.get("val_accuracy"),
            r.get("test_accuracy"),
            r.get("test_f1")));
    if (r.containsKey("test_rating_accuracy")) {
      sb.append(
          String.format(
              Locale.ROOT,
              "rating     test accuracy %.4f   MAE %.3f stars   macro-F1 %.4f   accuracy of"
                  + " 'rating >= 7' %.4f%n",
              r.get("test_rating_accuracy"),
              r.get("test_mae"),
              r.get("test_rating_macro_f1"),
              r.get("test_rating_implied_accuracy")));
    }
    sb.append("bundle ").append(r.get("bundle")).append("   report ").append(r.get("report"));
    return sb.toString();
  }

  static String ablationTable(BaselineOptions options, List<Map<String, Object>> rows) {
    StringBuilder sb = new StringBuilder();
    sb.append("# Cleaning ablation, ")
        .append(options.algorithm().kind())
        .append(" (official test split)\n\n");
    sb.append("Arguments: ").append(Json.line(options.withCleaning(CleaningProfile.NONE).asMap()));
    sb.append(" (cleaning varies)\n\n");
    boolean rating = rows.stream().anyMatch(r -> r.containsKey("test_rating_accuracy"));
    sb.append("| cleaning | val accuracy | test accuracy | test F1 |");
    sb.append(rating ? " rating accuracy | MAE |" : "").append(" features | seconds |\n");
    sb.append("| --- | --- | --- | --- |")
        .append(rating ? " --- | --- |" : "")
        .append(" --- | --- |\n");
    for (Map<String, Object> r : rows) {
      sb.append(
          String.format(
              Locale.ROOT,
              "| %s | %.4f | %.4f | %.4f |",
              r.get("cleaning"),
              r.get("val_accuracy"),
              r.get("test_accuracy"),
              r.get("test_f1")));
      if (rating) {
        sb.append(
            String.format(
                Locale.ROOT, " %.4f | %.3f |", r.get("test_rating_accuracy"), r.get("test_mae")));
      }
      sb.append(
          String.format(Locale.ROOT, " %s | %s |%n", r.get("features"), r.get("train_seconds")));
    }
    return sb.toString();
  }
}
