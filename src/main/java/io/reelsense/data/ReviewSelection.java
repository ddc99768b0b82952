package io.reelsense.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Which reviews to score: a user file (JSONL, CSV, TSV, or {@code text<TAB>label} .txt), or an IMDb
 * split ({@code train}, {@code test}, or {@value #VALIDATION}, the trainer's validation reviews),
 * optionally cut to the first {@code limit} reviews.
 *
 * <p>Train and test come sorted by label, so a limit on them draws reviews at random (seed {@value
 * StratifiedSplit#SEED}) instead of taking the first ones, which would all be of one class.
 *
 * @param input the user file, or {@code null} for a split
 * @param split the split's name, or {@code null} for a file
 * @param limit how many reviews at most, or {@code null} for all
 * @param data the data directory (or IMDb archive) a split is read from; {@code null}: the usual
 *     places ({@link DataLocation#resolve})
 */
public record ReviewSelection(Path input, String split, Integer limit, Path data) {

  /** The split naming the trainer's validation reviews: stratified 20 % of train. */
  public static final String VALIDATION = "val";

  /** The selected reviews, in order. */
  public List<Review> reviews() {
    List<Review> all = input != null ? UserReviewReader.read(input) : splitReviews();
    if (limit == null || limit >= all.size()) {
      return all;
    }
    if (sampled()) {
      all = new ArrayList<>(all);
      Collections.shuffle(all, new Random(StratifiedSplit.SEED));
    }
    return all.subList(0, limit);
  }

  private List<Review> splitReviews() {
    Path where = data != null && Files.isRegularFile(data) ? data : DataLocation.resolve(data);
    if (VALIDATION.equals(split)) {
      return StratifiedSplit.of(ImdbReader.readSplit(where, "train")).validation();
    }
    return ImdbReader.readSplit(where, split);
  }

  /** Whether the limit draws at random. */
  private boolean sampled() {
    return split != null && !VALIDATION.equals(split);
  }

  /** Where the reviews come from, for messages: the file, or e.g. "IMDb test". */
  public String source() {
    String what = input != null ? input.toString() : "IMDb " + split;
    if (limit == null) {
      return what;
    }
    return what
        + (sampled()
            ? " (" + limit + " drawn with seed " + StratifiedSplit.SEED + ")"
            : " (first " + limit + ")");
  }
}
