package io.reelsense.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * The original study's train/validation protocol: shuffle the official train split, then hold out a
 * share of each label class for validation (stratified by label).
 *
 * <p>Exactly: copy the reviews, {@link Collections#shuffle(List, Random) shuffle} the copy with
 * {@code new java.util.Random(seed)}; for each label {@code c} with {@code n_c} reviews, the first
 * {@code round(n_c * validationShare)} reviews of label {@code c} in shuffled order go to
 * validation, the rest to train. Both lists keep the shuffled order. The result depends only on the
 * input order, the share and the seed. With the defaults (20 %, seed 42) on the full IMDb train
 * split: 20,000 train and 5,000 validation reviews, 2,500 of them positive.
 *
 * @param train the reviews to train on
 * @param validation the held-out reviews
 */
public record StratifiedSplit(List<Review> train, List<Review> validation) {

  /** The original study's random seed. */
  public static final long SEED = 42L;

  /** The original study's validation share. */
  public static final double VALIDATION_SHARE = 0.2;

  public StratifiedSplit {
    train = List.copyOf(train);
    validation = List.copyOf(validation);
  }

  /** The original study's split: 20 % validation, seed 42. */
  public static StratifiedSplit of(List<Review> reviews) {
    return of(reviews, VALIDATION_SHARE, SEED);
  }

  /**
   * Splits labeled reviews.
   *
   * @throws IllegalArgumentException when a review has no label or the share is not in [0, 1]
   */
  public static StratifiedSplit of(List<Review> reviews, double validationShare, long seed) {
    if (!(validationShare >= 0.0 && validationShare <= 1.0)) {
      throw new IllegalArgumentException(
          "validation share must be in [0, 1], got " + validationShare);
    }
    List<Review> shuffled = new ArrayList<>(reviews);
    Collections.shuffle(shuffled, new Random(seed));
    Map<Integer, List<Review>> byLabel = new TreeMap<>();
    for (Review r : shuffled) {
      if (r.label() == null) {
        throw new IllegalArgumentException("cannot stratify: review " + r.id() + " has no label");
      }
      byLabel.computeIfAbsent(r.label(), k -> new ArrayList<>()).add(r);
    }
    Set<Review> held = Collections.newSetFromMap(new IdentityHashMap<>());
    for (List<Review> cls : byLabel.values()) {
      int take = (int) Math.round(cls.size() * validationShare);
      held.addAll(cls.subList(0, take));
    }
    List<Review> train = new ArrayList<>(shuffled.size() - held.size());
    List<Review> validation = new ArrayList<>(held.size());
    for (Review r : shuffled) {
      (held.contains(r) ? validation : train).add(r);
    }
    return new StratifiedSplit(train, validation);
  }

  /** Number of validation reviews with the given label. */
  public long validationCount(int label) {
    return validation.stream().filter(r -> r.label() != null && r.label() == label).count();
  }

  /** Ids of the validation reviews (for checks and reports). */
  public Set<String> validationIds() {
    Set<String> ids = new HashSet<>();
    validation.forEach(r -> ids.add(r.id()));
    return ids;
  }
}
