package io.reelsense.eval;

import io.reelsense.avro.DeadLetter;
import io.reelsense.avro.ScoredReview;
import io.reelsense.data.Review;
import io.reelsense.stream.ReelsenseConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Replays reviews through a running topology: sends each as an Avro review keyed by its id (with
 * its film id, {@code source} and the send time as event time and record timestamp), at a fixed
 * rate or as fast as the producer goes, while reading {@code reviews-scored} and {@code
 * reviews-dlq} (read_committed, from their ends as they were before the first send) until every
 * review is accounted for or, after the last send, no new output has come for the timeout.
 */
public final class Replay {

  /**
   * How to replay.
   *
   * @param ratePerSecond reviews per second; 0 or less: as fast as possible
   * @param timeout once everything has been sent, how long to wait without any new output before
   *     giving up (the clock restarts with every review accounted for)
   * @param connectTimeout how long to wait for the cluster
   * @param source the reviews' {@code source} field
   */
  public record Options(
      double ratePerSecond, Duration timeout, Duration connectTimeout, String source) {
    public Options {
      Objects.requireNonNull(timeout, "timeout");
      Objects.requireNonNull(connectTimeout, "connectTimeout");
    }

    /** As fast as possible, give up after 2 idle minutes, 30 s for the cluster. */
    public static Options defaults() {
      return new Options(0, Duration.ofMinutes(2), Duration.ofSeconds(30), "replay");
    }
  }

  /** Told about progress from the replaying thread (keep it quick). */
  public interface Listener {
    /** {@code sent} of {@code total} reviews sent, {@code accounted} of them scored or dead. */
    void progress(int sent, int accounted, int total);

    /** A listener that ignores progress. */
    static Listener none() {
      return (sent, accounted, total) -> {};
    }
  }

  private Replay() {}

  /** The ledger entries of labeled reviews, in the given order. */
  public static List<ReplayLedger.Expected> expected(List<Review> reviews) {
    List<ReplayLedger.Expected> out = new ArrayList<>(reviews.size());
    for (Review r : reviews) {
      out.add(new ReplayLedger.Expected(r.id(), r.label(), r.rating(), r.filmId(), r.text()));
    }
    return out;
  }

  /**
   * Replays {@code reviews} through the cluster of {@code config} and returns the filled ledger
   * (complete or not: {@link ReplayLedger#missing(int)} tells which are missing).
   *
   * @throws EvalException when the cluster is unreachable, a topic is missing or sending fails
   */
  public static ReplayLedger run(
      ReelsenseConfig config, List<Review> reviews, Options options, Listener listener) {
    ReplayLedger ledger = new ReplayLedger(expected(reviews));
    AtomicReference<Throwable> sendFailure = new AtomicReference<>();
    try (OutputReader reader =
            OutputReader.open(
                config, true, true, OutputReader.Start.END, options.connectTimeout());
        ReviewSender sender = ReviewSender.open(config, options.connectTimeout())) {
      Thread producer =
          new Thread(
              () -> send(sender, reviews, ledger, options, sendFailure), "reelsense-replay-send");
      producer.setDaemon(true);
      producer.start();
      int total = ledger.size();
      long idleSince = System.nanoTime();
      int lastAccounted = 0;
      try {
        while (!ledger.complete()) {
          for (OutputReader.Output o : reader.poll(Duration.ofMillis(100))) {
            record(ledger, o);
          }
          int accounted = ledger.accounted();
          listener.progress(ledger.producedCount(), accounted, total);
          if (sendFailure.get() != null) {
            break;
          }
          if (accounted != lastAccounted || producer.isAlive()) {
            lastAccounted = accounted;
            idleSince = System.nanoTime();
          } else if (System.nanoTime() - idleSince > options.timeout().toNanos()) {
            break;
          }
        }
      } finally {
        producer.interrupt();
        try {
          producer.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      listener.progress(ledger.producedCount(), ledger.accounted(), total);
    }
    Throwable failure = sendFailure.get();
    if (failure != null) {
      throw failure instanceof EvalException e
          ? e
          : new EvalException("sending the replay failed: " + failure, failure);
    }
    return ledger;
  }

  private static void send(
      ReviewSender sender,
      List<Review> reviews,
      ReplayLedger ledger,
      Options options,
      AtomicReference<Throwable> failure) {
    try {
      long start = System.nanoTime();
      double intervalNanos = options.ratePerSecond() > 0 ? 1e9 / options.ratePerSecond() : 0;
      for (int i = 0; i < reviews.size(); i++) {
        if (Thread.currentThread().isInterrupted()) {
          return;
        }
        if (intervalNanos > 0) {
          long due = start + (long) (i * intervalNanos);
          long wait;
          while ((wait = due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
            if (Thread.currentThread().isInterrupted()) {
              return;
            }
          }
        }
        Review r = reviews.get(i);
        long now = System.currentTimeMillis();
        ledger.produced(r.id(), now);
        sender.send(
            ReviewSender.review(
                r.id(), r.filmId(), r.text(), options.source(), Instant.ofEpochMilli(now)),
            now);
        if (intervalNanos > 0) {
          sender.flush();
        }
      }
      sender.flush();
    } catch (RuntimeException e) {
      failure.set(e);
    }
  }

  private static void record(ReplayLedger ledger, OutputReader.Output o) {
    if (o instanceof OutputReader.Score s) {
      ScoredReview v = s.value();
      ledger.scored(
          new ReplayLedger.Scored(
              v.getReviewId(),
              v.getLabel(),
              v.getPositiveProbability(),
              v.getRating(),
              v.getRatingProbability(),
              v.getModelId(),
              v.getReceivedAt().toEpochMilli(),
              v.getScoredAt().toEpochMilli(),
              s.consumedAtMs(),
              v.getBatchSize(),
              v.getInferenceMs()));
    } else if (o instanceof OutputReader.Letter l) {
      DeadLetter d = l.value();
      ledger.deadLettered(
          new ReplayLedger.DeadLettered(l.key(), d.getStage(), d.getReason(), l.consumedAtMs()));
    } else {
      OutputReader.Unreadable u = (OutputReader.Unreadable) o;
      ledger.deadLettered(
          new ReplayLedger.DeadLettered(
              null, "unreadable-output", u.topic() + ": " + u.reason(), u.consumedAtMs()));
    }
  }
}
