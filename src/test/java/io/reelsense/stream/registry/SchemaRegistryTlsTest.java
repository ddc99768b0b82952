package io.reelsense.stream.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's TLS options against the embedded registry over HTTPS, with a self-signed certificate
 * the test makes with the JDK's keytool.
 */
class SchemaRegistryTlsTest {

  private static final String PASSWORD = "changeit";
  private static final String SCHEMA =
      "{\"type\":\"record\",\"name\":\"T\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"}]}";

  @TempDir static Path dir;
  private static Path keystore;
  private static Path truststore;

  @BeforeAll
  static void certificates() throws Exception {
    keystore = dir.resolve("registry.p12");
    // one self-signed certificate serves as server identity, client identity and trust anchor
    // (the JDK trusts the certificate of a PKCS12 key entry)
    truststore = keystore;
    keytool(
        "-genkeypair",
        "-alias",
        "registry",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=localhost",
        "-ext",
        "SAN=ip:127.0.0.1,dns:localhost",
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        keystore.toString(),
        "-storepass",
        PASSWORD,
        "-keypass",
        PASSWORD);
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor()).as(output).isZero();
  }

  private static KeyStore load(Path path) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(path)) {
      store.load(in, PASSWORD.toCharArray());
    }
    return store;
  }

  private static SSLContext serverContext() throws Exception {
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(load(keystore), PASSWORD.toCharArray());
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(load(truststore));
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
    return context;
  }

  @Test
  void clientTrustsTheRegistryThroughItsTruststore() throws Exception {
    try (EmbeddedSchemaRegistry registry =
        EmbeddedSchemaRegistry.builder().tls(serverContext(), false).start()) {
      assertThat(registry.url()).startsWith("https://127.0.0.1:");

      SchemaRegistryClient trusting =
          SchemaRegistryClient.fromConfig(
              Map.of(
                  SchemaRegistryClient.URL_CONFIG,
                  registry.url(),
                  SchemaRegistryClient.TRUSTSTORE_LOCATION_CONFIG,
                  truststore.toString(),
                  SchemaRegistryClient.TRUSTSTORE_PASSWORD_CONFIG,
                  PASSWORD,
                  SchemaRegistryClient.TRUSTSTORE_TYPE_CONFIG,
                  "PKCS12"));
      assertThat(trusting.registerSchema("t-value", SCHEMA)).isEqualTo(1);
      assertThat(trusting.subjects()).containsExactly("t-value");

      SchemaRegistryClient untrusting = SchemaRegistryClient.of(registry.url());
      assertThatThrownBy(untrusting::subjects)
          .isInstanceOf(SchemaRegistryException.class)
          .satisfies(
              e ->
                  assertThat(((SchemaRegistryException) e).errorCode())
                      .isEqualTo(SchemaRegistryException.UNREACHABLE));
    }
  }

  @Test
  void mutualTlsPresentsTheClientCertificate() throws Exception {
    try (EmbeddedSchemaRegistry registry =
        EmbeddedSchemaRegistry.builder().tls(serverContext(), true).start()) {
      SchemaRegistryClient anonymous =
          SchemaRegistryClient.builder(registry.url())
              .truststore(truststore, PASSWORD.toCharArray(), "PKCS12")
              .build();
      assertThatThrownBy(anonymous::subjects).isInstanceOf(SchemaRegistryException.class);

      SchemaRegistryClient identified =
          SchemaRegistryClient.builder(registry.url())
              .truststore(truststore, PASSWORD.toCharArray(), "PKCS12")
              .keystore(keystore, PASSWORD.toCharArray(), null, "PKCS12")
              .build();
      assertThat(identified.subjects()).isEmpty();
    }
  }
}
