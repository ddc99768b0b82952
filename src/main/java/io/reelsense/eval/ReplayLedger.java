package io.reelsense.eval;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The accounting of one replay: which reviews were sent, when, and what came out for each of them
 * (a score or a dead letter). A review is <em>accounted for</em> once either has been seen; the
 * ledger is {@linkplain #complete() complete} when every review is. Outputs for ids the replay did
 * not send are counted as foreign and otherwise ignored; a second output for the same id is counted
 * as a duplicate and does not replace the first.
 *
 * <p>One thread may send while another records outputs: recording and counting are synchronized;
 * the collection views are for after the replay.
 */
public final class ReplayLedger {

  /**
   * A review the replay sends, with what is known about it.
   *
   * @param id review id (the record key)
   * @param label true sentiment (0/1), null when unknown
   * @param rating true stars (1-10), null when unknown
   * @param filmId film id, null when unknown
   * @param text the review text as sent
   */
  public record Expected(String id, Integer label, Integer rating, String filmId, String text) {
    public Expected {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(text, "text");
    }
  }

  /**
   * A score read from the scored topic.
   *
   * @param id review id
   * @param label predicted sentiment
   * @param positiveProbability predicted probability of positive
   * @param rating predicted stars, 0 when the model has no rating head
   * @param ratingProbability probability of the predicted stars
   * @param modelId the model that scored it
   * @param receivedAtMs when the topology received the review
   * @param scoredAtMs when the model scored it
   * @param consumedAtMs when the replay read the score (read_committed: after the commit)
   * @param batchSize size of the micro-batch
   * @param inferenceMs model time for the whole batch
   */
  public record Scored(
      String id,
      int label,
      double positiveProbability,
      int rating,
      double ratingProbability,
      String modelId,
      long receivedAtMs,
      long scoredAtMs,
      long consumedAtMs,
      int batchSize,
      double inferenceMs) {}

  /**
   * A dead letter read from the dead-letter topic.
   *
   * @param id review id (the original record key)
   * @param stage the stage that rejected it
   * @param reason why
   * @param consumedAtMs when the replay read it
   */
  public record DeadLettered(String id, String stage, String reason, long consumedAtMs) {}

  /** What recording an output did. */
  public enum Outcome {
    /** The first output for a review of this replay. */
    NEW,
    /** A further output for a review already accounted for. */
    DUPLICATE,
    /** An output for an id this replay did not send. */
    FOREIGN
  }

  private final Map<String, Expected> expected = new LinkedHashMap<>();
  private final Map<String, Long> producedAt = new LinkedHashMap<>();
  private final Map<String, Scored> scored = new LinkedHashMap<>();
  private final Map<String, DeadLettered> deadLettered = new LinkedHashMap<>();
  private int duplicates;
  private int foreign;

  /**
   * A ledger of the reviews to send, in sending order.
   *
   * @throws IllegalArgumentException when two reviews share an id
   */
  public ReplayLedger(Collection<Expected> reviews) {
    for (Expected e : reviews) {
      if (expected.putIfAbsent(e.id(), e) != null) {
        throw new IllegalArgumentException(
            "review id " + e.id() + " occurs twice; replay needs unique ids (they are the keys)");
      }
    }
  }

  /** Notes that review {@code id} was sent at {@code atMs} (epoch ms). */
  public synchronized void produced(String id, long atMs) {
    if (!expected.containsKey(id)) {
      throw new IllegalArgumentException("review " + id + " is not part of this replay");
    }
    producedAt.put(id, atMs);
  }

  /** Records a score. */
  public synchronized Outcome scored(Scored s) {
    Outcome o = classify(s.id());
    if (o == Outcome.NEW) {
      scored.put(s.id(), s);
    }
    return o;
  }

  /** Records a dead letter. */
  public synchronized Outcome deadLettered(DeadLettered d) {
    Outcome o = classify(d.id());
    if (o == Outcome.NEW) {
      deadLettered.put(d.id(), d);
    }
    return o;
  }

  private Outcome classify(String id) {
    if (id == null || !expected.containsKey(id)) {
      foreign++;
      return Outcome.FOREIGN;
    }
    if (scored.containsKey(id) || deadLettered.containsKey(id)) {
      duplicates++;
      return Outcome.DUPLICATE;
    }
    return Outcome.NEW;
  }

  /** Number of reviews in the replay. */
  public int size() {
    return expected.size();
  }

  /** Number of reviews sent so far. */
  public synchronized int producedCount() {
    return producedAt.size();
  }

  /** Number of reviews with a score or a dead letter. */
  public synchronized int accounted() {
    return scored.size() + deadLettered.size();
  }

  /** Whether every review has a score or a dead letter. */
  public synchronized boolean complete() {
    return accounted() == expected.size();
  }

  /** Number of reviews with neither a score nor a dead letter. */
  public synchronized int missingCount() {
    return expected.size() - accounted();
  }

  /** The first {@code limit} reviews (in sending order) with neither a score nor a dead letter. */
  public synchronized List<String> missing(int limit) {
    List<String> out = new ArrayList<>();
    for (String id : expected.keySet()) {
      if (out.size() >= limit) {
        break;
      }
      if (!scored.containsKey(id) && !deadLettered.containsKey(id)) {
        out.add(id);
      }
    }
    return out;
  }

  /** Outputs seen a second time for the same review. */
  public int duplicates() {
    return duplicates;
  }

  /** Outputs for ids this replay did not send. */
  public int foreign() {
    return foreign;
  }

  /** The reviews, in sending order. */
  public Collection<Expected> expected() {
    return expected.values();
  }

  /** When each review was sent (epoch ms), by id. */
  public Map<String, Long> producedAt() {
    return producedAt;
  }

  /** The scores, in the order read. */
  public Collection<Scored> scored() {
    return scored.values();
  }

  /** The dead letters, in the order read. */
  public Collection<DeadLettered> deadLettered() {
    return deadLettered.values();
  }

  /** The review sent with {@code id}, or null. */
  public Expected expected(String id) {
    return expected.get(id);
  }
}
