package io.reelsense.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which {@code host:port} an instance advertises as Kafka Streams' {@code application.server}. */
class AdvertisedHostTest {

  @Test
  void theAdvertisedHostTheEnvironmentAndKafkaApplicationServerDecide() {
    assertThat(ReelsenseConfig.defaults().applicationServer(7070)).isEqualTo("127.0.0.1:7070");
    assertThat(
            ReelsenseConfig.of(Map.of("http.host", "0.0.0.0", "http.advertised.host", "app-1"))
                .applicationServer(7070))
        .isEqualTo("app-1:7070");
    assertThat(
            ReelsenseConfig.load(
                    null,
                    Map.of("REELSENSE_HTTP_ADVERTISED_HOST", "app-2"),
                    Map.of("http.host", "0.0.0.0"))
                .applicationServer(7070))
        .isEqualTo("app-2:7070");
    assertThat(
            ReelsenseConfig.of(
                    Map.of(
                        "http.advertised.host",
                        "app-1",
                        "kafka.application.server",
                        "lb.example:80"))
                .applicationServer(7070))
        .isEqualTo("lb.example:80");
    // a wildcard bind never advertises the wildcard itself
    assertThat(ReelsenseConfig.of(Map.of("http.host", "0.0.0.0")).applicationServer(7070))
        .doesNotStartWith("0.0.0.0")
        .endsWith(":7070");
    assertThat(ReelsenseConfig.of(Map.of("http.advertised.host", "::1")).applicationServer(7070))
        .isEqualTo("[::1]:7070");
  }
}
