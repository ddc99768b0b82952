package io.reelsense.stream;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Drops one ERROR of the embedded broker that is part of normal exactly-once operation, not a
 * failure: under transactions v2 (KIP-890), the first batch a transactional producer sends to a
 * partition it has never written waits while the broker adds the partition to the transaction; the
 * producer's next batches to that partition (up to five requests are in flight) arrive meanwhile,
 * find no producer state there and are refused with a <em>retriable</em> {@code
 * OutOfOrderSequenceException} ("Expected sequence 0 for transactions v2 idempotent producer with
 * no existing state", KAFKA-18202). The producer sends them again once the first batch is in, in
 * order; nothing is lost or duplicated. Kafka's {@code ReplicaManager} still logs each refusal at
 * ERROR with a stack trace, which at a stream's start with a backlog is a screenful. Every other
 * event passes unchanged.
 */
public final class BenignBrokerErrors extends Filter<ILoggingEvent> {

  static final String LOGGER = "kafka.server.ReplicaManager";
  static final String EXCEPTION = "org.apache.kafka.common.errors.OutOfOrderSequenceException";
  static final String MESSAGE = "idempotent producer with no existing state";

  @Override
  public FilterReply decide(ILoggingEvent event) {
    if (event.getLevel() != Level.ERROR || !LOGGER.equals(event.getLoggerName())) {
      return FilterReply.NEUTRAL;
    }
    IThrowableProxy t = event.getThrowableProxy();
    if (t != null
        && EXCEPTION.equals(t.getClassName())
        && t.getMessage() != null
        && t.getMessage().contains(MESSAGE)) {
      return FilterReply.DENY;
    }
    return FilterReply.NEUTRAL;
  }
}
