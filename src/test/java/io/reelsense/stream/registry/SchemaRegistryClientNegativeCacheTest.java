package io.reelsense.stream.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Unknown schema ids are remembered as unknown for a while, so hostile ids cost no round trip. */
class SchemaRegistryClientNegativeCacheTest {

  private HttpServer server;
  private final AtomicInteger calls = new AtomicInteger();
  private String url;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext(
        "/",
        exchange -> {
          calls.incrementAndGet();
          String path = exchange.getRequestURI().getPath();
          byte[] body =
              (path.equals("/schemas/ids/1")
                      ? "{\"schema\":\"\\\"string\\\"\"}"
                      : "{\"error_code\":40403,\"message\":\"Schema not found\"}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", RegistryProtocol.CONTENT_TYPE);
          exchange.sendResponseHeaders(path.equals("/schemas/ids/1") ? 200 : 404, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    url = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void anUnknownIdAskedManyTimesCostsOneRoundTrip() {
    SchemaRegistryClient client = SchemaRegistryClient.of(url);
    for (int i = 0; i < 500; i++) {
      assertThatThrownBy(() -> client.schemaById(77))
          .isInstanceOfSatisfying(
              SchemaRegistryException.class,
              e -> assertThat(e.errorCode()).isEqualTo(RegistryProtocol.SCHEMA_NOT_FOUND));
    }
    assertThat(calls.get()).isEqualTo(1);
  }

  @Test
  void deserializerDeadLettersRepeatedUnknownIdsWithoutRoundTrips() {
    AvroDeserializer<?> deserializer = AvroDeserializer.generic(SchemaRegistryClient.of(url));
    byte[] record = {0, 0, 0, 0, 42, 2, 'a'};
    for (int i = 0; i < 200; i++) {
      assertThatThrownBy(() -> deserializer.deserialize("t", record))
          .isInstanceOf(UnknownSchemaIdException.class)
          .hasMessage("unknown schema id 42");
    }
    assertThat(calls.get()).isEqualTo(1);
  }

  @Test
  void theCacheIsBoundedInSize() {
    SchemaRegistryClient client =
        SchemaRegistryClient.builder(url).unknownIdCache(100, Duration.ofMinutes(5)).build();
    for (int id = 1000; id < 1300; id++) {
      assertUnknown(client, id);
    }
    assertThat(calls.get()).isEqualTo(300);
    // the 100 most recent are remembered, the 200 before them were let go
    for (int id = 1200; id < 1300; id++) {
      assertUnknown(client, id);
    }
    assertThat(calls.get()).isEqualTo(300);
    assertUnknown(client, 1000);
    assertThat(calls.get()).isEqualTo(301);
  }

  @Test
  void theCacheIsBoundedInTime() throws Exception {
    SchemaRegistryClient client =
        SchemaRegistryClient.builder(url).unknownIdCache(10, Duration.ofMillis(300)).build();
    assertUnknown(client, 7);
    assertUnknown(client, 7);
    assertThat(calls.get()).isEqualTo(1);
    Thread.sleep(400);
    assertUnknown(client, 7);
    assertThat(calls.get()).isEqualTo(2);
  }

  private static void assertUnknown(SchemaRegistryClient client, int id) {
    assertThatThrownBy(() -> client.schemaById(id))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> assertThat(e.errorCode()).isEqualTo(RegistryProtocol.SCHEMA_NOT_FOUND));
  }

  @Test
  void aKnownIdIsNeverRememberedAsUnknownAndOtherErrorsAreNotCached() {
    SchemaRegistryClient client = SchemaRegistryClient.of(url);
    assertThat(client.schemaById(1).getType()).isEqualTo(org.apache.avro.Schema.Type.STRING);
    assertThat(client.schemaById(1).getType()).isEqualTo(org.apache.avro.Schema.Type.STRING);
    assertThat(calls.get()).isEqualTo(1);
    server.stop(0);
    SchemaRegistryClient unreachable =
        SchemaRegistryClient.builder(url)
            .timeouts(Duration.ofSeconds(2), Duration.ofSeconds(2))
            .build();
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> unreachable.schemaById(5))
          .isInstanceOfSatisfying(
              SchemaRegistryException.class,
              e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.UNREACHABLE));
    }
  }
}
