package io.reelsense.train;

import io.reelsense.data.Review;
import io.reelsense.model.baseline.BaselineModel;
import io.reelsense.model.baseline.SparseVector;
import io.reelsense.model.baseline.TfidfVectorizer;
import io.reelsense.model.bundle.Bundles;
import io.reelsense.text.CleaningProfile;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A TF-IDF bundle trained in a blink on {@link TinyReviews}, for tests and benchmarks. */
public final class TinyBundles {

  private TinyBundles() {}

  /** 200 reviews, unigrams, light cleaning, written into {@code dir}. */
  public static Path tfidf(Path dir) throws Exception {
    return tfidf(dir, 200, 1, CleaningProfile.LIGHT);
  }

  /**
   * A {@code tfidf-lr} bundle fitted on {@code reviews} made-up reviews over 1 to {@code maxNgram}
   * word n-grams, written into {@code dir}.
   */
  public static Path tfidf(Path dir, int reviews, int maxNgram, CleaningProfile cleaning)
      throws Exception {
    List<Review> train = TinyReviews.make(reviews, "train", 1);
    TfidfVectorizer.Fitted f =
        TfidfVectorizer.fit(
            train.stream().map(Review::text).toList(),
            new TfidfVectorizer.Config(1, maxNgram, 1, 0, true, Set.of()));
    List<SparseVector> x = f.vectors();
    BaselineModel model =
        new BaselineModel(
            f.vectorizer(),
            LinearTrainers.logisticRegression(
                x,
                train.stream().mapToInt(Review::label).toArray(),
                f.vectorizer().dimension(),
                1.0,
                1),
            null);
    Bundles.writeBaseline(dir, model, "tfidf-lr", cleaning, Map.of(), Map.of(), Map.of());
    return dir;
  }
}
