package io.reelsense.stream.serve;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.sun.net.httpserver.HttpExchange;
import io.reelsense.model.ReviewPrediction;
import io.reelsense.stream.review.ReviewScorer;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code POST /v1/score}: scores one text ({@code {"text":"…"}}) or a batch ({@code
 * {"texts":["…",…]}}) with the model the stream runs, optionally returning each text's embedding
 * ({@code "embedding":true}, when the instance has an embedder). Everything is checked before the
 * model runs, and the size of the body before it is read: a body over {@link #MAX_BODY_BYTES} or
 * without a {@code Content-Length} is refused unread, a batch over {@link #MAX_TEXTS} texts or a
 * text over the stream's {@code max.review.chars} is refused before scoring.
 */
final class ScoreEndpoint {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Largest request body read, in bytes. */
  static final int MAX_BODY_BYTES = 1 << 20;

  /** Most texts in one request. */
  static final int MAX_TEXTS = 64;

  /** One scored text. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Scored(
      String label,
      int labelId,
      double probability,
      double positiveProbability,
      Integer stars,
      @JsonInclude(JsonInclude.Include.NON_NULL) float[] embedding) {}

  /** The answer to a one-text request. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record One(
      String model,
      String label,
      int labelId,
      double probability,
      double positiveProbability,
      Integer stars,
      @JsonInclude(JsonInclude.Include.NON_NULL) float[] embedding) {}

  /** The answer to a batch request. */
  record Many(String model, List<Scored> results) {}

  private final ReviewScorer scorer;
  private final int maxChars;

  ScoreEndpoint(ReviewScorer scorer, int maxChars) {
    this.scorer = scorer;
    this.maxChars = maxChars;
  }

  /** A client's mistake: answered with its status and one line. */
  static final class Refused extends Exception {
    final int status;

    Refused(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  void handle(HttpExchange ex) throws IOException {
    try {
      Object answer = answer(ex);
      SentimentHttpServer.send(ex, 200, answer);
    } catch (Refused r) {
      if (r.status == 405) {
        ex.getResponseHeaders().set("Allow", "POST");
      }
      SentimentHttpServer.send(ex, r.status, SentimentHttpServer.error(r.getMessage()));
    }
  }

  private Object answer(HttpExchange ex) throws IOException, Refused {
    if (!"POST".equals(ex.getRequestMethod())) {
      throw new Refused(405, "use POST with a JSON body {\"text\":\"…\"} or {\"texts\":[…]}");
    }
    String type = ex.getRequestHeaders().getFirst("Content-Type");
    if (type == null
        || !type.toLowerCase(Locale.ROOT).strip().matches("application/json\\s*(;.*)?")) {
      throw new Refused(
          415, "Content-Type must be application/json, got " + (type == null ? "none" : type));
    }
    byte[] body = readBody(ex);
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new Refused(
          400,
          "the body is not valid JSON: " + e.getOriginalMessage().lines().findFirst().orElse(""));
    }
    if (root == null || !root.isObject()) {
      throw new Refused(400, "the body must be a JSON object {\"text\":\"…\"} or {\"texts\":[…]}");
    }
    var names = root.fieldNames();
    while (names.hasNext()) {
      String n = names.next();
      if (!n.equals("text") && !n.equals("texts") && !n.equals("embedding")) {
        throw new Refused(400, "unknown field '" + n + "'; use text, texts and embedding");
      }
    }
    JsonNode emb = root.get("embedding");
    if (emb != null && !emb.isBoolean()) {
      throw new Refused(400, "embedding must be true or false");
    }
    boolean embedding = emb != null && emb.booleanValue();
    if (embedding && !scorer.embeds()) {
      throw new Refused(
          409, "this instance has no embedder (model.embedder=none): drop \"embedding\":true");
    }
    JsonNode one = root.get("text");
    JsonNode many = root.get("texts");
    if ((one == null) == (many == null)) {
      throw new Refused(400, "give exactly one of text (a string) and texts (a list of strings)");
    }
    List<String> texts = new ArrayList<>();
    if (one != null) {
      texts.add(text(one, "text"));
    } else {
      if (!many.isArray()) {
        throw new Refused(400, "texts must be a list of strings");
      }
      if (many.size() == 0) {
        throw new Refused(400, "texts is empty");
      }
      if (many.size() > MAX_TEXTS) {
        throw new Refused(
            413, "texts has " + many.size() + " entries; at most " + MAX_TEXTS + " per request");
      }
      for (int i = 0; i < many.size(); i++) {
        texts.add(text(many.get(i), "texts[" + i + "]"));
      }
    }
    List<ReviewPrediction> predictions = scorer.classify(texts);
    List<float[]> vectors = embedding ? scorer.embed(texts) : null;
    if (one != null) {
      Scored s = scored(predictions.get(0), vectors == null ? null : vectors.get(0));
      return new One(
          scorer.modelId(),
          s.label(),
          s.labelId(),
          s.probability(),
          s.positiveProbability(),
          s.stars(),
          s.embedding());
    }
    List<Scored> results = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      results.add(scored(predictions.get(i), vectors == null ? null : vectors.get(i)));
    }
    return new Many(scorer.modelId(), results);
  }

  private String text(JsonNode n, String name) throws Refused {
    if (!n.isTextual()) {
      throw new Refused(400, name + " must be a string");
    }
    String t = n.textValue();
    if (t.isBlank()) {
      throw new Refused(400, name + " is empty");
    }
    if (t.length() > maxChars) {
      throw new Refused(
          413,
          name + " is " + t.length() + " characters; at most " + maxChars + " (max.review.chars)");
    }
    return t;
  }

  private static Scored scored(ReviewPrediction p, float[] vector) {
    boolean positive = p.label() == 1;
    return new Scored(
        positive ? "positive" : "negative",
        p.label(),
        positive ? p.positiveProbability() : 1 - p.positiveProbability(),
        p.positiveProbability(),
        p.rating() > 0 ? p.rating() : null,
        vector);
  }

  /** Reads the body after checking its declared length; refuses unknown or too large ones. */
  private static byte[] readBody(HttpExchange ex) throws IOException, Refused {
    String length = ex.getRequestHeaders().getFirst("Content-Length");
    if (length == null) {
      throw new Refused(411, "a Content-Length is required (at most " + MAX_BODY_BYTES + " bytes)");
    }
    long n;
    try {
      n = Long.parseLong(length.strip());
    } catch (NumberFormatException e) {
      throw new Refused(400, "Content-Length is not a number: " + length);
    }
    if (n > MAX_BODY_BYTES) {
      throw new Refused(413, "the body is " + n + " bytes; at most " + MAX_BODY_BYTES);
    }
    if (n <= 0) {
      throw new Refused(400, "the body is empty; send {\"text\":\"…\"}");
    }
    byte[] body = new byte[(int) n];
    try (InputStream in = ex.getRequestBody()) {
      int read = in.readNBytes(body, 0, body.length);
      if (read < body.length) {
        throw new Refused(400, "the body ended after " + read + " of " + n + " bytes");
      }
    }
    return body;
  }
}
