package io.reelsense.eval;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Summary of a set of latencies in milliseconds. Percentiles use the nearest-rank method: the p-th
 * percentile of n sorted values is the value at rank {@code ceil(p / 100 * n)} (1-based), so it is
 * always one of the measured values.
 *
 * @param count number of values
 * @param mean arithmetic mean (0 when empty)
 * @param min smallest value (0 when empty)
 * @param p50 median
 * @param p95 95th percentile
 * @param p99 99th percentile
 * @param max largest value (0 when empty)
 */
public record LatencyStats(
    int count, double mean, double min, double p50, double p95, double p99, double max) {

  /** The statistics of {@code valuesMs} (not modified). */
  public static LatencyStats of(double[] valuesMs) {
    if (valuesMs.length == 0) {
      return new LatencyStats(0, 0, 0, 0, 0, 0, 0);
    }
    double[] sorted = valuesMs.clone();
    Arrays.sort(sorted);
    double sum = 0;
    for (double v : sorted) {
      sum += v;
    }
    return new LatencyStats(
        sorted.length,
        sum / sorted.length,
        sorted[0],
        percentile(sorted, 50),
        percentile(sorted, 95),
        percentile(sorted, 99),
        sorted[sorted.length - 1]);
  }

  /**
   * The nearest-rank {@code p}-th percentile of ascending {@code sorted} values.
   *
   * @throws IllegalArgumentException when {@code sorted} is empty or {@code p} is outside (0, 100]
   */
  public static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      throw new IllegalArgumentException("no values to take a percentile of");
    }
    if (!(p > 0 && p <= 100)) {
      throw new IllegalArgumentException("percentile must be in (0, 100], got " + p);
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(1, Math.min(rank, sorted.length)) - 1];
  }

  /** The statistics as JSON-ready fields, rounded to 0.1 ms. */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", count);
    m.put("mean", round1(mean));
    m.put("min", round1(min));
    m.put("p50", round1(p50));
    m.put("p95", round1(p95));
    m.put("p99", round1(p99));
    m.put("max", round1(max));
    return m;
  }

  static double round1(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
