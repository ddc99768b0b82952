package io.reelsense.stream;

import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * How many records one flush of a micro-batching processor may take: its batch size, cut so that
 * the flush's model calls fit the <em>flush time limit</em> (a share of the Kafka transaction
 * timeout and of {@code max.poll.interval.ms}, see {@link #flushTimeLimit}). It keeps a moving
 * average of the model time per record, and {@link #limit()} is {@code time limit / that time}, so
 * a slow model on a slow machine gets smaller batches instead of an aborted transaction (a fenced
 * stream thread, and the batch processed again).
 *
 * <p>One instance serves every task of one processor in one application instance (the topology
 * hands the same one to each processor it creates): the measured time survives a task being closed
 * and re-created, e.g. after a fenced transaction, so the next try of a too-slow batch is already
 * cut to size. Thread-safe.
 */
public final class BatchSizer {

  /** Kafka Streams' transaction timeout under exactly-once, when none is configured. */
  private static final long DEFAULT_TRANSACTION_TIMEOUT_MS = 10_000;

  /** The Kafka consumer's default {@code max.poll.interval.ms}. */
  private static final long DEFAULT_MAX_POLL_INTERVAL_MS = 300_000;

  /** One batch may use this fraction (1/n) of the tighter timeout. */
  private static final long LIMIT_SHARE = 4;

  /** The flush time limit of Kafka Streams' default timeouts under exactly-once. */
  public static final Duration DEFAULT_FLUSH_TIME_LIMIT =
      Duration.ofMillis(DEFAULT_TRANSACTION_TIMEOUT_MS / LIMIT_SHARE);

  /** Weight of the newest batch in the moving average. */
  private static final double SMOOTHING = 0.3;

  private final int batchSize;
  private final long limitNanos;

  /** Moving average of the model time per record, ns; 0 = not yet timed. */
  private volatile double nanosPerRecord;

  /**
   * @param batchSize the most records of one flush, however fast the model
   * @param flushTimeLimit longest one flush's model calls should take
   */
  public BatchSizer(int batchSize, Duration flushTimeLimit) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
    }
    this.batchSize = batchSize;
    this.limitNanos = Math.max(1, flushTimeLimit.toNanos());
  }

  /**
   * The most records the next flush may take: the batch size until a flush has been timed, then
   * what the measured time per record says fits the time limit (at least one).
   */
  public int limit() {
    double perRecord = nanosPerRecord;
    if (perRecord <= 0) {
      return batchSize;
    }
    return (int) Math.max(1, Math.min(batchSize, limitNanos / perRecord));
  }

  /** Records that the model calls for {@code size} records took {@code nanos}. */
  public synchronized void timed(long nanos, int size) {
    if (size < 1) {
      return;
    }
    double perRecord = (double) nanos / size;
    double old = nanosPerRecord;
    nanosPerRecord = old <= 0 ? perRecord : SMOOTHING * perRecord + (1 - SMOOTHING) * old;
  }

  /** Moving average of the model time per record, ns; 0 until a flush has been timed. */
  public double nanosPerRecord() {
    return nanosPerRecord;
  }

  /**
   * A quarter of the shorter of the transaction timeout (exactly-once only) and the consumer's
   * {@code max.poll.interval.ms}, as Kafka Streams resolves them from {@code streams}: no
   * transaction stays open, and no poll waits, long enough for the broker to abort it or the group
   * to evict the thread.
   */
  public static Duration flushTimeLimit(Properties streams) {
    StreamsConfig config = new StreamsConfig(streams);
    long limit =
        millis(
            config
                .getMainConsumerConfigs("flush-limit", "flush-limit", 0)
                .get(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG),
            DEFAULT_MAX_POLL_INTERVAL_MS);
    if (!StreamsConfig.AT_LEAST_ONCE.equals(
        config.getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG))) {
      limit =
          Math.min(
              limit,
              millis(
                  config
                      .getProducerConfigs("flush-limit")
                      .get(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG),
                  DEFAULT_TRANSACTION_TIMEOUT_MS));
    }
    return Duration.ofMillis(Math.max(1, limit / LIMIT_SHARE));
  }

  private static long millis(Object value, long otherwise) {
    return value == null ? otherwise : Long.parseLong(value.toString().trim());
  }
}
