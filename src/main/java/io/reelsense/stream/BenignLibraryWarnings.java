package io.reelsense.stream;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drops the libraries' warnings that report normal operation, so that a default run prints
 * reelsense's own lines and real problems only; with {@code REELSENSE_DEBUG=1} or {@code --verbose}
 * (the system property {@value #VERBOSE_PROPERTY}) every event passes. Dropped, at WARN only:
 *
 * <ul>
 *   <li>DJL's {@code CudaUtils}: "Failed to detect GPU count" — the GPU probe on a machine without
 *       a usable CUDA driver; reelsense prints where the model runs, and {@code --device gpu}
 *       without a GPU fails at start with its own message.
 *   <li>Kafka's {@code NetworkClient}: metadata answers where every topic named is an internal
 *       topic of the application ({@code …-repartition}, {@code …-changelog}) with {@code
 *       UNKNOWN_TOPIC_OR_PARTITION} — Kafka Streams creates those topics just after it asks.
 *   <li>Kafka's {@code NetworkClient}: "Attempting to close NetworkClient that has already been
 *       closed" — the embedded broker's controller channel closing twice at shutdown.
 *   <li>Kafka's {@code QuorumController}: "Performing controller activation. The metadata log
 *       appears to be empty" — the embedded broker's first start on a new log directory.
 * </ul>
 */
public final class BenignLibraryWarnings extends Filter<ILoggingEvent> {

  /** Set by the commands' {@code --verbose}: every event passes. */
  public static final String VERBOSE_PROPERTY = "reelsense.verbose";

  static final String CUDA = "ai.djl.util.cuda.CudaUtils";
  static final String NETWORK_CLIENT = "org.apache.kafka.clients.NetworkClient";
  static final String QUORUM = "org.apache.kafka.controller.QuorumController";
  private static final Pattern TOPIC_ERRORS = Pattern.compile("\\{([^}]*)}");
  private static final Pattern INTERNAL_UNKNOWN =
      Pattern.compile("[\\w.-]+-(repartition|changelog)=UNKNOWN_TOPIC_OR_PARTITION");

  private final boolean everything;

  public BenignLibraryWarnings() {
    this("1".equals(System.getenv("REELSENSE_DEBUG")));
  }

  BenignLibraryWarnings(boolean everything) {
    this.everything = everything;
  }

  @Override
  public FilterReply decide(ILoggingEvent event) {
    if (everything || event.getLevel() != Level.WARN || Boolean.getBoolean(VERBOSE_PROPERTY)) {
      return FilterReply.NEUTRAL;
    }
    String logger = event.getLoggerName();
    String message = event.getFormattedMessage();
    if (message == null) {
      return FilterReply.NEUTRAL;
    }
    boolean benign =
        switch (logger) {
          case CUDA -> message.startsWith("Failed to detect GPU count");
          case NETWORK_CLIENT ->
              message.contains("Attempting to close NetworkClient that has already been closed")
                  || onlyInternalTopicsUnknown(message);
          case QUORUM ->
              message.contains("Performing controller activation. The metadata log appears to be");
          default -> false;
        };
    return benign ? FilterReply.DENY : FilterReply.NEUTRAL;
  }

  /**
   * A metadata warning whose topic-error map names internal topics unknown yet, and nothing else.
   */
  static boolean onlyInternalTopicsUnknown(String message) {
    if (!message.contains("UNKNOWN_TOPIC_OR_PARTITION")) {
      return false;
    }
    Matcher m = TOPIC_ERRORS.matcher(message);
    if (!m.find()) {
      return false;
    }
    for (String entry : m.group(1).split(",\\s*")) {
      if (!INTERNAL_UNKNOWN.matcher(entry.trim()).matches()) {
        return false;
      }
    }
    return true;
  }
}
