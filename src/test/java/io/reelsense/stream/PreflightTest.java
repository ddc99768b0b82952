package io.reelsense.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import io.reelsense.model.encoder.Devices;
import io.reelsense.stream.local.EmbeddedKafkaBroker;
import io.reelsense.stream.registry.EmbeddedSchemaRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.assertj.core.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each start-up check fails with one line naming the setting to fix. */
class PreflightTest {

  private static final Duration SHORT = Duration.ofSeconds(2);

  @TempDir Path dir;

  /** A port nothing listens on: bound once, then closed. */
  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void assertOneLine(Throwable e) {
    assertThat(e).isInstanceOf(ConfigError.class);
    assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("\r");
  }

  @Test
  void noBrokerFailsWithOneLineNamingBootstrapServers() throws IOException {
    ReelsenseConfig config =
        ReelsenseConfig.of(Map.of(ReelsenseConfig.BOOTSTRAP_SERVERS, "127.0.0.1:" + closedPort()));
    assertThatThrownBy(() -> Preflight.broker(config, SHORT))
        .satisfies(PreflightTest::assertOneLine)
        .hasMessageStartingWith("cannot reach Kafka at 127.0.0.1:")
        .hasMessageContaining("within 2 s")
        .hasMessageContaining("fix bootstrap.servers (REELSENSE_BOOTSTRAP_SERVERS, --bootstrap)");
  }

  @Test
  void anUnresolvableBrokerHostFailsWithOneLine() {
    ReelsenseConfig config =
        ReelsenseConfig.of(Map.of(ReelsenseConfig.BOOTSTRAP_SERVERS, "no-such-host.invalid:9092"));
    assertThatThrownBy(() -> Preflight.broker(config, SHORT))
        .satisfies(PreflightTest::assertOneLine)
        .hasMessageContaining("Kafka at no-such-host.invalid:9092")
        .hasMessageContaining("bootstrap.servers");
  }

  @Test
  void aRunningBrokerPasses() {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
      ReelsenseConfig config =
          ReelsenseConfig.of(Map.of(ReelsenseConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers()));
      assertThat(Preflight.broker(config, Duration.ofSeconds(10))).isEqualTo(1);
    }
  }

  @Test
  void noRegistryFailsWithOneLineNamingTheRegistryUrl() throws IOException {
    ReelsenseConfig config =
        ReelsenseConfig.of(
            Map.of(ReelsenseConfig.REGISTRY_URL, "http://127.0.0.1:" + closedPort()));
    assertThatThrownBy(() -> Preflight.registry(config, SHORT))
        .satisfies(PreflightTest::assertOneLine)
        .hasMessageStartingWith("cannot reach the schema registry at http://127.0.0.1:")
        .hasMessageContaining(
            "fix schema.registry.url (REELSENSE_SCHEMA_REGISTRY_URL, --registry)");
  }

  @Test
  void aRegistryPassesWithItsCredentialsAndRefusesWrongOnesWithoutShowingThem() {
    try (EmbeddedSchemaRegistry registry =
        EmbeddedSchemaRegistry.builder().basicAuth("svc", "s3cret-pw").start()) {
      ReelsenseConfig good =
          ReelsenseConfig.of(
              Map.of(
                  ReelsenseConfig.REGISTRY_URL,
                  registry.url(),
                  ReelsenseConfig.REGISTRY_BASIC_AUTH,
                  "svc:s3cret-pw"));
      assertThat(Preflight.registry(good, SHORT)).isZero();
      ReelsenseConfig bad = good.with(Map.of(ReelsenseConfig.REGISTRY_BASIC_AUTH, "svc:wrong-pw"));
      assertThatThrownBy(() -> Preflight.registry(bad, SHORT))
          .satisfies(PreflightTest::assertOneLine)
          .hasMessageContaining("refused the credentials (HTTP 401)")
          .hasMessageContaining("basic.auth.user.info")
          .message()
          .doesNotContain("wrong-pw")
          .doesNotContain("s3cret-pw");
    }
  }

  @Test
  void aMissingBundleFailsWithOneLine() {
    assertThatThrownBy(() -> Preflight.classifier(ReelsenseConfig.defaults()))
        .satisfies(PreflightTest::assertOneLine)
        .hasMessage(
            "no model bundle configured: set model.bundle (REELSENSE_MODEL_BUNDLE, --bundle) to a"
                + " folder made by 'train'");
    ReelsenseConfig empty = ReelsenseConfig.of(Map.of(ReelsenseConfig.BUNDLE, dir.toString()));
    assertThatThrownBy(() -> Preflight.classifier(empty))
        .satisfies(PreflightTest::assertOneLine)
        .hasMessageStartingWith("model bundle: model bundle " + dir + " has no manifest.json")
        .hasMessageEndingWith("(model.bundle / REELSENSE_MODEL_BUNDLE)");
  }

  @Test
  void anIncompatibleBundleFailsWithOneLine() throws IOException {
    ReelsenseConfig config = ReelsenseConfig.of(Map.of(ReelsenseConfig.BUNDLE, dir.toString()));
    Files.writeString(
        dir.resolve("manifest.json"),
        "{\"formatVersion\": 99, \"kind\": \"tfidf-lr\", \"tasks\": [\"sentiment\"]}",
        StandardCharsets.UTF_8);
    assertThatThrownBy(() -> Preflight.classifier(config))
        .satisfies(PreflightTest::assertOneLine)
        .hasMessageContaining("has bundle format version 99 but this build reads versions 1 to 2");
    Files.writeString(
        dir.resolve("manifest.json"),
        "{\"formatVersion\": 1, \"kind\": \"quantum-svm\", \"tasks\": [\"sentiment\"]}",
        StandardCharsets.UTF_8);
    assertThatThrownBy(() -> Preflight.classifier(config))
        .satisfies(PreflightTest::assertOneLine)
        .hasMessageContaining("'quantum-svm', which this build cannot load");
    Files.writeString(dir.resolve("manifest.json"), "{not json", StandardCharsets.UTF_8);
    assertThatThrownBy(() -> Preflight.bundleManifest(config))
        .satisfies(PreflightTest::assertOneLine)
        .hasMessageContaining("cannot read " + dir.resolve("manifest.json"));
  }

  @Test
  void gpuDemandedWithoutAGpuFailsWithOneLine() {
    Assumptions.assumeThat(Engine.getEngine(Devices.ENGINE).getGpuCount()).isZero();
    ReelsenseConfig config = ReelsenseConfig.of(Map.of(ReelsenseConfig.DEVICE, "gpu"));
    assertThatThrownBy(() -> Preflight.device(config))
        .satisfies(PreflightTest::assertOneLine)
        .hasMessageStartingWith("model.device=gpu (from the command line): ")
        .hasMessageContaining("finds 0 GPU(s) here; use --device cpu or auto");
  }

  @Test
  void theInferenceLineOfABaselineWithoutEmbeddingsNeedsNoEngine() throws IOException {
    Files.writeString(
        dir.resolve("manifest.json"),
        "{\"formatVersion\": 1, \"kind\": \"tfidf-lr\", \"tasks\": [\"sentiment\"]}",
        StandardCharsets.UTF_8);
    ReelsenseConfig config =
        ReelsenseConfig.of(
            Map.of(ReelsenseConfig.BUNDLE, dir.toString(), ReelsenseConfig.EMBEDDER, "none"));
    assertThat(Preflight.inferenceLine(config))
        .isEqualTo(
            "inference: tfidf-lr classifier on the JVM (CPU); no DJL engine in use (embeddings"
                + " off)");
    ReelsenseConfig cpu = config.with(Map.of(ReelsenseConfig.EMBEDDER, "bge-small"));
    assertThat(Preflight.inferenceLine(cpu))
        .startsWith("inference: PyTorch ")
        .endsWith("; the tfidf-lr classifier itself runs on the JVM (CPU)");
  }

  @Test
  void cpuIsAlwaysThereAndTheStartupLineNamesEngineVersionAndDevice() {
    Preflight.Inference inference =
        Preflight.device(ReelsenseConfig.of(Map.of(ReelsenseConfig.DEVICE, "cpu")));
    assertThat(inference.engine()).isEqualTo("PyTorch");
    assertThat(inference.version()).matches("\\d+\\.\\d+\\.\\d+.*");
    assertThat(inference.line())
        .startsWith("inference: PyTorch " + inference.version() + " (DJL ")
        .contains(") on cpu()");
  }
}
