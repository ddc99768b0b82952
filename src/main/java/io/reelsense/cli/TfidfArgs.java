package io.reelsense.cli;

import io.reelsense.text.CleaningProfile;
import io.reelsense.train.BaselineOptions;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The {@code train} options of the TF-IDF models ({@code tfidf-lr}, {@code tfidf-nb}): a picocli
 * mixin that checks its own ranges.
 */
public final class TfidfArgs {

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
      names = "--fit-on",
      defaultValue = "split",
      paramLabel = "SET",
      description =
          "split: fit on the 80 %% of the 80/20 split; all: then refit on all 25,000 train reviews"
              + " (default: ${DEFAULT-VALUE}).")
  String fitOn;

  /**
   * The baseline's arguments: these options with the command's model, task, cleaning, seed and
   * threads; a value out of range is a one-line user error naming its option.
   */
  BaselineOptions options(
      BaselineOptions.Algorithm algorithm,
      BaselineOptions.Task task,
      CleaningProfile cleaning,
      long seed,
      int threads) {
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
    return new BaselineOptions(
        algorithm,
        task,
        cleaning,
        maxFeatures,
        lo,
        hi,
        minDf,
        sublinear,
        c,
        english,
        seed,
        all,
        threads);
  }
}
