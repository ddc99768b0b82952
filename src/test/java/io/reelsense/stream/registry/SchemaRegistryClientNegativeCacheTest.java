package io.reelsense.stream.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
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
}
