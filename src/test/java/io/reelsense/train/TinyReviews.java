package io.reelsense.train;

import io.reelsense.data.Review;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Hand-made reviews for fast tests: each holds a few words that lean to its stars among neutral
 * filler, with some HTML line breaks, so a bag-of-words model learns them but not perfectly.
 */
public final class TinyReviews {

  private static final String[] GOOD = {
    "great", "wonderful", "superb", "moving", "brilliant", "loved", "masterpiece", "beautiful"
  };
  private static final String[] BAD = {
    "awful", "boring", "terrible", "waste", "dull", "worst", "stupid", "mess"
  };
  private static final String[] FILLER = {
    "film",
    "movie",
    "plot",
    "actor",
    "scene",
    "story",
    "director",
    "music",
    "ending",
    "time",
    "character",
    "camera",
    "script",
    "cast",
    "watch",
    "really"
  };
  private static final int[] STARS = {1, 2, 3, 4, 7, 8, 9, 10};

  private TinyReviews() {}

  /** {@code n} reviews in the given split, labels balanced, ratings over 1-4 and 7-10. */
  public static List<Review> make(int n, String split, long seed) {
    Random random = new Random(seed);
    List<Review> reviews = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int stars = STARS[i % STARS.length];
      int label = stars >= 7 ? 1 : 0;
      // extremes (1, 10) get more telling words than the middle (4, 7)
      int strength = stars <= 4 ? 5 - stars : stars - 6;
      StringBuilder text = new StringBuilder("This ");
      for (int w = 0; w < 12; w++) {
        double roll = random.nextDouble();
        String word;
        if (roll < 0.08 * strength) {
          String[] pool = label == 1 ? GOOD : BAD;
          word = pool[random.nextInt(pool.length)];
        } else if (roll < 0.08 * strength + 0.04) {
          String[] pool = label == 1 ? BAD : GOOD;
          word = pool[random.nextInt(pool.length)];
        } else {
          word = FILLER[random.nextInt(FILLER.length)];
        }
        text.append(word).append(w % 5 == 4 ? ".<br /><br />" : " ");
      }
      reviews.add(new Review(split + "_" + i, split, label, stars, null, text.toString()));
    }
    return reviews;
  }
}
