package io.reelsense.cli;

import ai.djl.Device;
import io.reelsense.data.ImdbCorpus;
import io.reelsense.metrics.Scores;
import io.reelsense.model.bundle.Bundles;
import io.reelsense.train.EnsembleTrainer;
import io.reelsense.train.Progress;
import io.reelsense.train.TrainingData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The ensemble mode of {@code train} ({@code --ensemble BUNDLE,BUNDLE…}): its options (a picocli
 * mixin), their checks, the call to {@link EnsembleTrainer#trainBundle}, and the summary.
 */
public final class EnsembleMode {

  @Option(
      names = "--ensemble",
      split = ",",
      paramLabel = "BUNDLE,BUNDLE…",
      description =
          "Build an ensemble of these bundles (e.g. a tfidf-lr and a --frozen encoder bundle),"
              + " combined as --combine says, fitted on the validation split; --model is then"
              + " ignored.")
  List<Path> ensemble;

  @Option(
      names = "--combine",
      defaultValue = "stacking",
      paramLabel = "HOW",
      description =
          "--ensemble: 'stacking' (logistic regression over the members' log-odds and log rating"
              + " probabilities, C cross-validated on validation) or 'average' (weighted average"
              + " of their probabilities, weights on a grid; at most 5 bundles) (default:"
              + " ${DEFAULT-VALUE}).")
  String combine;

  @Option(
      names = "--weight-step",
      defaultValue = "0.05",
      paramLabel = "X",
      description =
          "--ensemble --combine average: grid step of the member weights (default:"
              + " ${DEFAULT-VALUE}).")
  double weightStep;

  /** Whether --ensemble names bundles. */
  boolean requested() {
    return ensemble != null && !ensemble.isEmpty();
  }

  /** Trains the ensemble into the command's --out; its summary and JSON. */
  ReportingCommand.Report train(TrainCommand c) throws IOException {
    if (ensemble.size() < 2) {
      throw new UserError("--ensemble needs at least two bundles, got " + ensemble);
    }
    for (Path b : ensemble) {
      try {
        Bundles.readManifest(b);
      } catch (io.reelsense.model.bundle.BundleException e) {
        throw new UserError("--ensemble: " + e.getMessage(), e);
      }
    }
    if (c.valLimit < 0 || c.testLimit < 0) {
      throw new UserError("--val-limit and --test-limit must be 0 (all) or more");
    }
    EnsembleTrainer.Combination combination;
    try {
      combination = EnsembleTrainer.Combination.parse(combine);
    } catch (IllegalArgumentException e) {
      throw new UserError("--combine: " + e.getMessage());
    }
    try {
      // before the corpus is read: the trainer checks the same
      EnsembleTrainer.checkMembers(combination, ensemble.size());
    } catch (IllegalArgumentException e) {
      throw new UserError("--combine " + e.getMessage());
    }
    Device device = c.engineDevice();
    Path cacheDir = c.cacheDir();
    EnsembleTrainer.Options options;
    try {
      options =
          new EnsembleTrainer.Options(
              c.seed, c.valLimit, c.testLimit, combination, weightStep, device, cacheDir);
    } catch (IllegalArgumentException e) {
      throw new UserError("--weight-step: " + e.getMessage());
    }
    Progress progress = c.progress();
    TrainingData read = TrainingData.read(c.resolveData(), c.err());
    ImdbCorpus corpus = read.corpus();
    Map<String, String> checksums = read.checksums();
    List<String> names = EnsembleTrainer.names(ensemble);
    EnsembleTrainer.Trained trained =
        EnsembleTrainer.trainBundle(c.out, corpus, ensemble, options, checksums, progress);
    EnsembleTrainer.Result result = trained.result();
    Map<String, Object> json = trained.bundle().toJson();
    boolean stacking = result.stack() != null;
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "ensemble of %s, %s fitted on %s validation reviews, scored on %s test reviews%n",
            names,
            stacking
                ? "stacking heads (C sentiment "
                    + json.get("stacking_sentiment_C")
                    + (json.containsKey("stacking_rating_C")
                        ? ", rating " + json.get("stacking_rating_C")
                        : "")
                    + "; validation figures out-of-fold)"
                : "weights",
            json.get("n_val"),
            json.get("n_test")));
    for (Bundles.MemberSource m : result.members()) {
      EnsembleTrainer.Alone alone = result.alone().get(m.name());
      String weights =
          stacking
              ? ""
              : String.format(
                  Locale.ROOT,
                  "sentiment weight %.2f  rating weight %.2f  ",
                  m.sentimentWeight(),
                  m.ratingWeight());
      sb.append(
          String.format(
              Locale.ROOT,
              "  %-20s %salone: validation accuracy %.4f  test accuracy %.4f%n",
              m.name(),
              weights,
              Scores.round(alone.validation().accuracy()),
              Scores.round(alone.test().accuracy())));
    }
    sb.append(TrainCommand.resultLines(trained.bundle()));
    return ReportingCommand.Report.of(sb.toString(), json);
  }
}
