package io.reelsense.eval.reliability;

import io.reelsense.avro.DeadLetter;
import io.reelsense.eval.OutputReader;
import io.reelsense.stream.serve.StreamMetrics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Accounts for every input record of a scenario by what the topology made of it: a score (matched
 * by review id) or a dead letter (matched by the input partition and offset it names). An input
 * with no output is <em>lost</em>, one with more than one is <em>duplicated</em>; an output that
 * matches no input is <em>unexpected</em>. Inputs and outputs may arrive in any order (the
 * producer's acknowledgement can come after the score): unmatched outputs wait until their input is
 * registered. Thread-safe.
 */
public final class Ledger {

  /** What an input should become. */
  public enum Expect {
    SCORED,
    DEAD_LETTER,
    EITHER
  }

  /** One input record: where it landed, its review id when it has one, its category. */
  private static final class Input {
    final String reviewId;
    final String category;
    final Expect expect;
    final String reasonHint;
    final long ackedAtMs = System.currentTimeMillis();
    long firstOutputMs = Long.MAX_VALUE;
    int scores;
    int letters;
    String stage;
    String reason;

    Input(String reviewId, String category, Expect expect, String reasonHint) {
      this.reviewId = reviewId;
      this.category = category;
      this.expect = expect;
      this.reasonHint = reasonHint;
    }

    int outputs() {
      return scores + letters;
    }
  }

  private final String inputTopic;
  private final Map<String, Input> byPosition = new HashMap<>();
  private final Map<String, Input> byId = new HashMap<>();
  private final Map<String, List<Long>> pendingScores = new HashMap<>();
  private final Map<String, List<DeadLetter>> pendingLetters = new HashMap<>();
  private final List<Long> outputTimes = new ArrayList<>();
  private int accounted;
  private int unexpected;
  private int scores;
  private int letters;
  private long lastOutputNanos = System.nanoTime();

  /** A ledger of the inputs sent to {@code inputTopic}. */
  public Ledger(String inputTopic) {
    this.inputTopic = inputTopic;
  }

  private static String position(int partition, long offset) {
    return partition + "@" + offset;
  }

  /**
   * Registers an input acknowledged at {@code partition}/{@code offset}; {@code reviewId} is null
   * when the record carries none that can be decoded. {@code reasonHint}, for inputs expected in
   * the dead-letter topic, is a piece of the expected {@code stage: reason} (case-insensitive), or
   * null.
   */
  public synchronized void input(
      int partition,
      long offset,
      String reviewId,
      String category,
      Expect expect,
      String reasonHint) {
    Input in = new Input(reviewId, category, expect, reasonHint);
    String pos = position(partition, offset);
    byPosition.put(pos, in);
    if (reviewId != null) {
      if (byId.putIfAbsent(reviewId, in) != null) {
        throw new IllegalArgumentException("review id " + reviewId + " sent twice");
      }
      List<Long> waiting = pendingScores.remove(reviewId);
      if (waiting != null) {
        waiting.forEach(time -> count(in, true, null, time));
      }
    }
    List<DeadLetter> dead = pendingLetters.remove(pos);
    if (dead != null) {
      dead.forEach(d -> count(in, false, d, d.getTime().toEpochMilli()));
    }
  }

  /** Takes one output of the topology. */
  public synchronized void output(OutputReader.Output o) {
    lastOutputNanos = System.nanoTime();
    if (o instanceof OutputReader.Score s) {
      scores++;
      long time = s.value().getScoredAt().toEpochMilli();
      outputTimes.add(time);
      String id = s.value().getReviewId();
      Input in = byId.get(id);
      if (in == null) {
        pendingScores.computeIfAbsent(id, k -> new ArrayList<>()).add(time);
      } else {
        count(in, true, null, time);
      }
    } else if (o instanceof OutputReader.Letter l) {
      letters++;
      DeadLetter d = l.value();
      outputTimes.add(d.getTime().toEpochMilli());
      if (!inputTopic.equals(d.getTopic())) {
        unexpected++;
        return;
      }
      String pos = position(d.getPartition(), d.getOffset());
      Input in = byPosition.get(pos);
      if (in == null) {
        pendingLetters.computeIfAbsent(pos, k -> new ArrayList<>()).add(d);
      } else {
        count(in, false, d, d.getTime().toEpochMilli());
      }
    } else {
      unexpected++;
    }
  }

  private void count(Input in, boolean score, DeadLetter d, long timeMs) {
    if (in.outputs() == 0) {
      accounted++;
    }
    in.firstOutputMs = Math.min(in.firstOutputMs, timeMs);
    if (score) {
      in.scores++;
    } else {
      in.letters++;
      in.stage = d.getStage();
      in.reason = d.getReason();
    }
  }

  /** Inputs registered so far. */
  public synchronized int inputs() {
    return byPosition.size();
  }

  /** Inputs with at least one output. */
  public synchronized int accounted() {
    return accounted;
  }

  /** Outputs read so far (scores and dead letters). */
  public synchronized int outputs() {
    return scores + letters;
  }

  /** Nanosecond time ({@link System#nanoTime()}) of the last output read. */
  public synchronized long lastOutputNanos() {
    return lastOutputNanos;
  }

  /**
   * Inputs that were work in flight at wall-clock time {@code timeMs}: acknowledged by the broker
   * by then, but with no output made (scored or dead-lettered) by then that was ever committed.
   * When {@code timeMs} is the moment an application was killed, these are the reviews it had read
   * or was about to read but had not committed: the replay the next instance had to do.
   */
  public synchronized int inFlightAt(long timeMs) {
    int n = 0;
    for (Input in : byPosition.values()) {
      if (in.ackedAtMs <= timeMs && in.firstOutputMs > timeMs) {
        n++;
      }
    }
    return n;
  }

  /** The counts as they stand. */
  public synchronized Tally tally() {
    int lost = 0;
    int duplicated = 0;
    int scored = 0;
    int dead = 0;
    int mismatched = 0;
    Map<String, Map<String, Object>> categories = new TreeMap<>();
    Map<String, Integer> reasons = new TreeMap<>();
    List<String> lostExamples = new ArrayList<>();
    List<String> duplicatedExamples = new ArrayList<>();
    List<String> mismatchExamples = new ArrayList<>();
    for (Map.Entry<String, Input> e : byPosition.entrySet()) {
      Input in = e.getValue();
      @SuppressWarnings("unchecked")
      Map<String, Object> cat =
          categories.computeIfAbsent(
              in.category,
              c -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("sent", 0);
                m.put("scored", 0);
                m.put("dlq", 0);
                m.put("lost", 0);
                m.put("duplicated", 0);
                m.put("as_expected", 0);
                m.put("dlq_reasons", new TreeMap<String, Integer>());
                return m;
              });
      cat.merge("sent", 1, (a, b) -> (Integer) a + (Integer) b);
      if (in.outputs() == 0) {
        lost++;
        cat.merge("lost", 1, (a, b) -> (Integer) a + (Integer) b);
        if (lostExamples.size() < 10) {
          lostExamples.add(in.reviewId == null ? e.getKey() : in.reviewId);
        }
        continue;
      }
      if (in.outputs() > 1) {
        duplicated++;
        cat.merge("duplicated", 1, (a, b) -> (Integer) a + (Integer) b);
        if (duplicatedExamples.size() < 10) {
          duplicatedExamples.add(in.reviewId == null ? e.getKey() : in.reviewId);
        }
      }
      if (in.scores > 0) {
        scored++;
        cat.merge("scored", 1, (a, b) -> (Integer) a + (Integer) b);
      }
      if (in.letters > 0) {
        dead++;
        cat.merge("dlq", 1, (a, b) -> (Integer) a + (Integer) b);
        String code = in.stage + "/" + StreamMetrics.reasonCode(in.reason);
        reasons.merge(code, 1, Integer::sum);
        @SuppressWarnings("unchecked")
        Map<String, Integer> catReasons = (Map<String, Integer>) cat.get("dlq_reasons");
        catReasons.merge(code, 1, Integer::sum);
      }
      if (asExpected(in)) {
        cat.merge("as_expected", 1, (a, b) -> (Integer) a + (Integer) b);
      } else {
        mismatched++;
        if (mismatchExamples.size() < 10) {
          mismatchExamples.add(
              in.category
                  + " "
                  + (in.reviewId == null ? e.getKey() : in.reviewId)
                  + ": "
                  + (in.letters > 0 ? in.stage + ": " + in.reason : "scored"));
        }
      }
    }
    int strays = unexpected;
    for (List<Long> l : pendingScores.values()) {
      strays += l.size();
    }
    for (List<DeadLetter> l : pendingLetters.values()) {
      strays += l.size();
    }
    return new Tally(
        byPosition.size(),
        scored,
        dead,
        lost,
        duplicated,
        strays,
        mismatched,
        categories,
        reasons,
        lostExamples,
        duplicatedExamples,
        mismatchExamples,
        longestGapMs());
  }

  private static boolean asExpected(Input in) {
    if (in.outputs() != 1) {
      return false;
    }
    return switch (in.expect) {
      case SCORED -> in.scores == 1;
      case DEAD_LETTER ->
          in.letters == 1
              && (in.reasonHint == null
                  || (in.stage + ": " + in.reason)
                      .toLowerCase(Locale.ROOT)
                      .contains(in.reasonHint.toLowerCase(Locale.ROOT)));
      case EITHER -> true;
    };
  }

  /** The longest time between two consecutive outputs (by their scored_at / DLQ time), in ms. */
  private long longestGapMs() {
    if (outputTimes.size() < 2) {
      return 0;
    }
    long[] t = outputTimes.stream().mapToLong(Long::longValue).sorted().toArray();
    long gap = 0;
    for (int i = 1; i < t.length; i++) {
      gap = Math.max(gap, t[i] - t[i - 1]);
    }
    return gap;
  }

  /**
   * The counts of a scenario.
   *
   * @param inputs input records sent and acknowledged
   * @param scored inputs with a score
   * @param deadLettered inputs with a dead letter
   * @param lost inputs with no output
   * @param duplicated inputs with more than one output
   * @param unexpected outputs that match no input (or cannot be read)
   * @param mismatched inputs whose single outcome is not the expected one
   * @param categories per input category: sent, scored, dlq, lost, duplicated, as_expected,
   *     dlq_reasons
   * @param reasons dead letters by {@code stage/reason-code}
   * @param longestGapMs the longest pause between consecutive outputs
   */
  public record Tally(
      int inputs,
      int scored,
      int deadLettered,
      int lost,
      int duplicated,
      int unexpected,
      int mismatched,
      Map<String, Map<String, Object>> categories,
      Map<String, Integer> reasons,
      List<String> lostExamples,
      List<String> duplicatedExamples,
      List<String> mismatchExamples,
      long longestGapMs) {

    /** Whether every input has exactly one output, as expected, and no output is a stray. */
    public boolean exact() {
      return lost == 0 && duplicated == 0 && unexpected == 0 && mismatched == 0;
    }
  }
}
