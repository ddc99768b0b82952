package io.reelsense.stream;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.spi.FilterReply;
import org.junit.jupiter.api.Test;

class BenignLibraryWarningsTest {

  private final LoggerContext context = new LoggerContext();

  private FilterReply decide(BenignLibraryWarnings filter, String logger, Level level, String msg) {
    Logger l = context.getLogger(logger);
    return filter.decide(new LoggingEvent(Logger.class.getName(), l, level, msg, null, null));
  }

  private static final String INTERNAL =
      "[Consumer clientId=app-1-StreamThread-1-consumer, groupId=app] The metadata response from"
          + " the cluster reported a recoverable issue with correlation id 2 :"
          + " {app-films-single-repartition=UNKNOWN_TOPIC_OR_PARTITION,"
          + " app-film-votes-repartition=UNKNOWN_TOPIC_OR_PARTITION}";

  @Test
  void dropsTheKnownHarmlessWarnings() {
    BenignLibraryWarnings f = new BenignLibraryWarnings(false);
    assertThat(
            decide(
                f,
                BenignLibraryWarnings.CUDA,
                Level.WARN,
                "Failed to detect GPU count: CUDA driver version is insufficient (35)"))
        .isEqualTo(FilterReply.DENY);
    assertThat(decide(f, BenignLibraryWarnings.NETWORK_CLIENT, Level.WARN, INTERNAL))
        .isEqualTo(FilterReply.DENY);
    assertThat(
            decide(
                f,
                BenignLibraryWarnings.NETWORK_CLIENT,
                Level.WARN,
                "[NodeToControllerChannelManager id=1 name=registration] Attempting to close"
                    + " NetworkClient that has already been closed."))
        .isEqualTo(FilterReply.DENY);
    assertThat(
            decide(
                f,
                BenignLibraryWarnings.QUORUM,
                Level.WARN,
                "[QuorumController id=1] Performing controller activation. The metadata log appears"
                    + " to be empty."))
        .isEqualTo(FilterReply.DENY);
  }

  @Test
  void keepsRealProblemsAndEverythingWithDebug() {
    BenignLibraryWarnings f = new BenignLibraryWarnings(false);
    // a user topic that does not exist is a real problem
    assertThat(
            decide(
                f,
                BenignLibraryWarnings.NETWORK_CLIENT,
                Level.WARN,
                INTERNAL.replace(
                    "app-film-votes-repartition=UNKNOWN_TOPIC_OR_PARTITION",
                    "reviews=UNKNOWN_TOPIC_OR_PARTITION")))
        .isEqualTo(FilterReply.NEUTRAL);
    assertThat(
            decide(
                f,
                BenignLibraryWarnings.NETWORK_CLIENT,
                Level.WARN,
                INTERNAL.replace("UNKNOWN_TOPIC_OR_PARTITION}", "LEADER_NOT_AVAILABLE}")))
        .isEqualTo(FilterReply.NEUTRAL);
    assertThat(
            decide(
                f,
                BenignLibraryWarnings.NETWORK_CLIENT,
                Level.WARN,
                "Connection to node 1 (localhost/127.0.0.1:9092) could not be established."))
        .isEqualTo(FilterReply.NEUTRAL);
    // the same text at ERROR, or from another logger, passes
    assertThat(decide(f, BenignLibraryWarnings.NETWORK_CLIENT, Level.ERROR, INTERNAL))
        .isEqualTo(FilterReply.NEUTRAL);
    assertThat(decide(f, "org.apache.kafka.streams.KafkaStreams", Level.WARN, INTERNAL))
        .isEqualTo(FilterReply.NEUTRAL);
    assertThat(
            decide(
                new BenignLibraryWarnings(true),
                BenignLibraryWarnings.NETWORK_CLIENT,
                Level.WARN,
                INTERNAL))
        .isEqualTo(FilterReply.NEUTRAL);
  }
}
