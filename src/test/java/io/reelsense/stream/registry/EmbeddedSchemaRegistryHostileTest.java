package io.reelsense.stream.registry;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Malformed, oversized and wrongly typed requests to the embedded registry, over raw sockets: each
 * gets a 4xx with one readable line, and the server stays up with a flat heap.
 */
class EmbeddedSchemaRegistryHostileTest {

  private static final String SCHEMA =
      "{\"type\":\"record\",\"name\":\"T\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"}]}";

  private EmbeddedSchemaRegistry registry;
  private String url;

  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

  @BeforeEach
  void start() {
    ((Logger) LoggerFactory.getLogger("io.reelsense.stream.registry")).addAppender(logged);
    logged.start();
    registry = EmbeddedSchemaRegistry.start();
    url = registry.url();
  }

  @AfterEach
  void stop() {
    registry.close();
    ((Logger) LoggerFactory.getLogger("io.reelsense.stream.registry")).detachAppender(logged);
    // a client's mistake is never logged as a warning or error, nor with a stack trace
    assertThat(logged.list)
        .filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN) || e.getThrowableProxy() != null)
        .isEmpty();
  }

  /** One request written byte for byte; the status line's code and the body. */
  private record Raw(int status, String body) {}

  private Raw raw(String head, byte[] body) throws IOException {
    URI uri = URI.create(url);
    try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(head.getBytes(StandardCharsets.ISO_8859_1));
      if (body != null) {
        try {
          out.write(body);
        } catch (IOException e) {
          // the server may answer and close before reading an oversized body
        }
      }
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      int n;
      try {
        while ((n = in.read(buffer)) > 0) {
          answer.write(buffer, 0, n);
        }
      } catch (IOException e) {
        // a reset after the answer was read
      }
      String text = answer.toString(StandardCharsets.UTF_8);
      int status = Integer.parseInt(text.substring(9, 12));
      int split = text.indexOf("\r\n\r\n");
      return new Raw(status, split < 0 ? "" : text.substring(split + 4));
    }
  }

  private Raw post(String path, String contentType, byte[] body) throws IOException {
    return raw(
        "POST "
            + path
            + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
            + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
            + "Content-Length: "
            + body.length
            + "\r\n\r\n",
        body);
  }

  private static byte[] schemaBody(String schema) throws IOException {
    return new ObjectMapper()
        .createObjectNode()
        .put("schema", schema)
        .toString()
        .getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void wrongContentTypeIs415AndRegistersNothing() throws Exception {
    for (String type :
        new String[] {
          "text/plain", "application/x-www-form-urlencoded", "multipart/form-data", null
        }) {
      Raw answer = post("/subjects/t-value/versions", type, schemaBody(SCHEMA));
      assertThat(answer.status()).as("Content-Type %s", type).isEqualTo(415);
      assertThat(new ObjectMapper().readTree(answer.body()).path("error_code").asInt())
          .isEqualTo(415);
    }
    assertThat(RawHttp.get(url + "/subjects").body()).isEqualTo("[]");
    for (String type :
        new String[] {
          "application/vnd.schemaregistry.v1+json",
          "application/vnd.schemaregistry+json",
          "application/json; charset=utf-8",
          "application/octet-stream"
        }) {
      assertThat(post("/subjects/t-value/versions", type, schemaBody(SCHEMA)).status())
          .as("Content-Type %s", type)
          .isEqualTo(200);
    }
  }

  @Test
  void oversizedBodyIs413BeforeItIsRead() throws Exception {
    byte[] huge = new byte[64 * 1024 * 1024];
    java.util.Arrays.fill(huge, (byte) ' ');
    long start = System.nanoTime();
    Raw answer = post("/subjects/t-value/versions", "application/json", huge);
    assertThat(answer.status()).isEqualTo(413);
    assertThat(new ObjectMapper().readTree(answer.body()).path("message").asText())
        .contains("limit");
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(10_000);
  }

  @Test
  void malformedPercentEscapeIs400() throws Exception {
    Raw answer =
        raw(
            "GET /subjects/%zz/versions HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
            null);
    // the JDK's server refuses an escape java.net.URI cannot parse before the registry sees it
    assertThat(answer.status()).isEqualTo(400);
    Raw incomplete =
        raw(
            "GET /subjects/%C3/versions HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
            null);
    assertThat(incomplete.status()).isEqualTo(404);
    assertThat(new ObjectMapper().readTree(incomplete.body()).path("error_code").asInt())
        .isEqualTo(40401);
    Raw query =
        raw(
            "GET /config/x?defaultToGlobal=%G1 HTTP/1.1\r\nHost: localhost\r\nConnection:"
                + " close\r\n\r\n",
            null);
    assertThat(query.status()).isEqualTo(400);
  }

  @Test
  void errorAnswersDoNotEchoTheWholeSchema() throws Exception {
    String invalid = "{\"type\":\"nope\",\"doc\":\"" + "x".repeat(200_000) + "\"}";
    Raw answer = post("/subjects/t-value/versions", "application/json", schemaBody(invalid));
    assertThat(answer.status()).isEqualTo(422);
    assertThat(answer.body().length()).isLessThan(2_000);
  }

  @Test
  void thousandsOfHostileRequestsEachGet4xxAndTheHeapStaysFlat() throws Exception {
    Random random = new Random(7);
    byte[] big = new byte[3 * 1024 * 1024];
    int requests = 3_000;
    long deadline = System.nanoTime() + 90_000_000_000L;
    long before = 0;
    int sent = 0;
    for (int i = 0; i < requests && System.nanoTime() < deadline; i++) {
      if (i == 200) {
        before = usedHeapAfterGc();
      }
      Raw answer =
          switch (i % 6) {
            case 0 -> post("/subjects/s" + i + "/versions", "text/plain", schemaBody(SCHEMA));
            case 1 -> post("/subjects/s/versions", "application/json", big);
            case 2 ->
                raw(
                    "GET /subjects/%"
                        + (char) ('g' + random.nextInt(10))
                        + "1 HTTP/1.1\r\nHost:"
                        + " x\r\nConnection: close\r\n\r\n",
                    null);
            case 3 -> {
              byte[] junk = new byte[1 + random.nextInt(2048)];
              random.nextBytes(junk);
              yield post("/subjects/s/versions", "application/json", junk);
            }
            case 4 ->
                post(
                    "/subjects/s/versions",
                    "application/json",
                    schemaBody("{\"type\":\"" + "y".repeat(random.nextInt(50_000)) + "\"}"));
            default ->
                raw(
                    "GET /schemas/ids/"
                        + random.nextInt()
                        + " HTTP/1.1\r\nHost: x\r\nConnection:"
                        + " close\r\n\r\n",
                    null);
          };
      assertThat(answer.status()).as("request %d", i).isBetween(400, 499);
      sent++;
    }
    long after = usedHeapAfterGc();
    System.out.printf(
        "hostile requests: %d answered 4xx; used heap after GC %d KiB at request 200, %d KiB"
            + " at the end%n",
        sent, before / 1024, after / 1024);
    assertThat(sent).isGreaterThanOrEqualTo(1_000);
    assertThat(after - before).isLessThan(32L * 1024 * 1024);
    assertThat(RawHttp.get(url + "/subjects").status()).isEqualTo(200);
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    Runtime runtime = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
    }
    return runtime.totalMemory() - runtime.freeMemory();
  }
}
