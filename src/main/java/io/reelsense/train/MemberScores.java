package io.reelsense.train;

import io.reelsense.data.ImdbCorpus;
import io.reelsense.data.OutOfDomainSets;
import io.reelsense.data.Review;
import io.reelsense.data.StratifiedSplit;
import io.reelsense.model.ReviewScores;
import io.reelsense.model.bundle.Bundles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An ensemble member's class probabilities on a list of texts, kept in an {@link EmbeddingCache}
 * file so that a second ensemble over the same bundle (other members, another weight step) scores
 * nothing again: scoring the 30,000 validation and test reviews with a fine-tuned encoder at 512
 * tokens takes 30-40 minutes on two cores. Each review is one vector: the positive probability,
 * then (with a rating head) the probability of each of the 8 star classes.
 *
 * <p>A fine-tuning run stores the scores it measured ({@link #storeFineTuned}): an ensemble with
 * its bundle then costs seconds, not the half hour of scoring again.
 *
 * <p>The key is the sha256 of the bundle's manifest (which checksums every file of the bundle and
 * names its cleaning and truncation, and dates its creation), the split and the texts' checksum.
 */
public final class MemberScores {

  /** The split names of the keys. */
  static final String VALIDATION = "validation";

  static final String TEST = "test";

  /** The out-of-domain reviews an ensemble may also be fitted on. */
  static final String TUNING = "out-of-domain-tuning";

  private MemberScores() {}

  /**
   * The validation reviews an ensemble is fitted on: the original study's 20 % of the train split.
   */
  static List<Review> validation(ImdbCorpus corpus, long seed) {
    return StratifiedSplit.of(corpus.train(), StratifiedSplit.VALIDATION_SHARE, seed).validation();
  }

  /** The test reviews an ensemble is scored on: the test split shuffled with the seed. */
  static List<Review> test(ImdbCorpus corpus, long seed) {
    return FrozenEncoderTrainer.shuffledTest(corpus, seed);
  }

  /**
   * The reviews of the out-of-domain sets marked {@link OutOfDomainSets.Role#TUNING} when the
   * options mix them in, in the order of the sets; none otherwise. The reported sets are dropped
   * here, before anything scores them.
   */
  static List<Review> tuning(EnsembleTrainer.Options o) {
    if (o.tuningMix() == TuningMix.IMDB) {
      return List.of();
    }
    List<Review> out = new ArrayList<>();
    for (OutOfDomainSets.LabeledSet set : o.outOfDomain()) {
      if (set.info().role() == OutOfDomainSets.Role.TUNING) {
        out.addAll(set.reviews());
      }
    }
    return out;
  }

  /**
   * Keeps the scores a fine-tuning run measured on its validation and test reviews (prefixes of
   * {@link #validation} and {@link #test} with the run's seed) under the key of the bundle it
   * wrote, so that an ensemble with that bundle and seed scores nothing again.
   */
  public static void storeFineTuned(
      Path cacheDir, Path bundle, ImdbCorpus corpus, long seed, FineTuner.Result result)
      throws IOException {
    boolean rating = result.testScores().stream().allMatch(ReviewScores::hasRating);
    store(
        cacheDir, bundle, VALIDATION, validation(corpus, seed), result.validationScores(), rating);
    store(cacheDir, bundle, TEST, test(corpus, seed), result.testScores(), rating);
  }

  private static void store(
      Path cacheDir,
      Path bundle,
      String split,
      List<Review> all,
      List<ReviewScores> scores,
      boolean rating)
      throws IOException {
    if (scores.size() > all.size()) {
      throw new IllegalArgumentException(
          scores.size() + " " + split + " scores for " + all.size() + " reviews");
    }
    List<float[]> packed = scores.stream().map(s -> pack(s, rating)).toList();
    cache(cacheDir, bundle, split, all.stream().map(Review::text).toList())
        .write(packed, dimension(rating));
  }

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
