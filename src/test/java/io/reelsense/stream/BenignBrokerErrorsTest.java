package io.reelsense.stream;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.spi.FilterReply;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.junit.jupiter.api.Test;

class BenignBrokerErrorsTest {

  private final LoggerContext context = new LoggerContext();
  private final BenignBrokerErrors filter = new BenignBrokerErrors();

  private FilterReply decide(String logger, Level level, Throwable t) {
    Logger l = context.getLogger(logger);
    return filter.decide(
        new LoggingEvent(Logger.class.getName(), l, level, "append failed", t, null));
  }

  @Test
  void dropsOnlyTheRetriableSequenceRefusalOfTransactionsV2() {
    OutOfOrderSequenceException benign =
        new OutOfOrderSequenceException(
            "Invalid sequence number for producer 1 at offset 456 in partition x-1: 7 (incoming"
                + " seq. number). Expected sequence 0 for transactions v2 idempotent producer with"
                + " no existing state.");
    assertThat(decide(BenignBrokerErrors.LOGGER, Level.ERROR, benign)).isEqualTo(FilterReply.DENY);
    // any other sequence error, logger or exception is kept
    OutOfOrderSequenceException other =
        new OutOfOrderSequenceException("Out of order sequence number for producer 7: 51, 49");
    assertThat(decide(BenignBrokerErrors.LOGGER, Level.ERROR, other))
        .isEqualTo(FilterReply.NEUTRAL);
    assertThat(decide("kafka.server.KafkaApis", Level.ERROR, benign))
        .isEqualTo(FilterReply.NEUTRAL);
    assertThat(decide(BenignBrokerErrors.LOGGER, Level.ERROR, new IllegalStateException("x")))
        .isEqualTo(FilterReply.NEUTRAL);
    assertThat(decide(BenignBrokerErrors.LOGGER, Level.ERROR, null)).isEqualTo(FilterReply.NEUTRAL);
  }
}
