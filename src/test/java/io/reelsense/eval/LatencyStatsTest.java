package io.reelsense.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LatencyStatsTest {

  @Test
  void nearestRankPercentilesOfOneToHundred() {
    double[] v = new double[100];
    for (int i = 0; i < 100; i++) {
      v[i] = 100 - i; // unsorted on purpose: 100 .. 1
    }
    LatencyStats s = LatencyStats.of(v);
    assertThat(s.count()).isEqualTo(100);
    assertThat(s.min()).isEqualTo(1);
    assertThat(s.max()).isEqualTo(100);
    assertThat(s.p50()).isEqualTo(50);
    assertThat(s.p95()).isEqualTo(95);
    assertThat(s.p99()).isEqualTo(99);
    assertThat(s.mean()).isEqualTo(50.5);
    assertThat(v[0]).as("input left unsorted").isEqualTo(100);
  }

  @Test
  void smallSamplesTakeMeasuredValues() {
    LatencyStats s = LatencyStats.of(new double[] {30, 10, 20});
    assertThat(s.p50()).isEqualTo(20);
    assertThat(s.p95()).isEqualTo(30);
    assertThat(s.p99()).isEqualTo(30);
    assertThat(LatencyStats.of(new double[] {7}).p50()).isEqualTo(7);
  }

  @Test
  void emptyIsAllZeroAndPercentileOfNothingFails() {
    LatencyStats s = LatencyStats.of(new double[0]);
    assertThat(s.count()).isZero();
    assertThat(s.p99()).isZero();
    assertThatThrownBy(() -> LatencyStats.percentile(new double[0], 50))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LatencyStats.percentile(new double[] {1}, 0))
        .hasMessageContaining("(0, 100]");
  }
}
