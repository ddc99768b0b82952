package io.reelsense.cli;

import io.reelsense.data.ImdbCorpus;
import io.reelsense.data.Review;
import io.reelsense.data.ReviewSelection;
import io.reelsense.model.BatchScorer;
import io.reelsense.model.ReviewClassifier;
import io.reelsense.model.ReviewPrediction;
import io.reelsense.model.bundle.BundleException;
import io.reelsense.model.bundle.Bundles;
import io.reelsense.model.encoder.Precision;
import io.reelsense.train.Progress;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * What {@code evaluate} and {@code classify} share: the options naming a model bundle and the
 * reviews to run it over (a file or an IMDb split), reading the reviews, and scoring them in
 * batches.
 */
public final class BundleInput {

  static final int BATCH = 256;

  /** The {@code --split} naming the trainer's validation reviews. */
  static final String VALIDATION = ReviewSelection.VALIDATION;

  @Option(names = "--model", required = true, paramLabel = "BUNDLE", description = "Bundle dir.")
  Path model;

  @Option(names = "--input", paramLabel = "FILE", description = "The reviews.")
  Path input;

  @Option(
      names = "--split",
      paramLabel = "SPLIT",
      description =
          "Take the reviews of an IMDb split instead of a file: train, test, or val (the"
              + " trainer's validation reviews: stratified 20 %% of train, seed 42).")
  String split;

  @Option(
      names = "--limit",
      paramLabel = "N",
      description =
          "Score only N reviews (default: all): the first N of a file or of val, a random N"
              + " (seed 42) of train or test, whose reviews come sorted by label.")
  Integer limit;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "Data directory for --split (else $REELSENSE_DATA, ./data, ../shared/data).")
  Path data;

  @Option(
      names = "--precision",
      paramLabel = "P",
      defaultValue = "fp32",
      converter = PrecisionConverter.class,
      description =
          "Number format of an encoder bundle's encoder: fp32 or fp16 (GPU only)"
              + " (default: ${DEFAULT-VALUE}).")
  Precision precision;

  @Option(names = "--no-progress", description = "Do not draw a progress bar on stderr.")
  boolean noProgress;

  /** The bundle's predictions for the reviews, in order. */
  record Predictions(String modelId, List<ReviewPrediction> list) {}

  /**
   * Reviews from a user file (JSONL, CSV, TSV, or {@code text<TAB>label} .txt) or, when {@code
   * --split} is given, from the IMDb data ({@code train} or {@code test}); the bundle's manifest is
   * checked first, so that a wrong {@code --model} fails before the reading.
   */
  List<Review> reviews() {
    Bundles.readManifest(model);
    if ((input == null) == (split == null)) {
      throw new UserError("give either --input FILE or --split train|test|val");
    }
    if (limit != null && limit <= 0) {
      throw new UserError("--limit must be positive, got " + limit);
    }
    if (split != null && !VALIDATION.equals(split) && !ImdbCorpus.SPLITS.contains(split)) {
      throw new UserError(
          "--split: expected one of train, test, " + VALIDATION + ", got '" + split + "'");
    }
    return selection().reviews();
  }

  private ReviewSelection selection() {
    return new ReviewSelection(input, split, limit, data);
  }

  /** Where the reviews come from, for messages: the file, or e.g. "IMDb test". */
  String source() {
    return selection().source();
  }

  /**
   * Loads the bundle and scores the reviews, with a progress bar on {@code err} unless asked not
   * to.
   */
  Predictions classify(List<Review> reviews, PrintWriter err) {
    Progress progress = noProgress ? Progress.NONE : Progress.bars(err);
    try (ReviewClassifier classifier = load()) {
      return new Predictions(classifier.modelId(), classify(classifier, reviews, progress));
    }
  }

  /**
   * The bundle as a classifier, on the default device, its encoder (if any) in {@code --precision};
   * a precision the device cannot run is a user error.
   */
  ReviewClassifier load() {
    try {
      return Bundles.load(model, List.of(), "auto", precision);
    } catch (BundleException e) {
      throw new UserError(e.getMessage(), e);
    }
  }

  /**
   * Scores the reviews in batches of {@link #BATCH}, one after the other, stepping the bar after
   * each batch; predictions come back in input order. The reviews go in order of length, so that an
   * encoder bundle, which pads each forward pass to its longest review, pads little (24.8 instead
   * of 22.8 reviews/s for the 5,000 validation reviews through a 256-token MiniLM-L6). (Scoring
   * batches in parallel, as this did before, gained nothing: 39-42 s for 512 reviews through an
   * encoder bundle, which runs one forward pass at a time on PyTorch's threads, and 4.1-4.9 s for
   * the 25,000 test reviews through TF-IDF either way.)
   */
  private static List<ReviewPrediction> classify(
      ReviewClassifier classifier, List<Review> reviews, Progress progress) {
    try (Progress.Bar bar = progress.start("score", reviews.size())) {
      return BatchScorer.classify(
          classifier,
          reviews.stream().map(Review::text).toList(),
          BATCH,
          BatchScorer.Order.BY_LENGTH,
          bar::step);
    }
  }
}
