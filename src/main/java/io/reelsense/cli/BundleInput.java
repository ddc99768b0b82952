package io.reelsense.cli;

import io.reelsense.data.DataLocation;
import io.reelsense.data.ImdbCorpus;
import io.reelsense.data.ImdbReader;
import io.reelsense.data.Review;
import io.reelsense.data.UserReviewReader;
import io.reelsense.model.ReviewClassifier;
import io.reelsense.model.ReviewPrediction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * What {@code evaluate} and {@code classify} share: reading reviews and scoring them in batches.
 */
final class BundleInput {

  static final int BATCH = 256;

  private BundleInput() {}

  /**
   * Reviews from a user file (JSONL, CSV, TSV, or {@code text<TAB>label} .txt) or, when {@code
   * split} is given, from the IMDb data ({@code train} or {@code test}).
   */
  static List<Review> read(Path input, String split, Path data) {
    if ((input == null) == (split == null)) {
      throw new UserError("give either --input FILE or --split train|test");
    }
    if (input != null) {
      return UserReviewReader.read(input);
    }
    if (!ImdbCorpus.SPLITS.contains(split)) {
      throw new UserError(
          "--split: expected one of " + ImdbCorpus.SPLITS + ", got '" + split + "'");
    }
    Path where = data != null && Files.isRegularFile(data) ? data : DataLocation.resolve(data);
    return ImdbReader.readSplit(where, split);
  }

  /** Scores the reviews in batches (in parallel: classifiers are thread-safe), in order. */
  static List<ReviewPrediction> classify(ReviewClassifier classifier, List<Review> reviews) {
    int batches = (reviews.size() + BATCH - 1) / BATCH;
    List<List<ReviewPrediction>> parts =
        IntStream.range(0, batches)
            .parallel()
            .mapToObj(
                b -> {
                  List<String> texts = new ArrayList<>(BATCH);
                  for (int i = b * BATCH; i < Math.min(reviews.size(), (b + 1) * BATCH); i++) {
                    texts.add(reviews.get(i).text());
                  }
                  return classifier.classify(texts);
                })
            .toList();
    List<ReviewPrediction> all = new ArrayList<>(reviews.size());
    parts.forEach(all::addAll);
    return all;
  }
}
