package io.reelsense.cli;

import ai.djl.Device;
import io.reelsense.data.ImdbCorpus;
import io.reelsense.data.OutOfDomainSets;
import io.reelsense.metrics.Scores;
import io.reelsense.model.bundle.Bundles;
import io.reelsense.model.encoder.ModelCatalog;
import io.reelsense.train.EnsembleTrainer;
import io.reelsense.train.Progress;
import io.reelsense.train.TrainingData;
import io.reelsense.train.TuningMix;
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
      converter = OptionTypes.Combine.class,
      description =
          "--ensemble: 'stacking' (logistic regression over the members' log-odds and log rating"
              + " probabilities, C cross-validated on validation) or 'average' (weighted average"
              + " of their probabilities, weights on a grid; at most 5 bundles) (default:"
              + " ${DEFAULT-VALUE}).")
  EnsembleTrainer.Combination combine;

  @Option(
      names = "--weight-step",
      defaultValue = "0.05",
      paramLabel = "X",
      description =
          "--ensemble --combine average: grid step of the member weights (default:"
              + " ${DEFAULT-VALUE}).")
  double weightStep;

  @Option(
      names = "--stack-coverage",
      description =
          "--ensemble --combine stacking: the heads also read, for each TF-IDF member, the share of"
              + " a text's words in its vocabulary and the text's length, each times its"
              + " log-odds, so they can trust TF-IDF only on text it knows (default: off).")
  boolean stackCoverage;

  @Option(
      names = "--tuning-mix",
      defaultValue = "imdb",
      paramLabel = "MIX",
      description =
          "--ensemble: what the combination is fitted on: 'imdb' (the validation reviews) or"
              + " 'out-of-domain' (those and the out-of-domain set marked for tuning, Yelp"
              + " restaurant sentences, fetched once with npm into the cache; the reported sets"
              + " are never used) (default: ${DEFAULT-VALUE}).")
  String tuningMix;

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
    EnsembleTrainer.Combination combination = combine;
    try {
      // before the corpus is read: the trainer checks the same
      EnsembleTrainer.checkMembers(combination, ensemble.size());
    } catch (IllegalArgumentException e) {
      throw new UserError("--combine " + e.getMessage());
    }
    TuningMix mix;
    try {
      mix = TuningMix.parse(tuningMix);
    } catch (IllegalArgumentException e) {
      throw new UserError("--tuning-mix: " + e.getMessage());
    }
    if (stackCoverage && combination != EnsembleTrainer.Combination.STACKING) {
      throw new UserError("--stack-coverage needs --combine stacking");
    }
    if (!(weightStep > 0 && weightStep <= 1)) {
      throw new UserError("--weight-step: weight step must be in (0, 1], got " + weightStep);
    }
    Device device = c.engineDevice();
    Path cacheDir = c.cacheDir();
    List<OutOfDomainSets.LabeledSet> outOfDomain =
        mix == TuningMix.OUT_OF_DOMAIN
            ? OutOfDomainSets.read(
                OutOfDomainSets.locateOrFetch(
                    List.of(),
                    ModelCatalog.cacheDir().resolve("out-of-domain"),
                    line -> {
                      c.err().println(line);
                      c.err().flush();
                    }))
            : List.of();
    EnsembleTrainer.Options options =
        new EnsembleTrainer.Options(
            c.seed,
            c.valLimit,
            c.testLimit,
            combination,
            weightStep,
            device,
            cacheDir,
            stackCoverage,
            mix,
            outOfDomain);
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
    if (json.containsKey("tuning_accuracy")) {
      sb.append(
          String.format(
              Locale.ROOT,
              "  fitted on %s out-of-domain tuning texts too: their accuracy %s%s%n",
              json.get("n_tuning"),
              json.get("tuning_accuracy"),
              stacking ? " (out-of-fold)" : ""));
    }
    sb.append(TrainCommand.resultLines(trained.bundle()));
    return ReportingCommand.Report.of(sb.toString(), json);
  }
}
