package io.reelsense.stream.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.reelsense.stream.BatchControl;
import io.reelsense.stream.ConfigError;
import io.reelsense.stream.FilmCatalog;
import io.reelsense.stream.FilmQueries;
import io.reelsense.stream.FilmSentiment;
import io.reelsense.stream.ReviewTopology;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Serves the per-film sentiment KTable by Kafka Streams interactive queries, on the JDK's HTTP
 * server:
 *
 * <ul>
 *   <li>{@code GET /films/{id}/sentiment} → {@code
 *       {"film_id":…,"count":…,"positive_share":…,"mean_rating":…}}; 404 when the film has no
 *       scored review; 307 to the instance that holds the film when it is another one; 503 while
 *       the store is not queryable (starting, rebalancing);
 *   <li>{@code GET /health} → {@code {"state":…,"pending":…,"scored":…,"failed":…,"batches":…}},
 *       200 while Kafka Streams runs or rebalances, 503 otherwise (liveness);
 *   <li>{@code GET /ready} → 200 once Kafka Streams is RUNNING, 503 before and while rebalancing
 *       (readiness);
 *   <li>{@code GET /metrics} → the {@link StreamMetrics} in the Prometheus text format.
 * </ul>
 *
 * It binds at construction (so the bound port can be given to Kafka Streams as {@code
 * application.server}) and answers once {@link #start} hands it the running application.
 */
public final class SentimentHttpServer implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor;
  private volatile KafkaStreams streams;
  private volatile BatchControl control;
  private volatile StreamMetrics metrics;
  private volatile FilmQueries films;

  private SentimentHttpServer(HttpServer server) {
    this.server = server;
    this.executor =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "reelsense-http");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/health", this::health);
    server.createContext("/ready", this::ready);
    server.createContext("/metrics", this::metrics);
    server.createContext("/films/", this::film);
    server.createContext("/reviews/", this::filmQuery);
    server.createContext("/", ex -> send(ex, 404, Map.of("error", "no such resource")));
  }

  /** Binds {@code host:port} (port 0: any free port); answers 503 until {@link #start}. */
  public static SentimentHttpServer bind(String host, int port) {
    try {
      HttpServer s = HttpServer.create(new InetSocketAddress(host, port), 0);
      SentimentHttpServer server = new SentimentHttpServer(s);
      s.start();
      return server;
    } catch (IOException e) {
      throw new ConfigError(
          "cannot bind the HTTP server to "
              + host
              + ":"
              + port
              + " (http.host / http.port): "
              + e.getMessage(),
          e);
    }
  }

  /** The bound address. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** {@code host:port} for Kafka Streams' {@code application.server}. */
  public String hostAndPort() {
    return address().getHostString() + ":" + address().getPort();
  }

  /** Starts answering queries from {@code streams}. */
  public void start(KafkaStreams streams, BatchControl control) {
    start(streams, control, null);
  }

  /** Starts answering queries from {@code streams}, and {@code /metrics} from {@code metrics}. */
  public void start(KafkaStreams streams, BatchControl control, StreamMetrics metrics) {
    this.control = control;
    this.metrics = metrics;
    this.streams = streams;
  }

  /**
   * Also answers the film queries of {@link FilmQueries} ({@code /films/{id}/similar}, {@code
   * /films/similar?title=…|text=…}, {@code /reviews/{id}/films}) from {@code catalog}.
   */
  public void serveFilms(FilmCatalog catalog) {
    this.films = new FilmQueries(catalog, this::isSelf);
  }

  private void filmQuery(HttpExchange ex) throws IOException {
    if (!"GET".equals(ex.getRequestMethod())) {
      send(ex, 405, Map.of("error", "only GET"));
      return;
    }
    FilmQueries f = films;
    KafkaStreams s = streams;
    if (f == null) {
      send(ex, 404, Map.of("error", "no film encoder in this instance (films.encoder=none)"));
      return;
    }
    if (s == null) {
      send(ex, 503, Map.of("error", "the stream is starting"));
      return;
    }
    FilmQueries.send(
        ex, f.answer(s, ex.getRequestURI().getRawPath(), ex.getRequestURI().getRawQuery()));
  }

  /** Readiness: 200 once Kafka Streams is RUNNING (tasks assigned, stores restored), else 503. */
  private void ready(HttpExchange ex) throws IOException {
    if (!"GET".equals(ex.getRequestMethod())) {
      send(ex, 405, Map.of("error", "only GET"));
      return;
    }
    KafkaStreams s = streams;
    KafkaStreams.State state = s == null ? KafkaStreams.State.CREATED : s.state();
    send(
        ex,
        state == KafkaStreams.State.RUNNING ? 200 : 503,
        Map.of("state", state.name(), "ready", state == KafkaStreams.State.RUNNING));
  }

  /** The metrics in the Prometheus text format. */
  private void metrics(HttpExchange ex) throws IOException {
    if (!"GET".equals(ex.getRequestMethod())) {
      send(ex, 405, Map.of("error", "only GET"));
      return;
    }
    StreamMetrics m = metrics;
    String text = m == null ? null : m.scrape().orElse(null);
    if (text == null) {
      send(ex, 503, Map.of("error", "no Prometheus metrics in this instance"));
      return;
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    ex.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  private void health(HttpExchange ex) throws IOException {
    if (!"GET".equals(ex.getRequestMethod())) {
      send(ex, 405, Map.of("error", "only GET"));
      return;
    }
    KafkaStreams s = streams;
    Map<String, Object> body = new LinkedHashMap<>();
    KafkaStreams.State state = s == null ? KafkaStreams.State.CREATED : s.state();
    body.put("state", state.name());
    BatchControl c = control;
    if (c != null) {
      body.put("pending", c.pending());
      body.put("scored", c.scored());
      body.put("failed", c.failed());
      body.put("batches", c.batches());
    }
    boolean up = state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING;
    send(ex, up ? 200 : 503, body);
  }

  private void film(HttpExchange ex) throws IOException {
    if (!"GET".equals(ex.getRequestMethod())) {
      send(ex, 405, Map.of("error", "only GET"));
      return;
    }
    String path = ex.getRequestURI().getRawPath();
    if (path.endsWith("/similar")) {
      filmQuery(ex);
      return;
    }
    String prefix = "/films/";
    String suffix = "/sentiment";
    if (!path.startsWith(prefix) || !path.endsWith(suffix) || path.length() <= 16) {
      send(ex, 404, Map.of("error", "use /films/{id}/sentiment"));
      return;
    }
    String filmId =
        URLDecoder.decode(
            path.substring(prefix.length(), path.length() - suffix.length()),
            StandardCharsets.UTF_8);
    KafkaStreams s = streams;
    if (s == null) {
      send(ex, 503, Map.of("error", "the stream is starting"));
      return;
    }
    try {
      KeyQueryMetadata md =
          s.queryMetadataForKey(
              ReviewTopology.FILM_SENTIMENT_STORE, filmId, Serdes.String().serializer());
      if (md == null || md == KeyQueryMetadata.NOT_AVAILABLE) {
        send(ex, 503, Map.of("error", "the film-sentiment store is not available yet"));
        return;
      }
      HostInfo active = md.activeHost();
      if (!isSelf(active)) {
        String location =
            "http://"
                + active.host()
                + ":"
                + active.port()
                + prefix
                + URLEncoder.encode(filmId, StandardCharsets.UTF_8).replace("+", "%20")
                + suffix;
        ex.getResponseHeaders().add("Location", location);
        send(ex, 307, Map.of("location", location));
        return;
      }
      ReadOnlyKeyValueStore<String, FilmSentiment> store =
          s.store(
              StoreQueryParameters.fromNameAndType(
                  ReviewTopology.FILM_SENTIMENT_STORE, QueryableStoreTypes.keyValueStore()));
      FilmSentiment f = store.get(filmId);
      if (f == null) {
        send(ex, 404, Map.of("error", "no scored review for film " + filmId));
        return;
      }
      send(ex, 200, body(filmId, f));
    } catch (InvalidStateStoreException e) {
      send(ex, 503, Map.of("error", "the film-sentiment store is migrating: " + e.getMessage()));
    }
  }

  /** The JSON body for one film. */
  static Map<String, Object> body(String filmId, FilmSentiment f) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("film_id", filmId);
    body.put("count", f.count());
    body.put("positive", f.positives());
    body.put("positive_share", f.positiveShare());
    body.put("mean_rating", Double.isNaN(f.meanRating()) ? null : f.meanRating());
    body.put("rated", f.rated());
    return body;
  }

  private boolean isSelf(HostInfo host) {
    return host.port() == address().getPort()
        && (host.host().equals(address().getHostString())
            || address().getAddress() != null && address().getAddress().isAnyLocalAddress());
  }

  private static void send(HttpExchange ex, int status, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
