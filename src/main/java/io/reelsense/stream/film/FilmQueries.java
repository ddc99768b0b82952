package io.reelsense.stream.film;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import io.reelsense.avro.ReviewEmbedding;
import io.reelsense.model.similarity.FilmIndex;
import io.reelsense.model.similarity.FilmLookupException;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Interactive queries on films, served by {@link io.reelsense.stream.serve.SentimentHttpServer}:
 *
 * <ul>
 *   <li>{@code GET /films/{id}/similar?k=10}: the films most similar to a film;
 *   <li>{@code GET /films/similar?title=T[&year=Y][&k=10]}: the same by title; an unknown title
 *       answers 404 and an ambiguous one 409, each with {@code candidates} (id, title, year);
 *   <li>{@code GET /films/similar?text=…[&k=10]}: the films closest to a free text;
 *   <li>{@code GET /reviews/{id}/films?k=10}: the films closest to a scored review's embedding
 *       (from {@code review-embeddings}; 409 when reviews and films are embedded by different
 *       encoders);
 *   <li>{@code GET /reviews/{id}/embedding}: the review's vector.
 * </ul>
 *
 * Film vectors live on the instance that runs the single film task: another instance answers 307 to
 * it. A review's vector lives with the review's partition: the film instance fetches it there.
 */
public final class FilmQueries {

  static final int DEFAULT_K = 10;
  static final int MAX_K = 1000;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** An answer: a status and a JSON body (with an optional Location). */
  public record Answer(int status, Object body, String location) {
    static Answer of(int status, Object body) {
      return new Answer(status, body, null);
    }
  }

  private final FilmCatalog catalog;
  private final Predicate<HostInfo> isSelf;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public FilmQueries(FilmCatalog catalog, Predicate<HostInfo> isSelf) {
    this.catalog = catalog;
    this.isSelf = isSelf;
  }

  /** Answers a GET on {@code /films/…/similar} or {@code /reviews/…}. */
  public Answer answer(KafkaStreams streams, String rawPath, String rawQuery) {
    Map<String, String> q = query(rawQuery);
    int k;
    try {
      k = q.containsKey("k") ? Integer.parseInt(q.get("k")) : DEFAULT_K;
    } catch (NumberFormatException e) {
      return Answer.of(400, Map.of("error", "k must be a whole number, got '" + q.get("k") + "'"));
    }
    if (k < 1 || k > MAX_K) {
      return Answer.of(400, Map.of("error", "k must be between 1 and " + MAX_K + ", got " + k));
    }
    if (rawPath.startsWith("/reviews/") && rawPath.endsWith("/embedding")) {
      String id = decode(rawPath.substring(9, rawPath.length() - 10));
      return reviewEmbedding(streams, id, rawPath);
    }
    if (!catalog.local()) {
      return redirectToFilms(streams, rawPath, rawQuery);
    }
    if (rawPath.equals("/films/similar")) {
      if (q.containsKey("text")) {
        String text = q.get("text");
        if (text.isBlank()) {
          return Answer.of(400, Map.of("error", "text is empty"));
        }
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("text", text);
        return result(query, catalog.similarToText(text, k));
      }
      if (!q.containsKey("title")) {
        return Answer.of(
            400, Map.of("error", "use /films/similar?title=T[&year=Y] or /films/similar?text=…"));
      }
      Integer year;
      try {
        year = q.containsKey("year") ? Integer.valueOf(q.get("year")) : null;
      } catch (NumberFormatException e) {
        return Answer.of(
            400, Map.of("error", "year must be a number, got '" + q.get("year") + "'"));
      }
      String id;
      try {
        id = catalog.vectors().findTitle(q.get("title"), year);
      } catch (FilmLookupException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(
            "error",
            e.getMessage().replace("pick one with --year", "pick one with &year=Y or by id"));
        body.put("ambiguous", e.ambiguous());
        body.put("candidates", e.candidates().stream().map(FilmQueries::film).toList());
        return Answer.of(e.ambiguous() ? 409 : 404, body);
      }
      return byId(id, k);
    }
    if (rawPath.startsWith("/films/") && rawPath.endsWith("/similar")) {
      return byId(decode(rawPath.substring(7, rawPath.length() - 8)), k);
    }
    if (rawPath.startsWith("/reviews/") && rawPath.endsWith("/films")) {
      return nearReview(streams, decode(rawPath.substring(9, rawPath.length() - 6)), k);
    }
    return Answer.of(404, Map.of("error", "no such resource"));
  }

  private Answer byId(String id, int k) {
    FilmIndex.Film film = catalog.vectors().film(id).orElse(null);
    if (film == null) {
      return Answer.of(404, Map.of("error", "no embedded film with id '" + id + "'"));
    }
    Map<String, Object> query = new LinkedHashMap<>(film(film));
    return result(query, catalog.vectors().similarTo(id, k));
  }

  private Answer nearReview(KafkaStreams streams, String reviewId, int k) {
    JsonNode v;
    try {
      Answer found =
          reviewEmbedding(streams, reviewId, "/reviews/" + encode(reviewId) + "/embedding");
      if (found.status() == 307) {
        v = fetch(found.location());
      } else if (found.status() != 200) {
        return found;
      } else {
        v = JSON.valueToTree(found.body());
      }
    } catch (IOException e) {
      return Answer.of(
          502, Map.of("error", "cannot fetch review " + reviewId + ": " + e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Answer.of(503, Map.of("error", "interrupted"));
    }
    if (v == null) {
      return Answer.of(404, Map.of("error", "no embedding for review " + reviewId));
    }
    String model = v.path("model").asText();
    if (!model.equals(catalog.model())) {
      return Answer.of(
          409,
          Map.of(
              "error",
              "review "
                  + reviewId
                  + " was embedded by '"
                  + model
                  + "' and films by '"
                  + catalog.model()
                  + "': set the review embedder (--embedder) to "
                  + catalog.model()));
    }
    float[] vector = new float[v.path("vector").size()];
    for (int i = 0; i < vector.length; i++) {
      vector[i] = (float) v.path("vector").get(i).asDouble();
    }
    if (vector.length != catalog.vectors().dimension()) {
      return Answer.of(
          409,
          Map.of(
              "error",
              "review vector has "
                  + vector.length
                  + " dimensions, films "
                  + catalog.vectors().dimension()));
    }
    Map<String, Object> query = new LinkedHashMap<>();
    query.put("review_id", reviewId);
    query.put("film_id", v.path("film_id").isNull() ? null : v.path("film_id").asText());
    return result(query, catalog.vectors().nearest(vector, k));
  }

  private JsonNode fetch(String url) throws IOException, InterruptedException {
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() == 404) {
      return null;
    }
    if (r.statusCode() != 200) {
      throw new IOException(url + " answered " + r.statusCode() + ": " + r.body());
    }
    return JSON.readTree(r.body());
  }

  private Answer reviewEmbedding(KafkaStreams streams, String reviewId, String rawPath) {
    try {
      KeyQueryMetadata md =
          streams.queryMetadataForKey(
              FilmTopology.REVIEW_VECTORS_STORE, reviewId, Serdes.String().serializer());
      if (md == null || md == KeyQueryMetadata.NOT_AVAILABLE) {
        return Answer.of(503, Map.of("error", "the review-vectors store is not available yet"));
      }
      if (!isSelf.test(md.activeHost())) {
        return redirect(md.activeHost(), rawPath, null);
      }
      ReadOnlyKeyValueStore<String, ReviewEmbedding> store =
          streams.store(
              StoreQueryParameters.fromNameAndType(
                  FilmTopology.REVIEW_VECTORS_STORE, QueryableStoreTypes.keyValueStore()));
      ReviewEmbedding e = store.get(reviewId);
      if (e == null) {
        return Answer.of(
            404,
            Map.of(
                "error",
                "no embedding for review "
                    + reviewId
                    + " (not scored yet, or the stream runs without --embedder)"));
      }
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("review_id", reviewId);
      body.put("film_id", e.getFilmId());
      body.put("model", e.getModel());
      body.put("vector", e.getVector());
      return Answer.of(200, body);
    } catch (InvalidStateStoreException e) {
      return Answer.of(
          503, Map.of("error", "the review-vectors store is migrating: " + e.getMessage()));
    }
  }

  private Answer redirectToFilms(KafkaStreams streams, String rawPath, String rawQuery) {
    KeyQueryMetadata md =
        streams.queryMetadataForKey(FilmTopology.VECTORS_STORE, "", Serdes.String().serializer());
    if (md == null || md == KeyQueryMetadata.NOT_AVAILABLE || isSelf.test(md.activeHost())) {
      return Answer.of(503, Map.of("error", "the film vectors are not available yet"));
    }
    return redirect(md.activeHost(), rawPath, rawQuery);
  }

  private static Answer redirect(HostInfo host, String rawPath, String rawQuery) {
    String location =
        "http://"
            + host.host()
            + ":"
            + host.port()
            + rawPath
            + (rawQuery == null || rawQuery.isEmpty() ? "" : "?" + rawQuery);
    return new Answer(307, Map.of("location", location), location);
  }

  private Answer result(Map<String, Object> query, List<FilmIndex.Neighbour> neighbours) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("query", query);
    body.put("model", catalog.model());
    body.put("films_indexed", catalog.vectors().size());
    List<Map<String, Object>> films = new ArrayList<>();
    for (FilmIndex.Neighbour n : neighbours) {
      Map<String, Object> f = film(n.film());
      f.put("score", Math.round(n.score() * 10000) / 10000.0);
      films.add(f);
    }
    body.put("films", films);
    return Answer.of(200, body);
  }

  private static Map<String, Object> film(FilmIndex.Film f) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("film_id", f.id());
    m.put("title", f.title());
    m.put("year", f.year() > 0 ? f.year() : null);
    return m;
  }

  public static Map<String, String> query(String rawQuery) {
    Map<String, String> out = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return out;
    }
    for (String part : rawQuery.split("&")) {
      int eq = part.indexOf('=');
      String name = decode(eq < 0 ? part : part.substring(0, eq));
      String value = eq < 0 ? "" : decode(part.substring(eq + 1));
      out.put(name, value);
    }
    return out;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Sends an answer as JSON. */
  public static void send(HttpExchange ex, Answer a) throws IOException {
    if (a.location() != null) {
      ex.getResponseHeaders().add("Location", a.location());
    }
    byte[] bytes = JSON.writeValueAsBytes(a.body());
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(a.status(), bytes.length);
    try (var out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }
}
