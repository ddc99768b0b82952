package io.reelsense.train;

import io.reelsense.model.ReviewScores;
import io.reelsense.model.bundle.Bundles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * An ensemble member's class probabilities on a list of texts, kept in an {@link EmbeddingCache}
 * file so that a second ensemble over the same bundle (other members, another weight step) scores
 * nothing again: scoring the 30,000 validation and test reviews with a fine-tuned encoder at 512
 * tokens takes about half an hour on two cores. Each review is one vector: the positive
 * probability, then (with a rating head) the probability of each of the 8 star classes.
 *
 * <p>The key is the sha256 of the bundle's manifest (which checksums every file of the bundle and
 * names its cleaning and truncation, and dates its creation), the split and the texts' checksum.
 */
final class MemberScores {

  private MemberScores() {}

  /** The cache of {@code bundle}'s scores on {@code texts} (all of the split, in order). */
  static EmbeddingCache cache(Path cacheDir, Path bundle, String split, List<String> texts)
      throws IOException {
    String manifest = Files.readString(bundle.resolve(Bundles.MANIFEST));
    String key =
        String.join(
            "|",
            "member-scores-1",
            "manifest=" + EmbeddingCache.sha256(manifest),
            "split=" + split,
            "texts=" + EmbeddingCache.checksum(texts));
    return new EmbeddingCache(cacheDir, key);
  }

  /** Values per review: 1, or 9 with a rating head. */
  static int dimension(boolean rating) {
    return rating ? 1 + Evaluation.STAR_CLASSES.length : 1;
  }

  /** One review's scores as a vector of {@link #dimension} values. */
  static float[] pack(ReviewScores s, boolean rating) {
    float[] v = new float[dimension(rating)];
    v[0] = (float) s.positive();
    if (rating) {
      if (!s.hasRating()) {
        throw new IllegalArgumentException("the member gave no rating probabilities");
      }
      for (int k = 0; k < s.rating().length; k++) {
        v[1 + k] = (float) s.rating()[k];
      }
    }
    return v;
  }

  /** The scores {@link #pack} packed. */
  static ReviewScores unpack(float[] v) {
    if (v.length == 1) {
      return new ReviewScores(v[0], null, null);
    }
    double[] rating = new double[v.length - 1];
    for (int k = 0; k < rating.length; k++) {
      rating[k] = v[1 + k];
    }
    return new ReviewScores(v[0], Evaluation.STAR_CLASSES.clone(), rating);
  }
}
