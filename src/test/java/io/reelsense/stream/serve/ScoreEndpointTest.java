package io.reelsense.stream.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelsense.model.ReviewClassifier;
import io.reelsense.model.ReviewPrediction;
import io.reelsense.model.TextEmbedder;
import io.reelsense.stream.review.ReviewScorer;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ScoreEndpointTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private SentimentHttpServer server;
  private final List<Integer> batches = new CopyOnWriteArrayList<>();

  /** "good" → positive, 8 stars; else negative, 2 stars. */
  private final class Model implements ReviewClassifier {
    @Override
    public String modelId() {
      return "fake@1";
    }

    @Override
    public List<ReviewPrediction> classify(List<String> texts) {
      batches.add(texts.size());
      return texts.stream()
          .map(
              t ->
                  t.contains("good")
                      ? new ReviewPrediction(1, 0.9, 8, 0.5)
                      : new ReviewPrediction(0, 0.2, 2, 0.5))
          .toList();
    }

    @Override
    public void close() {}
  }

  private static final class Embedder implements TextEmbedder {
    @Override
    public String modelId() {
      return "emb@1";
    }

    @Override
    public int dimension() {
      return 2;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
      return texts.stream().map(t -> new float[] {t.length(), 1}).toList();
    }

    @Override
    public void close() {}
  }

  private void start(boolean embedder) {
    server = SentimentHttpServer.bind("127.0.0.1", 0);
    server.serveScoring(new ReviewScorer(new Model(), embedder ? new Embedder() : null), 50);
  }

  @AfterEach
  void close() {
    if (server != null) {
      server.close();
    }
  }

  private HttpResponse<String> post(String type, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.address().getPort() + "/v1/score"))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (type != null) {
      b.header("Content-Type", type);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void scoresOneTextAndABatchWithTheStreamsModel() throws Exception {
    start(true);
    HttpResponse<String> one = post("application/json", "{\"text\":\"a good film\"}");
    assertThat(one.statusCode()).isEqualTo(200);
    JsonNode j = JSON.readTree(one.body());
    assertThat(j.get("model").asText()).isEqualTo("fake@1");
    assertThat(j.get("label").asText()).isEqualTo("positive");
    assertThat(j.get("label_id").asInt()).isEqualTo(1);
    assertThat(j.get("probability").asDouble()).isEqualTo(0.9);
    assertThat(j.get("stars").asInt()).isEqualTo(8);
    assertThat(j.has("embedding")).isFalse();

    HttpResponse<String> many =
        post(
            "application/json; charset=utf-8",
            "{\"texts\":[\"good\",\"dull\",\"so good\"],\"embedding\":true}");
    assertThat(many.statusCode()).as(many.body()).isEqualTo(200);
    JsonNode m = JSON.readTree(many.body());
    assertThat(m.get("results")).hasSize(3);
    assertThat(m.get("results").get(1).get("label").asText()).isEqualTo("negative");
    assertThat(m.get("results").get(1).get("probability").asDouble())
        .isCloseTo(0.8, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(m.get("results").get(2).get("embedding").get(0).asDouble()).isEqualTo(7.0);
    assertThat(batches).containsExactly(1, 3);
  }

  @Test
  void refusesBadRequestsWithOneReadableLineBeforeTheModelRuns() throws Exception {
    start(false);
    List<String[]> cases = new ArrayList<>();
    cases.add(new String[] {"text/plain", "{\"text\":\"x\"}", "415", "Content-Type must be"});
    cases.add(new String[] {"application/json", "{\"text\":", "400", "not valid JSON"});
    cases.add(new String[] {"application/json", "[1]", "400", "must be a JSON object"});
    cases.add(new String[] {"application/json", "{}", "400", "exactly one of text"});
    cases.add(new String[] {"application/json", "{\"text\":\"  \"}", "400", "text is empty"});
    cases.add(new String[] {"application/json", "{\"text\":5}", "400", "text must be a string"});
    cases.add(new String[] {"application/json", "{\"texts\":[]}", "400", "texts is empty"});
    cases.add(
        new String[] {"application/json", "{\"texts\":[\"a\",3]}", "400", "texts[1] must be"});
    cases.add(
        new String[] {
          "application/json", "{\"text\":\"" + "a".repeat(51) + "\"}", "413", "at most 50"
        });
    cases.add(
        new String[] {
          "application/json",
          "{\"texts\":[" + "\"a\",".repeat(ScoreEndpoint.MAX_TEXTS) + "\"a\"]}",
          "413",
          "at most 64 per request"
        });
    cases.add(new String[] {"application/json", "{\"txt\":\"a\"}", "400", "unknown field 'txt'"});
    cases.add(
        new String[] {
          "application/json", "{\"text\":\"a\",\"embedding\":true}", "409", "no embedder"
        });
    for (String[] c : cases) {
      HttpResponse<String> r = post(c[0], c[1]);
      assertThat(r.statusCode()).as(c[1]).isEqualTo(Integer.parseInt(c[2]));
      JsonNode j = JSON.readTree(r.body());
      assertThat(j.get("error").asText()).as(c[1]).contains(c[3]).doesNotContain("\n");
    }
    assertThat(batches).isEmpty();

    HttpResponse<String> get =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.address().getPort() + "/v1/score"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).hasValue("POST");
  }

  /** What the server answered, read until it closes or stays silent for a second. */
  private static String answer(Socket s) throws Exception {
    s.setSoTimeout(1000);
    java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    try {
      for (int n; (n = s.getInputStream().read(buf)) > 0; ) {
        got.write(buf, 0, n);
      }
    } catch (java.net.SocketTimeoutException e) {
      // the server keeps the connection open to drain a body it will not read
    }
    return got.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aTooLargeOrUnsizedBodyIsRefusedUnread() throws Exception {
    start(false);
    try (Socket s = new Socket("127.0.0.1", server.address().getPort())) {
      OutputStream out = s.getOutputStream();
      out.write(
          ("POST /v1/score HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  + "Content-Length: 999999999\r\nConnection: close\r\n\r\n{")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      String answer = answer(s);
      assertThat(answer).startsWith("HTTP/1.1 413").contains("at most 1048576");
    }
    try (Socket s = new Socket("127.0.0.1", server.address().getPort())) {
      OutputStream out = s.getOutputStream();
      out.write(
          ("POST /v1/score HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\n{\"a\":\r\n0\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      String answer = answer(s);
      assertThat(answer).startsWith("HTTP/1.1 411").contains("Content-Length is required");
    }
  }
}
