package io.reelsense.eval;

import io.reelsense.metrics.ConfusionMatrix;
import io.reelsense.metrics.Metrics;
import io.reelsense.model.ReviewClassifier;
import io.reelsense.model.ReviewPrediction;
import io.reelsense.model.bundle.Bundles;
import io.reelsense.stream.ReelsenseConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The scores of a replay, computed from its {@link ReplayLedger}: what was accounted for, how well
 * the stream classified (accuracy, F1, confusion matrix, rating accuracy and MAE), how fast
 * (throughput, produce→scored latency) and, given offline predictions of the same bundle, how many
 * streamed predictions differ from them.
 *
 * <p>Latency is measured per scored review in the replay's own clock: <em>end-to-end</em> is from
 * the send of the review to the moment the replay's read_committed consumer saw its score (so it
 * includes batching, inference and the transaction commit); <em>to scored</em> is from the send to
 * the topology's {@code scored_at}. Throughput is reviews accounted for per second between the
 * first send and the last output.
 *
 * @param n reviews in the replay
 * @param produced reviews sent
 * @param scored reviews with a score
 * @param dlq reviews dead-lettered
 * @param missingCount reviews with neither
 * @param missingIds the first missing ids, in sending order
 * @param duplicates outputs seen twice for one review
 * @param foreign outputs for ids the replay did not send
 * @param labeled scored reviews with a known label (the base of accuracy and F1)
 * @param confusion true vs predicted sentiment over the labeled scored reviews
 * @param rated scored reviews with a known and a predicted rating (the base of the rating scores)
 * @param ratingAccuracy share of exactly right stars, null when nothing is rated
 * @param ratingMae mean absolute error in stars, null when nothing is rated
 * @param elapsedSeconds from the first send to the last output
 * @param reviewsPerSecond reviews accounted for per second of {@code elapsedSeconds}
 * @param produceSeconds from the first to the last send
 * @param endToEnd send → score visible to a read_committed consumer
 * @param toScored send → {@code scored_at}
 * @param meanBatchSize mean micro-batch size over scored reviews
 * @param dlqByStage dead letters per stage
 * @param dlqByReason dead letters per reason
 * @param modelIds the models that scored
 * @param compared streamed predictions compared with offline ones, null without a bundle
 * @param mismatches how many of those differ, null without a bundle
 * @param mismatchIds the first ids that differ
 * @param maxProbabilityDiff the largest |streamed − offline| positive probability
 * @param timeline per second since the first send: reviews sent and accounted for
 * @param endToEndMs every end-to-end latency (for the histogram)
 */
public record ReplayResult(
    int n,
    int produced,
    int scored,
    int dlq,
    int missingCount,
    List<String> missingIds,
    int duplicates,
    int foreign,
    int labeled,
    ConfusionMatrix confusion,
    int rated,
    Double ratingAccuracy,
    Double ratingMae,
    double elapsedSeconds,
    double reviewsPerSecond,
    double produceSeconds,
    LatencyStats endToEnd,
    LatencyStats toScored,
    double meanBatchSize,
    Map<String, Integer> dlqByStage,
    Map<String, Integer> dlqByReason,
    List<String> modelIds,
    Integer compared,
    Integer mismatches,
    List<String> mismatchIds,
    Double maxProbabilityDiff,
    Timeline timeline,
    double[] endToEndMs) {

  /** How many missing or mismatching ids are listed. */
  public static final int LISTED_IDS = 20;

  /** Streamed and offline positive probabilities may differ by this much and still agree. */
  public static final double PROBABILITY_TOLERANCE = 1e-6;

  private static final int[] BINARY = {0, 1};

  /**
   * Reviews sent and accounted for per second.
   *
   * @param produced sent during second {@code i} since the first send
   * @param accounted accounted for during second {@code i} since the first send
   */
  public record Timeline(int[] produced, int[] accounted) {}

  /**
   * The result of a filled ledger; with {@code bundle}, every streamed prediction is compared with
   * the bundle's offline one, computed on the stream's device so that an encoder gives the same
   * numbers as in the topology.
   */
  public static ReplayResult of(ReplayLedger ledger, Path bundle, ReelsenseConfig config) {
    Map<String, ReviewPrediction> offline = null;
    if (bundle != null) {
      try (ReviewClassifier classifier =
          Bundles.load(bundle, List.of(), config.device(), config.precision())) {
        offline = OfflinePredictions.of(classifier, ledger.expected(), config.batchSize());
      }
    }
    return of(ledger, offline);
  }

  /**
   * Scores {@code ledger}; {@code offline} (by id; may be null) are the bundle's own predictions.
   */
  public static ReplayResult of(ReplayLedger ledger, Map<String, ReviewPrediction> offline) {
    Map<String, Long> sentAt = ledger.producedAt();
    long firstSent = sentAt.values().stream().mapToLong(Long::longValue).min().orElse(0);
    long lastSent = sentAt.values().stream().mapToLong(Long::longValue).max().orElse(firstSent);

    List<Integer> truth = new ArrayList<>();
    List<Integer> predicted = new ArrayList<>();
    List<Integer> trueStars = new ArrayList<>();
    List<Integer> predictedStars = new ArrayList<>();
    List<Double> e2e = new ArrayList<>();
    List<Double> toScored = new ArrayList<>();
    TreeSet<String> models = new TreeSet<>();
    long batchSum = 0;
    long lastOut = firstSent;
    int compared = 0;
    int mismatches = 0;
    double maxDiff = 0;
    List<String> mismatchIds = new ArrayList<>();
    for (ReplayLedger.Scored s : ledger.scored()) {
      ReplayLedger.Expected e = ledger.expected(s.id());
      if (e.label() != null) {
        truth.add(e.label());
        predicted.add(s.label());
      }
      if (e.rating() != null && s.rating() != 0) {
        trueStars.add(e.rating());
        predictedStars.add(s.rating());
      }
      Long sent = sentAt.get(s.id());
      if (sent != null) {
        e2e.add((double) (s.consumedAtMs() - sent));
        toScored.add((double) (s.scoredAtMs() - sent));
      }
      models.add(s.modelId());
      batchSum += s.batchSize();
      lastOut = Math.max(lastOut, s.consumedAtMs());
      if (offline != null) {
        ReviewPrediction p = offline.get(s.id());
        if (p != null) {
          compared++;
          double diff = Math.abs(p.positiveProbability() - s.positiveProbability());
          maxDiff = Math.max(maxDiff, diff);
          if (p.label() != s.label() || p.rating() != s.rating() || diff > PROBABILITY_TOLERANCE) {
            mismatches++;
            if (mismatchIds.size() < LISTED_IDS) {
              mismatchIds.add(s.id());
            }
          }
        }
      }
    }
    Map<String, Integer> byStage = new TreeMap<>();
    Map<String, Integer> byReason = new TreeMap<>();
    for (ReplayLedger.DeadLettered d : ledger.deadLettered()) {
      byStage.merge(d.stage(), 1, Integer::sum);
      byReason.merge(d.reason(), 1, Integer::sum);
      lastOut = Math.max(lastOut, d.consumedAtMs());
    }

    int[] t = ints(truth);
    int[] p = ints(predicted);
    int[] ts = ints(trueStars);
    int[] ps = ints(predictedStars);
    int scoredCount = ledger.scored().size();
    double elapsed = sentAt.isEmpty() ? 0 : Math.max(0, lastOut - firstSent) / 1000.0;
    int accounted = ledger.accounted();
    double[] e2eMs = doubles(e2e);
    return new ReplayResult(
        ledger.size(),
        ledger.producedCount(),
        scoredCount,
        ledger.deadLettered().size(),
        ledger.missingCount(),
        ledger.missing(LISTED_IDS),
        ledger.duplicates(),
        ledger.foreign(),
        t.length,
        ConfusionMatrix.of(BINARY, t, p),
        ts.length,
        ts.length == 0 ? null : Metrics.accuracy(ts, ps),
        ts.length == 0 ? null : Metrics.meanAbsoluteError(ts, ps),
        elapsed,
        elapsed > 0 ? accounted / elapsed : 0,
        sentAt.isEmpty() ? 0 : (lastSent - firstSent) / 1000.0,
        LatencyStats.of(e2eMs),
        LatencyStats.of(doubles(toScored)),
        scoredCount == 0 ? 0 : (double) batchSum / scoredCount,
        byStage,
        byReason,
        List.copyOf(models),
        offline == null ? null : compared,
        offline == null ? null : mismatches,
        List.copyOf(mismatchIds),
        offline == null ? null : maxDiff,
        timeline(ledger, firstSent),
        e2eMs);
  }

  private static Timeline timeline(ReplayLedger ledger, long start) {
    List<Long> sent = new ArrayList<>(ledger.producedAt().values());
    List<Long> out = new ArrayList<>();
    ledger.scored().forEach(s -> out.add(s.consumedAtMs()));
    ledger.deadLettered().forEach(d -> out.add(d.consumedAtMs()));
    long last = start;
    for (long v : sent) {
      last = Math.max(last, v);
    }
    for (long v : out) {
      last = Math.max(last, v);
    }
    int seconds = sent.isEmpty() ? 0 : (int) ((last - start) / 1000) + 1;
    int[] produced = new int[seconds];
    int[] accounted = new int[seconds];
    for (long v : sent) {
      produced[(int) ((v - start) / 1000)]++;
    }
    for (long v : out) {
      accounted[(int) (Math.max(0, v - start) / 1000)]++;
    }
    return new Timeline(produced, accounted);
  }

  /** Share of labeled scored reviews predicted right (0 when none). */
  public double accuracy() {
    return confusion.accuracy();
  }

  /** F1 of the positive class over labeled scored reviews. */
  public double f1() {
    return confusion.f1(1);
  }

  /** Mean of the F1 of both classes. */
  public double macroF1() {
    return confusion.macroF1();
  }

  /** Whether every review was accounted for. */
  public boolean complete() {
    return missingCount == 0;
  }

  /**
   * The result as JSON-ready fields: the headline ({@code n}, {@code scored}, {@code dlq}, {@code
   * accuracy}, {@code p99_ms}, {@code reviews_per_s}) first, then the rest.
   */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("n", n);
    m.put("scored", scored);
    m.put("dlq", dlq);
    m.put("accuracy", round4(accuracy()));
    m.put("p99_ms", LatencyStats.round1(endToEnd.p99()));
    m.put("reviews_per_s", Math.round(reviewsPerSecond * 10) / 10.0);
    m.put("produced", produced);
    m.put("missing", missingCount);
    m.put("missing_ids", missingIds);
    m.put("duplicates", duplicates);
    m.put("foreign", foreign);
    m.put("labeled", labeled);
    m.put("f1", round4(f1()));
    m.put("macro_f1", round4(macroF1()));
    Map<String, Object> cm = new LinkedHashMap<>();
    cm.put("labels", List.of("negative", "positive"));
    cm.put("rows", "true");
    cm.put("columns", "predicted");
    cm.put("counts", confusion.counts());
    m.put("confusion", cm);
    m.put("rated", rated);
    m.put("rating_accuracy", ratingAccuracy == null ? null : round4(ratingAccuracy));
    m.put("rating_mae", ratingMae == null ? null : round4(ratingMae));
    m.put("elapsed_s", round4(elapsedSeconds));
    m.put("produce_s", round4(produceSeconds));
    m.put("p50_ms", LatencyStats.round1(endToEnd.p50()));
    m.put("p95_ms", LatencyStats.round1(endToEnd.p95()));
    m.put("latency_ms", endToEnd.toJson());
    m.put("to_scored_ms", toScored.toJson());
    m.put("mean_batch_size", Math.round(meanBatchSize * 100) / 100.0);
    m.put("dlq_by_stage", dlqByStage);
    m.put("dlq_by_reason", dlqByReason);
    m.put("model_ids", modelIds);
    m.put("compared", compared);
    m.put("mismatches", mismatches);
    m.put("mismatch_ids", mismatchIds);
    m.put("max_probability_diff", maxProbabilityDiff);
    return m;
  }

  private static double round4(double v) {
    return Math.round(v * 10_000) / 10_000.0;
  }

  private static int[] ints(List<Integer> values) {
    return values.stream().mapToInt(Integer::intValue).toArray();
  }

  private static double[] doubles(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
