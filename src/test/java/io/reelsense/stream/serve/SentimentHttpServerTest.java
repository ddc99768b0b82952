package io.reelsense.stream.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.reelsense.model.ReviewClassifier;
import io.reelsense.model.ReviewPrediction;
import io.reelsense.stream.review.ReviewScorer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The query server alone, without Kafka: URL checks, ownership, and that queries cannot starve it.
 */
class SentimentHttpServerTest {

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private SentimentHttpServer server;

  @AfterEach
  void close() {
    if (server != null) {
      server.close();
    }
  }

  private String base() {
    return "http://127.0.0.1:" + server.address().getPort();
  }

  /** Sends a raw request line, as a client that does not check its escapes would. */
  private String raw(String requestLine) throws Exception {
    try (Socket s = new Socket("127.0.0.1", server.address().getPort())) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write(
          (requestLine + "\r\nHost: x\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void aMalformedEscapeIsA400NotADroppedConnection() throws Exception {
    server = SentimentHttpServer.bind("127.0.0.1", 0);
    // the JDK's own URI parsing refuses these before any handler; the guard covers the rest
    assertThat(raw("GET /films/%zz/sentiment HTTP/1.1")).startsWith("HTTP/1.1 400");
    assertThat(raw("GET /films/similar?text=abc%2 HTTP/1.1")).startsWith("HTTP/1.1 400");
    assertThat(SentimentHttpServer.badEscape("/films/%zz/sentiment")).isEqualTo("%zz");
    assertThat(SentimentHttpServer.badEscape("text=abc%2")).isEqualTo("%2");
    assertThat(SentimentHttpServer.badEscape("text=a%20b%C3%A9")).isNull();
    assertThat(raw("GET /films/similar?text=" + "a".repeat(9000) + " HTTP/1.1"))
        .startsWith("HTTP/1.1 414")
        .contains("at most 8192");
  }

  @Test
  void anInstanceBoundToTheWildcardOwnsOnlyItsAdvertisedAddress() {
    server = SentimentHttpServer.bind("0.0.0.0", 0);
    int port = server.address().getPort();
    server.advertise("10.0.0.1:" + port);
    assertThat(server.hostAndPort()).isEqualTo("10.0.0.1:" + port);
    assertThat(server.isSelf(new HostInfo("10.0.0.1", port))).isTrue();
    // another container on the same port: not this one
    assertThat(server.isSelf(new HostInfo("10.0.0.2", port))).isFalse();
    assertThat(server.isSelf(new HostInfo("0.0.0.0", port))).isFalse();
  }

  /** A model that holds every call until released. */
  static final class Blocking implements ReviewClassifier {
    final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch entered = new CountDownLatch(SentimentHttpServer.QUERY_THREADS);

    @Override
    public String modelId() {
      return "blocking@1";
    }

    @Override
    public boolean threadSafe() {
      return true;
    }

    @Override
    public List<ReviewPrediction> classify(List<String> texts) {
      entered.countDown();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return texts.stream().map(t -> new ReviewPrediction(1, 0.9, 0, 0)).toList();
    }

    @Override
    public void close() {}
  }

  @Test
  void healthAndReadinessAnswerWhileEveryQueryThreadIsBusyAndExtraQueriesGet503() throws Exception {
    server = SentimentHttpServer.bind("127.0.0.1", 0);
    Blocking model = new Blocking();
    server.serveScoring(new ReviewScorer(model, null), 1000);
    HttpRequest score =
        HttpRequest.newBuilder(URI.create(base() + "/v1/score"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"fine\"}"))
            .build();
    List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
    int busy = SentimentHttpServer.QUERY_THREADS + SentimentHttpServer.QUERY_QUEUE;
    for (int i = 0; i < busy; i++) {
      pending.add(http.sendAsync(score, HttpResponse.BodyHandlers.ofString()));
    }
    assertThat(model.entered.await(10, TimeUnit.SECONDS)).isTrue();
    try {
      long t0 = System.nanoTime();
      HttpResponse<String> health =
          http.send(
              HttpRequest.newBuilder(URI.create(base() + "/health"))
                  .timeout(Duration.ofSeconds(3))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> ready =
          http.send(
              HttpRequest.newBuilder(URI.create(base() + "/ready"))
                  .timeout(Duration.ofSeconds(3))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(503); // no stream started: answered, not stuck
      assertThat(ready.body()).contains("\"ready\":false");
      assertThat(System.nanoTime() - t0).isLessThan(Duration.ofSeconds(3).toNanos());

      // the queue is full too: one more query is refused at once
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      HttpResponse<String> extra;
      do {
        extra = http.send(score, HttpResponse.BodyHandlers.ofString());
      } while (extra.statusCode() != 503 && System.nanoTime() < deadline);
      assertThat(extra.statusCode()).isEqualTo(503);
      assertThat(extra.body()).contains("busy");
      assertThat(extra.headers().firstValue("Retry-After")).hasValue("1");
    } finally {
      model.release.countDown();
    }
    for (var f : pending) {
      assertThat(f.get(30, TimeUnit.SECONDS).statusCode()).isIn(200, 503);
    }
  }
}
