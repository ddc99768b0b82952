package io.reelsense.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The labeled IMDb reviews, per official split, each in the order (label, id): negatives first,
 * then positives, each by ascending numeric id.
 *
 * @param train the official train split (25,000 reviews in the full data); empty when not read
 * @param test the official test split (25,000 reviews in the full data); empty when not read
 */
public record ImdbCorpus(List<Review> train, List<Review> test) {

  /** The split names, in reading order. */
  public static final List<String> SPLITS = List.of("train", "test");

  public ImdbCorpus {
    train = List.copyOf(train);
    test = List.copyOf(test);
  }

  /** The reviews of one split by name ({@code train} or {@code test}). */
  public List<Review> split(String name) {
    return switch (Objects.requireNonNull(name)) {
      case "train" -> train;
      case "test" -> test;
      default ->
          throw new IllegalArgumentException(
              "unknown split '" + name + "': expected one of " + SPLITS);
    };
  }

  /** All reviews: train then test. */
  public List<Review> all() {
    List<Review> all = new ArrayList<>(train.size() + test.size());
    all.addAll(train);
    all.addAll(test);
    return all;
  }

  /** Number of reviews in both splits. */
  public int size() {
    return train.size() + test.size();
  }
}
