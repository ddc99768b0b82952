package io.reelsense.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reelsense.model.encoder.Precision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReelsenseConfigTest {

  @TempDir Path dir;

  @Test
  void defaultsAreUsableAndExactlyOnce() {
    ReelsenseConfig c = ReelsenseConfig.defaults();
    assertThat(c.bootstrapServers()).isEqualTo("localhost:9092");
    assertThat(c.registryUrl()).isEqualTo("http://localhost:8081");
    assertThat(c.topics()).isEqualTo(Topics.defaults());
    assertThat(c.processingGuarantee()).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
    assertThat(c.httpHost()).isEqualTo("127.0.0.1");
    assertThat(c.embedder()).isEqualTo("auto");
    assertThat(c.embeddingsEnabled()).isTrue();
    assertThat(c.bundle()).isEmpty();
    assertThat(c.batchSize()).isEqualTo(64);
    assertThat(c.batchMaxWait()).isEqualTo(Duration.ofMillis(100));
    Properties p = c.streamsProperties();
    assertThat(p.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo("exactly_once_v2");
    assertThat(p.get(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo("reelsense");
    assertThat(c.stateDir().startsWith(Path.of(System.getProperty("java.io.tmpdir"))))
        .as("Kafka Streams warns about a state directory the OS may clear: %s", c.stateDir())
        .isFalse();
    assertThat(c.stateDir().startsWith(Path.of(System.getProperty("user.home")))).isTrue();
  }

  @Test
  void fileThenEnvThenOverridesEachWin() throws Exception {
    Path file = dir.resolve("reelsense.properties");
    Files.writeString(
        file,
        "bootstrap.servers=file:9092\n"
            + "batch.size=8\n"
            + "topic.reviews=in\n"
            + "model.embedder=none\n"
            + "kafka.security.protocol=SASL_SSL\n"
            + "kafka.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule"
            + " required username=\"u\" password=\"hunter2\";\n"
            + "basic.auth.user.info=reg:s3cret\n");
    ReelsenseConfig c =
        ReelsenseConfig.load(
            file,
            Map.of(
                "REELSENSE_BOOTSTRAP_SERVERS", "env:9092",
                "REELSENSE_BATCH_SIZE", "16",
                "REELSENSE_DATA", "/elsewhere"),
            Map.of("batch.size", "32"));
    assertThat(c.bootstrapServers()).isEqualTo("env:9092");
    assertThat(c.source("bootstrap.servers")).isEqualTo(ReelsenseConfig.Source.ENV);
    assertThat(c.batchSize()).isEqualTo(32);
    assertThat(c.topics().reviews()).isEqualTo("in");
    assertThat(c.embeddingsEnabled()).isFalse();
    assertThat(c.kafkaProperties()).containsEntry("security.protocol", "SASL_SSL");
    assertThat(c.streamsProperties()).containsEntry("security.protocol", "SASL_SSL");
    assertThat(c.clientProperties()).containsEntry("bootstrap.servers", "env:9092");
    assertThat(c.registryProperties()).containsEntry("basic.auth.user.info", "reg:s3cret");

    String shown = c.describe() + c.toString() + c.masked();
    assertThat(shown).doesNotContain("hunter2").doesNotContain("s3cret").contains("******");
    assertThat(c.describe()).contains("batch.size = 32 (override)");
  }

  @Test
  void invalidValuesFailNamingTheKeySourceAndReason() {
    assertThatThrownBy(() -> ReelsenseConfig.of(Map.of("batch.size", "abc")))
        .isInstanceOf(ConfigError.class)
        .hasMessage("invalid configuration batch.size=abc (from the command line): not an integer");
    assertThatThrownBy(
            () -> ReelsenseConfig.load(null, Map.of("REELSENSE_BATCH_MAX_WAIT_MS", "0"), Map.of()))
        .hasMessage(
            "invalid configuration batch.max.wait.ms=0 (from env REELSENSE_BATCH_MAX_WAIT_MS):"
                + " must be between 1 and 3600000");
    assertThatThrownBy(() -> ReelsenseConfig.of(Map.of("bootstrap.servers", "nohost")))
        .hasMessageContaining("bootstrap.servers=nohost")
        .hasMessageContaining("is not host:port");
    assertThatThrownBy(() -> ReelsenseConfig.of(Map.of("schema.registry.url", "ftp://x")))
        .hasMessageContaining("schema.registry.url");
    assertThatThrownBy(() -> ReelsenseConfig.of(Map.of("topic.reviews-dlq", "reviews")))
        .hasMessageContaining("topic 'reviews' is already used by topic.reviews");
    assertThatThrownBy(() -> ReelsenseConfig.of(Map.of("topic.films", "bad name")))
        .hasMessageContaining("topic.films");
    assertThatThrownBy(() -> ReelsenseConfig.of(Map.of("model.device", "tpu")))
        .hasMessageContaining("model.device=tpu");
    assertThatThrownBy(() -> ReelsenseConfig.of(Map.of("http.port", "70000")))
        .hasMessageContaining("outside 0-65535");
    assertThatThrownBy(() -> ReelsenseConfig.of(Map.of("processing.guarantee", "exactly_once")))
        .hasMessageContaining("processing.guarantee");
    assertThatThrownBy(
            () -> ReelsenseConfig.of(Map.of("model.bundle", dir.resolve("no").toString())))
        .hasMessageContaining("model.bundle=")
        .hasMessageContaining("does not exist");
    assertThatThrownBy(() -> ReelsenseConfig.of(Map.of("basic.auth.user.info", "secretonly")))
        .hasMessage(
            "invalid configuration basic.auth.user.info=****** (from the command line):"
                + " must be user:password");
    assertThatThrownBy(() -> ReelsenseConfig.of(Map.of("kafka.application.id", "x")))
        .hasMessageContaining("set 'application.id' itself");
  }

  @Test
  void precisionIsAKeyWithAnEnvVariableAndFp16NeedsAGpu() {
    assertThat(ReelsenseConfig.defaults().precision()).isEqualTo(Precision.FP32);
    assertThat(
            ReelsenseConfig.load(null, Map.of("REELSENSE_MODEL_PRECISION", "fp16"), Map.of())
                .precision())
        .isEqualTo(Precision.FP16);
    assertThatThrownBy(
            () -> ReelsenseConfig.of(Map.of("model.precision", "fp16", "model.device", "cpu")))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("model.precision=fp16")
        .hasMessageContaining("fp16 runs only on a GPU");
    assertThatThrownBy(() -> ReelsenseConfig.of(Map.of("model.precision", "bf16")))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("model.precision=bf16")
        .hasMessageContaining("not available");
  }

  @Test
  void unknownKeysAndMissingFilesAreErrors() {
    assertThatThrownBy(() -> ReelsenseConfig.of(Map.of("batch.sise", "3")))
        .isInstanceOf(ConfigError.class)
        .hasMessageStartingWith("unknown configuration key 'batch.sise' given");
    assertThatThrownBy(
            () -> ReelsenseConfig.load(dir.resolve("none.properties"), Map.of(), Map.of()))
        .hasMessageContaining("does not exist");
  }

  @Test
  void envNamesFollowTheKeys() {
    assertThat(ReelsenseConfig.envName("bootstrap.servers"))
        .isEqualTo("REELSENSE_BOOTSTRAP_SERVERS");
    assertThat(ReelsenseConfig.envName("topic.reviews-dlq"))
        .isEqualTo("REELSENSE_TOPIC_REVIEWS_DLQ");
    assertThat(ReelsenseConfig.documentation()).containsKey("batch.size");
  }
}
