package io.reelsense.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScoreFusionTest {

  // film 0's scores against films 0..3 under two models on different scales
  private final ScoreFusion.Scores dense = q -> new float[] {1f, 0.90f, 0.80f, 0.85f};
  private final ScoreFusion.Scores sparse = q -> new float[] {1f, 0.00f, 0.30f, 0.10f};

  @Test
  void eachModelAloneRanksByItsOwnScores() {
    assertThat(ScoreFusion.fused(List.of(dense), new double[] {1}).of(0, 3))
        .containsExactly(1, 3, 2);
    assertThat(ScoreFusion.fused(List.of(sparse), new double[] {1}).of(0, 3))
        .containsExactly(2, 3, 1);
  }

  @Test
  void standardizedScoresLetTheSmallScaleModelCountAsMuch() {
    // z-scores without film 0: dense 1.22, -1.22, 0; sparse -1.07, 1.34, -0.27
    assertThat(ScoreFusion.fused(List.of(dense, sparse), new double[] {1, 1}).of(0, 3))
        .containsExactly(1, 2, 3);
    assertThat(ScoreFusion.fused(List.of(dense, sparse), new double[] {1, 0}).of(0, 3))
        .containsExactly(1, 3, 2);
    assertThat(ScoreFusion.fused(List.of(dense, sparse), new double[] {1, 3}).of(0, 3))
        .containsExactly(2, 3, 1);
  }

  @Test
  void topKLeavesOutTheQueryAndBreaksTiesByPosition() {
    assertThat(ScoreFusion.topK(new double[] {5, 1, 3, 3}, 2, 0)).containsExactly(2, 3);
    assertThat(ScoreFusion.topK(new double[] {5}, 3, 0)).isEmpty();
    assertThatThrownBy(() -> ScoreFusion.fused(List.of(dense), new double[] {1, 1}))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
