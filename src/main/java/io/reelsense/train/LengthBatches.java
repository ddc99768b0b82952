package io.reelsense.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Batches of similar length, in a seeded random order (Hugging Face's {@code group_by_length}):
 * shuffle the examples, cut the shuffled order into mega-batches of {@value #MEGA} batches, sort
 * each mega-batch by length (longest first) and cut it into batches, then shuffle the batches. Each
 * batch is padded only to its own longest example, so little compute goes to padding, while the
 * order still changes every epoch. The plan depends only on the lengths, the batch size, the seed
 * and the epoch.
 */
public final class LengthBatches {

  /** Batches per mega-batch. */
  public static final int MEGA = 50;

  private LengthBatches() {}

  /** The batches (indices into {@code lengths}) of one epoch. */
  public static List<int[]> plan(int[] lengths, int batchSize, long seed, int epoch) {
    Random random = new Random(seed * 1_000_003L + epoch);
    List<Integer> order = new ArrayList<>(lengths.length);
    for (int i = 0; i < lengths.length; i++) {
      order.add(i);
    }
    Collections.shuffle(order, random);
    List<int[]> batches = new ArrayList<>();
    int mega = MEGA * batchSize;
    for (int from = 0; from < order.size(); from += mega) {
      Integer[] chunk =
          order.subList(from, Math.min(order.size(), from + mega)).toArray(Integer[]::new);
      Arrays.sort(chunk, (a, b) -> Integer.compare(lengths[b], lengths[a]));
      for (int b = 0; b < chunk.length; b += batchSize) {
        int[] batch = new int[Math.min(batchSize, chunk.length - b)];
        for (int k = 0; k < batch.length; k++) {
          batch[k] = chunk[b + k];
        }
        batches.add(batch);
      }
    }
    Collections.shuffle(batches, random);
    return batches;
  }
}
