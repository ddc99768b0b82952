package io.reelsense.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reelsense.data.Review;
import io.reelsense.metrics.Metrics;
import io.reelsense.model.baseline.LinearModel;
import io.reelsense.model.baseline.SparseVector;
import io.reelsense.model.baseline.TfidfVectorizer;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LinearTrainersTest {

  private static final List<Review> TRAIN = TinyReviews.make(800, "train", 1);
  private static final List<Review> TEST = TinyReviews.make(400, "test", 2);
  private static final TfidfVectorizer.Fitted FITTED =
      TfidfVectorizer.fit(
          TRAIN.stream().map(Review::text).toList(),
          new TfidfVectorizer.Config(1, 1, 1, 0, false, Set.of()));
  private static final List<SparseVector> X_TEST =
      TEST.stream().map(r -> FITTED.vectorizer().transform(r.text())).toList();

  private static int[] labels(List<Review> reviews) {
    return reviews.stream().mapToInt(Review::label).toArray();
  }

  private static int[] stars(List<Review> reviews) {
    return reviews.stream().mapToInt(Review::rating).toArray();
  }

  private static int[] predict(LinearModel m) {
    return X_TEST.stream().mapToInt(m::predict).toArray();
  }

  @Test
  void logisticRegressionAndNaiveBayesLearnSentiment() {
    int dim = FITTED.vectorizer().dimension();
    LinearModel lr =
        LinearTrainers.logisticRegression(FITTED.vectors(), labels(TRAIN), dim, 1.0, 1);
    LinearModel nb = LinearTrainers.naiveBayes(FITTED.vectors(), labels(TRAIN), dim, 1.0);
    assertThat(Metrics.accuracy(labels(TEST), predict(lr))).isGreaterThan(0.8);
    assertThat(Metrics.accuracy(labels(TEST), predict(nb))).isGreaterThan(0.8);
  }

  @Test
  void oneVsRestRatingBeatsChanceAndTheMeanGuess() {
    int dim = FITTED.vectorizer().dimension();
    LinearModel lr = LinearTrainers.logisticRegression(FITTED.vectors(), stars(TRAIN), dim, 1.0, 2);
    assertThat(lr.classes()).containsExactly(1, 2, 3, 4, 7, 8, 9, 10);
    int[] p = predict(lr);
    // chance is 1/8; always guessing one class gives MAE >= 2.5 here
    assertThat(Metrics.accuracy(stars(TEST), p)).isGreaterThan(0.25);
    assertThat(Metrics.meanAbsoluteError(stars(TEST), p)).isLessThan(2.0);
    assertThat(Metrics.impliedBinaryAccuracy(stars(TEST), p)).isGreaterThan(0.8);
  }

  @Test
  void trainingIsDeterministic() {
    int dim = FITTED.vectorizer().dimension();
    LinearModel a = LinearTrainers.logisticRegression(FITTED.vectors(), stars(TRAIN), dim, 1, 2);
    LinearModel b = LinearTrainers.logisticRegression(FITTED.vectors(), stars(TRAIN), dim, 1, 1);
    for (SparseVector x : X_TEST) {
      assertThat(b.probabilities(x)).containsExactly(a.probabilities(x));
    }
  }

  @Test
  void oneClassIsRejected() {
    assertThatThrownBy(
            () ->
                LinearTrainers.naiveBayes(FITTED.vectors().subList(0, 2), new int[] {1, 1}, 3, 1.0))
        .hasMessageContaining("at least 2 classes");
  }
}
