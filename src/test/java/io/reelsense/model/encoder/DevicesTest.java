package io.reelsense.model.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The engine's thread count: asked for, else the system property, else one per CPU. */
class DevicesTest {

  private String saved;

  @BeforeEach
  void save() {
    saved = System.getProperty(Devices.THREADS_PROPERTY);
  }

  @AfterEach
  void restore() {
    if (saved == null) {
      System.clearProperty(Devices.THREADS_PROPERTY);
    } else {
      System.setProperty(Devices.THREADS_PROPERTY, saved);
    }
  }

  @Test
  void theThreadCountIsAlwaysSetForTheEngine() {
    System.clearProperty(Devices.THREADS_PROPERTY);
    int cpus = Runtime.getRuntime().availableProcessors();
    assertThat(Devices.useThreads(null)).isEqualTo(cpus);
    assertThat(System.getProperty(Devices.THREADS_PROPERTY)).isEqualTo(String.valueOf(cpus));

    System.setProperty(Devices.THREADS_PROPERTY, "3");
    assertThat(Devices.useThreads(null)).isEqualTo(3);
    assertThat(Devices.useThreads(5)).isEqualTo(5);
    assertThat(System.getProperty(Devices.THREADS_PROPERTY)).isEqualTo("5");

    assertThatThrownBy(() -> Devices.useThreads(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--threads must be 1 or more, got 0");
  }
}
