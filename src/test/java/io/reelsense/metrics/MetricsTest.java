package io.reelsense.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MetricsTest {

  // TP = 3 (0, 2, 6), FN = 1 (1), FP = 2 (4, 5), TN = 2 (3, 7)
  private static final int[] TRUTH = {1, 1, 1, 0, 0, 0, 1, 0};
  private static final int[] PRED = {1, 0, 1, 0, 1, 1, 1, 0};

  @Test
  void binaryScoresMatchHandComputedValues() {
    Metrics.BinaryScores s = Metrics.binary(TRUTH, PRED);
    assertThat(s.truePositives()).isEqualTo(3);
    assertThat(s.falsePositives()).isEqualTo(2);
    assertThat(s.falseNegatives()).isEqualTo(1);
    assertThat(s.trueNegatives()).isEqualTo(2);
    assertThat(s.precision()).isCloseTo(0.6, within(1e-12));
    assertThat(s.recall()).isCloseTo(0.75, within(1e-12));
    assertThat(s.f1()).isCloseTo(2 * 0.6 * 0.75 / 1.35, within(1e-12));
    assertThat(s.accuracy()).isCloseTo(0.625, within(1e-12));
    assertThat(Metrics.accuracy(TRUTH, PRED)).isCloseTo(0.625, within(1e-12));
  }

  @Test
  void nothingPredictedPositiveGivesZeroPrecisionNotNaN() {
    Metrics.BinaryScores s = Metrics.binary(new int[] {1, 0}, new int[] {0, 0});
    assertThat(s.precision()).isZero();
    assertThat(s.recall()).isZero();
    assertThat(s.f1()).isZero();
    assertThat(s.accuracy()).isCloseTo(0.5, within(1e-12));
  }

  @Test
  void macroF1MatchesScikitLearn() {
    // sklearn.metrics.f1_score([0,0,1,1,2,2], [0,1,1,1,2,0], average="macro")
    // = 0.6555555555555556 (per class 0.5, 0.8 and 2/3)
    int[] truth = {0, 0, 1, 1, 2, 2};
    int[] pred = {0, 1, 1, 1, 2, 0};
    assertThat(Metrics.macroF1(new int[] {0, 1, 2}, truth, pred))
        .isCloseTo(0.6555555555555556, within(1e-12));
  }

  @Test
  void confusionMatrixCountsTruthByRowsAndPredictionsByColumns() {
    int[] labels = {1, 2, 3, 4, 7, 8, 9, 10};
    int[] truth = {1, 1, 10, 7, 4};
    int[] pred = {1, 2, 10, 8, 4};
    ConfusionMatrix cm = ConfusionMatrix.of(labels, truth, pred);
    assertThat(cm.count(0, 0)).isEqualTo(1);
    assertThat(cm.count(0, 1)).isEqualTo(1);
    assertThat(cm.count(7, 7)).isEqualTo(1);
    assertThat(cm.count(4, 5)).isEqualTo(1);
    assertThat(cm.count(3, 3)).isEqualTo(1);
    assertThat(cm.total()).isEqualTo(5);
    assertThat(cm.accuracy()).isCloseTo(0.6, within(1e-12));
    assertThat(cm.recall(0)).isCloseTo(0.5, within(1e-12));
    assertThat(cm.precision(0)).isCloseTo(1.0, within(1e-12));
    assertThat(cm.precision(2)).isZero();
    assertThat(cm.labels()).containsExactly(labels);
  }

  @Test
  void confusionMatrixRejectsUnknownLabels() {
    assertThatThrownBy(() -> ConfusionMatrix.of(new int[] {0, 1}, new int[] {2}, new int[] {0}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("label 2");
  }

  @Test
  void maeAndImpliedBinaryAccuracyInStars() {
    int[] truth = {1, 10, 7, 4};
    int[] pred = {2, 7, 7, 1};
    assertThat(Metrics.meanAbsoluteError(truth, pred)).isCloseTo(7.0 / 4, within(1e-12));
    assertThat(Metrics.impliedBinaryAccuracy(truth, pred)).isCloseTo(1.0, within(1e-12));
    assertThat(Metrics.impliedBinaryAccuracy(new int[] {4, 7, 8}, new int[] {7, 4, 9}))
        .isCloseTo(1.0 / 3, within(1e-12));
  }

  @Test
  void differentLengthsAreRejected() {
    assertThatThrownBy(() -> Metrics.accuracy(new int[] {1}, new int[] {1, 0}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 labels but predictions 2");
    assertThatThrownBy(() -> Metrics.binary(new int[] {2}, new int[] {1}))
        .hasMessageContaining("0 or 1");
  }
}
