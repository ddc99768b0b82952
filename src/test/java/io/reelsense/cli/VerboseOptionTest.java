package io.reelsense.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.spi.FilterReply;
import io.reelsense.stream.BenignLibraryWarnings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --verbose} on any command lets the warnings that report normal operation through. */
class VerboseOptionTest {

  @TempDir Path dir;

  @AfterEach
  void clear() {
    System.clearProperty(ReportingCommand.VERBOSE_PROPERTY);
  }

  private static FilterReply gpuProbeWarning() {
    Logger logger = new LoggerContext().getLogger("ai.djl.util.cuda.CudaUtils");
    LoggingEvent event =
        new LoggingEvent(
            Logger.class.getName(),
            logger,
            Level.WARN,
            "Failed to detect GPU count: 35",
            null,
            null);
    return new BenignLibraryWarnings().decide(event);
  }

  @Test
  void verboseShowsTheWarningsADefaultRunHides() {
    FilterReply quiet = gpuProbeWarning();
    int code =
        Main.execute(
            new PrintWriter(new StringWriter()),
            new PrintWriter(new StringWriter()),
            "models",
            "list",
            "--repo",
            dir.toString(),
            "--verbose");
    assertThat(code).isZero();
    assertThat(System.getProperty(ReportingCommand.VERBOSE_PROPERTY)).isEqualTo("true");
    if (!"1".equals(System.getenv("REELSENSE_DEBUG"))) {
      assertThat(quiet).isEqualTo(FilterReply.DENY);
    }
    assertThat(gpuProbeWarning()).isEqualTo(FilterReply.NEUTRAL);
  }
}
