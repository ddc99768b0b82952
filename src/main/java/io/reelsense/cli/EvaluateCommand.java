package io.reelsense.cli;

import io.reelsense.data.Review;
import io.reelsense.metrics.Metrics;
import io.reelsense.model.ReviewPrediction;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code reelsense evaluate}: scores a labeled file with a model bundle. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Score labeled reviews with a model bundle: accuracy, F1 (positive class) and, when the"
          + " reviews have ratings and the bundle a rating head, rating accuracy and MAE in stars.",
      "Input: .jsonl, .csv, .tsv (a text and a label column) or .txt (text<TAB>label lines), or"
          + " --split test for the IMDb test split.",
      "Example: reelsense evaluate --model models/tfidf-lr --split test --json"
    })
public final class EvaluateCommand extends ReportingCommand {

  @Mixin BundleInput bundle;

  @Override
  protected Report execute() {
    List<Review> reviews = bundle.reviews();
    String source = bundle.source();
    if (reviews.isEmpty()) {
      throw new UserError(source + " holds no reviews");
    }
    long unlabeled = reviews.stream().filter(r -> r.label() == null).count();
    if (unlabeled > 0) {
      Review first = reviews.stream().filter(r -> r.label() == null).findFirst().orElseThrow();
      throw new UserError(
          source
              + ": "
              + unlabeled
              + " review(s) have no label (first: "
              + first.id()
              + "); evaluate needs a label on every review (use classify for unlabeled ones)");
    }
    BundleInput.Predictions run = bundle.classify(reviews, err());
    List<ReviewPrediction> predictions = run.list();
    String modelId = run.modelId();
    int[] truth = reviews.stream().mapToInt(Review::label).toArray();
    int[] predicted = predictions.stream().mapToInt(ReviewPrediction::label).toArray();
    Metrics.BinaryScores scores = Metrics.binary(truth, predicted);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("accuracy", scores.accuracy());
    json.put("f1", scores.f1());
    json.put("precision", scores.precision());
    json.put("recall", scores.recall());
    json.put("n", reviews.size());
    boolean rated =
        reviews.stream().allMatch(r -> r.rating() != null)
            && predictions.stream().allMatch(p -> p.rating() != 0);
    String ratingLine = "";
    if (rated) {
      int[] stars = reviews.stream().mapToInt(Review::rating).toArray();
      int[] predictedStars = predictions.stream().mapToInt(ReviewPrediction::rating).toArray();
      json.put("rating_accuracy", Metrics.accuracy(stars, predictedStars));
      json.put("mae", Metrics.meanAbsoluteError(stars, predictedStars));
      ratingLine =
          String.format(
              Locale.ROOT,
              "%nrating accuracy %.4f   MAE %.3f stars",
              json.get("rating_accuracy"),
              json.get("mae"));
    }
    json.put("model", modelId);
    json.put("input", source);
    String summary =
        String.format(
                Locale.ROOT,
                "%s on %s: %d reviews, accuracy %.4f, F1 %.4f (precision %.4f, recall %.4f)",
                modelId,
                source,
                reviews.size(),
                scores.accuracy(),
                scores.f1(),
                scores.precision(),
                scores.recall())
            + ratingLine;
    return Report.of(summary, json);
  }
}
