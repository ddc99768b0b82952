package io.reelsense.eval.reliability;

import io.reelsense.data.Review;
import io.reelsense.model.baseline.BaselineModel;
import io.reelsense.model.baseline.SparseVector;
import io.reelsense.model.baseline.TfidfVectorizer;
import io.reelsense.model.bundle.Bundles;
import io.reelsense.text.CleaningProfile;
import io.reelsense.train.LinearTrainers;
import io.reelsense.train.TinyReviews;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A tiny TF-IDF bundle, trained in a blink on made-up reviews. */
final class TestBundles {

  private TestBundles() {}

  static Path tiny(Path dir) throws Exception {
    List<Review> train = TinyReviews.make(200, "train", 1);
    TfidfVectorizer.Fitted f =
        TfidfVectorizer.fit(
            train.stream().map(Review::text).toList(),
            new TfidfVectorizer.Config(1, 1, 1, 0, true, Set.of()));
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
    Bundles.writeBaseline(
        dir, model, "tfidf-lr", CleaningProfile.LIGHT, Map.of(), Map.of(), Map.of());
    return dir;
  }
}
