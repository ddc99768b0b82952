package io.reelsense.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** What the start-up listing, {@code toString()} and the JSON report may show of a secret. */
class SecretMaskingTest {

  private static String shown(ReelsenseConfig c) {
    return c.describe() + "\n" + c + "\n" + c.masked();
  }

  @Test
  void everySettingKafkaDeclaresAPasswordIsMasked() {
    Map<String, String> overrides = new LinkedHashMap<>();
    int i = 0;
    for (ConfigDef def :
        new ConfigDef[] {
          ProducerConfig.configDef(),
          ConsumerConfig.configDef(),
          AdminClientConfig.configDef(),
          StreamsConfig.configDef()
        }) {
      for (ConfigDef.ConfigKey key : def.configKeys().values()) {
        if (key.type == ConfigDef.Type.PASSWORD) {
          overrides.put("kafka." + key.name, "pw-" + i++);
        }
      }
    }
    // Kafka 4.1's passphrase of the OAuth assertion key: none of "password", "secret", "jaas" ...
    assertThat(overrides).containsKey("kafka.sasl.oauthbearer.assertion.private.key.passphrase");
    ReelsenseConfig c = ReelsenseConfig.of(overrides);

    String shown = shown(c);
    for (String value : overrides.values()) {
      assertThat(shown).doesNotContain(value + " ").doesNotContain(value + ",");
      assertThat(c.masked()).doesNotContainValue(value);
    }
    assertThat(c.masked())
        .containsEntry("kafka.sasl.oauthbearer.assertion.private.key.passphrase", "******");
    // the clients still get the real value
    assertThat(c.kafkaProperties().get("sasl.oauthbearer.assertion.private.key.passphrase"))
        .isEqualTo(overrides.get("kafka.sasl.oauthbearer.assertion.private.key.passphrase"));
  }

  @Test
  void aPasswordAimedAtOneStreamsClientIsMasked() {
    ReelsenseConfig c =
        ReelsenseConfig.of(
            Map.of(
                "kafka.producer.sasl.oauthbearer.assertion.private.key.passphrase", "pp-prod",
                "kafka.main.consumer.ssl.keystore.certificate.chain", "chain-main"));
    assertThat(shown(c)).doesNotContain("pp-prod").doesNotContain("chain-main");
    assertThat(ReelsenseConfig.isSecret("kafka.ssl.keystore.key")).isTrue();
    assertThat(ReelsenseConfig.isSecret("kafka.security.protocol")).isFalse();
    assertThat(ReelsenseConfig.isSecret("kafka.ssl.keystore.location")).isFalse();
  }

  @Test
  void credentialsInTheRegistryUrlAreMasked() {
    ReelsenseConfig c =
        ReelsenseConfig.of(
            Map.of(
                "schema.registry.url",
                "https://alice:reg-pw-1@reg1.example:8081,https://bob:reg-pw-2@reg2.example"));
    String shown = shown(c);
    assertThat(shown).doesNotContain("reg-pw-1").doesNotContain("reg-pw-2").doesNotContain("alice");
    assertThat(c.masked())
        .containsEntry(
            "schema.registry.url", "https://******@reg1.example:8081,https://******@reg2.example");
    // the clients still get the real URL
    assertThat(c.registryProperties().get("schema.registry.url").toString()).contains("reg-pw-1");
  }

  @Test
  void anInvalidRegistryUrlIsReportedWithoutItsCredentials() {
    assertThatThrownBy(
            () ->
                ReelsenseConfig.of(
                    Map.of("schema.registry.url", "ftp://carol:reg-pw-3@reg.example")))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("ftp://******@reg.example")
        .message()
        .doesNotContain("reg-pw-3");
  }
}
