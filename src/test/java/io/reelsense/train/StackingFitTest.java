package io.reelsense.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.reelsense.model.ReviewScores;
import io.reelsense.model.baseline.LinearHeads;
import io.reelsense.model.baseline.SparseVector;
import io.reelsense.model.baseline.TextCoverage;
import io.reelsense.model.ensemble.EnsembleClassifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Stacking heads over two synthetic members: a "TF-IDF" member that is sure and right on the texts
 * its vocabulary covers and guesses (just as surely) on the others, and an "encoder" that is right
 * on 80 % of all texts. Fitted on mostly covered texts, heads without the coverage features follow
 * the TF-IDF member everywhere; with them they learn to follow the encoder where the TF-IDF member
 * does not know the words.
 */
class StackingFitTest {

  /** One synthetic review: its label, the members' scores and the TF-IDF member's coverage. */
  private record Row(int label, List<ReviewScores> scores, TextCoverage coverage) {}

  private static List<Row> rows(int n, double coveredShare, Random random) {
    List<Row> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int label = random.nextInt(2);
      boolean covered = random.nextDouble() < coveredShare;
      int tfidfSays = covered ? label : random.nextInt(2);
      int encoderSays = random.nextDouble() < 0.8 ? label : 1 - label;
      double tfidf = tfidfSays == 1 ? 0.97 : 0.03;
      double encoder = encoderSays == 1 ? 0.8 : 0.2;
      int tokens = 5 + random.nextInt(20);
      int known = covered ? tokens : random.nextInt(2);
      out.add(
          new Row(
              label,
              List.of(new ReviewScores(tfidf, null, null), new ReviewScores(encoder, null, null)),
              new TextCoverage(tokens, tokens, known)));
    }
    return out;
  }

  private static float[] features(Row r, boolean coverage) {
    return coverage
        ? EnsembleClassifier.stackFeatures(r.scores(), Arrays.asList(r.coverage(), null), false)
        : EnsembleClassifier.stackFeatures(r.scores(), false);
  }

  /** Accuracy on {@code test} of heads fitted on {@code train}. */
  private static double accuracy(List<Row> train, List<Row> test, boolean coverage) {
    List<SparseVector> x = new ArrayList<>();
    for (Row r : train) {
      x.add(SparseVector.dense(features(r, coverage)));
    }
    int[] y = train.stream().mapToInt(Row::label).toArray();
    LinearHeads heads = StackingFit.fit(x, y, null, new HashMap<>()).heads();
    int right = 0;
    for (Row r : test) {
      right += heads.scores(features(r, coverage)).toPrediction().label() == r.label() ? 1 : 0;
    }
    return (double) right / test.size();
  }

  @Test
  void coverageFeaturesLetTheHeadsDistrustTfidfOnTextItDoesNotKnow() {
    Random random = new Random(7);
    List<Row> train = rows(2000, 0.8, random);
    List<Row> uncovered = rows(1000, 0, random);
    List<Row> covered = rows(1000, 1, random);
    double without = accuracy(train, uncovered, false);
    double with = accuracy(train, uncovered, true);
    // without coverage the heads follow the TF-IDF member's guesses (about 50 %); with it, the
    // encoder (about 80 %)
    assertThat(without).isLessThan(0.6);
    assertThat(with).isGreaterThan(0.72);
    // and they still follow the TF-IDF member where it knows the words
    assertThat(accuracy(train, covered, true)).isGreaterThan(0.95);
  }

  @Test
  void theFeaturesAppendTheLogOddsTimesCoverageAndTimesLength() {
    List<ReviewScores> row =
        List.of(new ReviewScores(0.5, null, null), new ReviewScores(0.75, null, null));
    float[] x =
        EnsembleClassifier.stackFeatures(
            row, Arrays.asList(null, new TextCoverage(3, 3, 2)), false);
    float z = (float) Math.log(3);
    assertThat(x).hasSize(2 + EnsembleClassifier.COVERAGE_WIDTH);
    assertThat(x[0]).isEqualTo(0f);
    assertThat(x[1]).isEqualTo(z);
    assertThat(x[2]).isEqualTo((float) (2.0 / 3 * z));
    assertThat(x[3]).isEqualTo((float) (Math.log(4) * z));
    // without coverage the features are the members' log-odds alone, as before
    assertThat(EnsembleClassifier.stackFeatures(row, false)).containsExactly(0f, z);
  }
}
