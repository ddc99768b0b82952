package io.reelsense.cli;

import io.reelsense.data.Review;
import io.reelsense.model.ReviewPrediction;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code reelsense classify}: predictions with probabilities for every review of a file. */
@Command(
    name = "classify",
    mixinStandardHelpOptions = true,
    description = {
      "Classify reviews with a model bundle and write one JSON object a review (JSONL): id, label"
          + " (positive/negative), label_id, positive_probability and, with a rating head, rating"
          + " and rating_probability.",
      "Input: .jsonl, .csv, .tsv (a text column), .txt (one review a line, optional <TAB>label),"
          + " or --split test for the IMDb test split.",
      "Example: reelsense classify --model models/tfidf-lr --input reviews.jsonl --output out.jsonl"
    })
public final class ClassifyCommand extends ReportingCommand {

  @Mixin BundleInput bundle;

  @Option(
      names = "--output",
      paramLabel = "FILE",
      description = "Write the predictions here (default: standard output).")
  Path output;

  @Override
  protected Report execute() throws IOException {
    List<Review> reviews = bundle.reviews();
    BundleInput.Predictions run = bundle.classify(reviews, err());
    List<ReviewPrediction> predictions = run.list();
    String modelId = run.modelId();
    if (output != null) {
      Path parent = output.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      try (BufferedWriter w = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
        write(w, reviews, predictions);
      }
    } else {
      PrintWriter out = out();
      write(out, reviews, predictions);
      out.flush();
    }
    long positive = predictions.stream().filter(p -> p.label() == 1).count();
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("n", reviews.size());
    json.put("positive", positive);
    json.put("model", modelId);
    json.put("output", output == null ? "-" : output.toString());
    String summary =
        "classified " + reviews.size() + " reviews (" + positive + " positive) with " + modelId;
    if (output == null) {
      err().println(summary);
      err().flush();
      return Report.of("", json);
    }
    return Report.of(summary + " -> " + output, json);
  }

  private static void write(Writer w, List<Review> reviews, List<ReviewPrediction> predictions)
      throws IOException {
    for (int i = 0; i < reviews.size(); i++) {
      w.write(Json.line(predictions.get(i).row(reviews.get(i).id())));
      w.write('\n');
    }
  }
}
