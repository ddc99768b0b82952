package io.reelsense.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.reelsense.stream.registry.EmbeddedSchemaRegistry;
import io.reelsense.stream.registry.SchemaRegistryClient;
import io.reelsense.stream.registry.SchemaRegistryException;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Kafka SASL_SSL/SSL settings reach every client Kafka Streams makes; registry basic auth and TLS
 * reach the registry client; no secret is ever printed or logged.
 */
class SecuritySettingsTest {

  private static final String JAAS_SECRET = "jaas-s3cret-91";
  private static final String REGISTRY_SECRET = "reg-s3cret-92";
  private static final String TRUST_SECRET = "trust-s3cret-93";
  private static final String JAAS =
      "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"svc\""
          + " password=\""
          + JAAS_SECRET
          + "\";";

  @TempDir Path dir;

  private Map<String, String> secureEnv() throws IOException {
    Path truststore = Files.write(dir.resolve("truststore.p12"), new byte[] {1});
    Map<String, String> env = new LinkedHashMap<>();
    env.put("REELSENSE_KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
    env.put("REELSENSE_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512");
    env.put("REELSENSE_KAFKA_SASL_JAAS_CONFIG", JAAS);
    env.put("REELSENSE_KAFKA_SSL_TRUSTSTORE_LOCATION", truststore.toString());
    env.put("REELSENSE_KAFKA_SSL_TRUSTSTORE_PASSWORD", TRUST_SECRET);
    env.put("REELSENSE_SCHEMA_REGISTRY_URL", "https://registry.example:8081");
    env.put("REELSENSE_BASIC_AUTH_USER_INFO", "svc:" + REGISTRY_SECRET);
    env.put("REELSENSE_SCHEMA_REGISTRY_SSL_TRUSTSTORE_LOCATION", truststore.toString());
    env.put("REELSENSE_SCHEMA_REGISTRY_SSL_TRUSTSTORE_PASSWORD", TRUST_SECRET);
    env.put("PATH", "/usr/bin");
    return env;
  }

  @Test
  void kafkaSecuritySettingsFromTheEnvironmentReachEveryClientOfKafkaStreams() throws IOException {
    ReelsenseConfig config = ReelsenseConfig.load(null, secureEnv(), Map.of());
    assertThat(config.kafkaProperties())
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("sasl.jaas.config", JAAS)
        .containsEntry("ssl.truststore.password", TRUST_SECRET);
    assertThat(config.source("kafka.sasl.jaas.config")).isEqualTo(ReelsenseConfig.Source.ENV);

    StreamsConfig streams = new StreamsConfig(config.streamsProperties());
    List<Map<String, Object>> clients =
        List.of(
            streams.getMainConsumerConfigs("reelsense", "c1", 0),
            streams.getRestoreConsumerConfigs("c2"),
            streams.getGlobalConsumerConfigs("c3"),
            streams.getProducerConfigs("c4"),
            streams.getAdminConfigs("c5"),
            config.clientProperties());
    for (Map<String, Object> client : clients) {
      assertThat(client)
          .containsEntry(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL")
          .containsEntry(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512")
          .containsEntry(SaslConfigs.SASL_JAAS_CONFIG, JAAS)
          .containsEntry(
              SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, dir.resolve("truststore.p12").toString())
          .containsEntry(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, TRUST_SECRET);
    }
    // every client parses them (the JAAS text and passwords become hidden Password values)
    Map<String, Object> plain = config.clientProperties();
    assertThat(new AdminClientConfig(plain).getPassword(SaslConfigs.SASL_JAAS_CONFIG).value())
        .isEqualTo(JAAS);
    Map<String, Object> producer = new LinkedHashMap<>(plain);
    producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    producer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    assertThat(new ProducerConfig(producer).getString("security.protocol")).isEqualTo("SASL_SSL");
    Map<String, Object> consumer = new LinkedHashMap<>(plain);
    consumer.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    consumer.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    assertThat(new ConsumerConfig(consumer).getString("sasl.mechanism")).isEqualTo("SCRAM-SHA-512");
  }

  @Test
  void sslSettingsFromAPropertiesFilePassThroughToo() throws IOException {
    Path keystore = Files.write(dir.resolve("client.p12"), new byte[] {1});
    Path file = dir.resolve("reelsense.properties");
    Files.writeString(
        file,
        "kafka.security.protocol=SSL\n"
            + "kafka.ssl.keystore.location="
            + keystore
            + "\nkafka.ssl.keystore.password="
            + TRUST_SECRET
            + "\nkafka.ssl.endpoint.identification.algorithm=https\n",
        StandardCharsets.UTF_8);
    ReelsenseConfig config = ReelsenseConfig.load(file, Map.of(), Map.of());
    Map<String, Object> admin = new StreamsConfig(config.streamsProperties()).getAdminConfigs("a");
    assertThat(admin)
        .containsEntry("security.protocol", "SSL")
        .containsEntry("ssl.keystore.location", keystore.toString())
        .containsEntry("ssl.endpoint.identification.algorithm", "https");
    assertThat(config.describe()).doesNotContain(TRUST_SECRET);
  }

  @Test
  void registryBasicAuthAndTlsSettingsReachTheRegistryClient() throws IOException {
    ReelsenseConfig config = ReelsenseConfig.load(null, secureEnv(), Map.of());
    assertThat(config.registryProperties())
        .containsEntry(SchemaRegistryClient.URL_CONFIG, "https://registry.example:8081")
        .containsEntry(SchemaRegistryClient.BASIC_AUTH_USER_INFO_CONFIG, "svc:" + REGISTRY_SECRET)
        .containsEntry(
            SchemaRegistryClient.TRUSTSTORE_LOCATION_CONFIG,
            dir.resolve("truststore.p12").toString())
        .containsEntry(SchemaRegistryClient.TRUSTSTORE_PASSWORD_CONFIG, TRUST_SECRET);
    // the client really loads the truststore named in the configuration: this one is no PKCS12
    assertThatThrownBy(() -> SchemaRegistryClient.fromConfig(config.registryProperties()))
        .hasMessageContaining(dir.resolve("truststore.p12").toString())
        .message()
        .doesNotContain(TRUST_SECRET);

    try (EmbeddedSchemaRegistry registry =
        EmbeddedSchemaRegistry.builder().basicAuth("svc", REGISTRY_SECRET).start()) {
      ReelsenseConfig plain =
          ReelsenseConfig.load(
              null,
              Map.of(
                  "REELSENSE_SCHEMA_REGISTRY_URL",
                  registry.url(),
                  "REELSENSE_BASIC_AUTH_USER_INFO",
                  "svc:" + REGISTRY_SECRET),
              Map.of());
      SchemaRegistryClient client = SchemaRegistryClient.fromConfig(plain.registryProperties());
      assertThat(client.subjects()).isEmpty();
      assertThat(client.toString()).doesNotContain(REGISTRY_SECRET);
      SchemaRegistryClient anonymous =
          SchemaRegistryClient.fromConfig(
              Map.of(SchemaRegistryClient.URL_CONFIG, plain.registryUrl()));
      assertThatThrownBy(anonymous::subjects)
          .isInstanceOf(SchemaRegistryException.class)
          .satisfies(e -> assertThat(((SchemaRegistryException) e).httpStatus()).isEqualTo(401));
    }
  }

  @Test
  void noSecretAppearsInTheStartupPrintTheErrorsOrTheLogs() throws IOException {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Logger kafka = context.getLogger("org.apache.kafka");
    Logger reelsense = context.getLogger("io.reelsense");
    Level rootLevel = root.getLevel();
    Level kafkaLevel = kafka.getLevel();
    Level reelsenseLevel = reelsense.getLevel();
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.setContext(context);
    appender.start();
    root.addAppender(appender);
    // Kafka prints every client's configuration at INFO: let it
    root.setLevel(Level.INFO);
    kafka.setLevel(Level.INFO);
    reelsense.setLevel(Level.DEBUG);
    List<String> printed = new ArrayList<>();
    try {
      Map<String, String> env = new LinkedHashMap<>(secureEnv());
      env.remove("REELSENSE_SCHEMA_REGISTRY_SSL_TRUSTSTORE_LOCATION");
      env.remove("REELSENSE_SCHEMA_REGISTRY_SSL_TRUSTSTORE_PASSWORD");
      env.put("REELSENSE_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT");
      env.put("REELSENSE_KAFKA_SASL_MECHANISM", "PLAIN");
      env.put(
          "REELSENSE_KAFKA_SASL_JAAS_CONFIG",
          "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"svc\""
              + " password=\""
              + JAAS_SECRET
              + "\";");
      int closed;
      try (ServerSocket s = new ServerSocket(0)) {
        closed = s.getLocalPort();
      }
      env.put("REELSENSE_BOOTSTRAP_SERVERS", "127.0.0.1:" + closed);
      ReelsenseConfig config = ReelsenseConfig.load(null, env, Map.of());
      printed.add(config.describe());
      printed.add(config.toString());
      printed.add(config.masked().toString());
      assertThat(config.describe())
          .contains("kafka.sasl.jaas.config = ****** (env)")
          .contains("basic.auth.user.info = ****** (env)");
      // the admin client of the broker check logs its whole configuration, then fails
      assertThatThrownBy(() -> Preflight.broker(config, Duration.ofSeconds(1)))
          .satisfies(e -> printed.add(e.getMessage()));
      try (EmbeddedSchemaRegistry registry =
          EmbeddedSchemaRegistry.builder().basicAuth("svc", "other").start()) {
        ReelsenseConfig withRegistry =
            config.with(Map.of(ReelsenseConfig.REGISTRY_URL, registry.url()));
        assertThatThrownBy(() -> Preflight.registry(withRegistry, Duration.ofSeconds(2)))
            .satisfies(e -> printed.add(e.getMessage()));
      }
      // a bad value of a secret key is reported without the value
      assertThatThrownBy(
              () -> config.with(Map.of(ReelsenseConfig.REGISTRY_BASIC_AUTH, REGISTRY_SECRET)))
          .satisfies(e -> printed.add(e.getMessage()));
    } finally {
      root.detachAppender(appender);
      root.setLevel(rootLevel);
      kafka.setLevel(kafkaLevel);
      reelsense.setLevel(reelsenseLevel);
    }
    List<String> logged = new ArrayList<>();
    for (ILoggingEvent e : appender.list) {
      logged.add(e.getFormattedMessage());
      if (e.getThrowableProxy() != null) {
        logged.add(ThrowableProxyUtil.asString(e.getThrowableProxy()));
      }
    }
    assertThat(String.join("\n", logged))
        .as("the Kafka clients did log their configuration")
        .contains("sasl.jaas.config = [hidden]");
    for (String text : List.of(String.join("\n", printed), String.join("\n", logged))) {
      assertThat(text)
          .doesNotContain(JAAS_SECRET)
          .doesNotContain(REGISTRY_SECRET)
          .doesNotContain(TRUST_SECRET);
    }
  }
}
