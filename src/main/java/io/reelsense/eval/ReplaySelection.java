package io.reelsense.eval;

import io.reelsense.data.ImdbReader;
import io.reelsense.data.Review;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Which reviews a replay sends: one IMDb split, shuffled with a fixed seed (the files list all
 * negatives before all positives; a shuffled order makes {@code --limit} a fair sample and the
 * stream see a realistic mix), optionally the first {@code limit} of them.
 */
public final class ReplaySelection {

  /** Seed of the replay order. */
  public static final long SEED = 42L;

  private ReplaySelection() {}

  /**
   * The reviews of {@code split} ({@code train} or {@code test}) of the IMDb data at {@code imdb}
   * (a data directory, an {@code aclImdb_v1.tar.gz} or an {@code aclImdb/} folder), in replay
   * order; {@code limit} 0 or less means all.
   */
  public static List<Review> of(Path imdb, String split, int limit) {
    return order(ImdbReader.readSplit(imdb, split), limit);
  }

  /** {@code reviews} shuffled with {@link #SEED}, the first {@code limit} (0 or less: all). */
  public static List<Review> order(List<Review> reviews, int limit) {
    List<Review> out = new ArrayList<>(reviews);
    Collections.shuffle(out, new Random(SEED));
    return limit > 0 && limit < out.size() ? List.copyOf(out.subList(0, limit)) : out;
  }
}
