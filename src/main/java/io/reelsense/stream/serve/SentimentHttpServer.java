package io.reelsense.stream.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.reelsense.stream.BatchControl;
import io.reelsense.stream.ConfigError;
import io.reelsense.stream.film.FilmCatalog;
import io.reelsense.stream.film.FilmQueries;
import io.reelsense.stream.review.FilmSentiment;
import io.reelsense.stream.review.ReviewScorer;
import io.reelsense.stream.review.ReviewTopology;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the per-film sentiment KTable by Kafka Streams interactive queries, on the JDK's HTTP
 * server (every endpoint, with examples: {@code docs/http-api.md}):
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
 *   <li>{@code GET /metrics} → the {@link StreamMetrics} in the Prometheus text format;
 *   <li>{@code POST /v1/score} → scores texts with the model of the stream ({@link ScoreEndpoint});
 *   <li>{@code GET /} and {@code GET /v1/live} → the live page and its summary ({@link LiveFeed}).
 * </ul>
 *
 * Two pools answer: a small one for the cheap answers (health, readiness, metrics, the page and its
 * summary), which never waits on a model or another instance, and a bounded one for the work that
 * may (film queries, scoring, film sentiment); when the latter's queue is full a request is
 * answered 503 at once instead of waiting behind it.
 *
 * <p>It binds at construction and answers once {@link #start} hands it the running application.
 * Other instances and clients reach it by its <em>advertised</em> {@code host:port} ({@link
 * #advertise}), which is what Kafka Streams gets as {@code application.server}: the bound address
 * is no good for that when it is a wildcard such as {@code 0.0.0.0}.
 */
public final class SentimentHttpServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SentimentHttpServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  static {
    // The JDK server writes an answer's headers and body in separate packets; without TCP_NODELAY
    // Nagle's algorithm holds the body until the client's delayed ACK, about 40 ms per answer.
    // Read once, when the JDK's server first starts: set it unless the command line did.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  /** Longest raw query string accepted (the {@code ?…} part of a URL), in characters. */
  public static final int MAX_QUERY_CHARS = 8_192;

  /** Longest free text accepted by {@code /films/similar?text=…}, in characters. */
  public static final int MAX_TEXT_CHARS = 2_000;

  /** Threads that run queries and scoring. */
  static final int QUERY_THREADS = 4;

  /** Queries waiting for a thread before further ones are answered 503. */
  static final int QUERY_QUEUE = 32;

  private final HttpServer server;
  private final ExecutorService control;
  private final ThreadPoolExecutor queries;
  private volatile HostInfo advertised;
  private volatile KafkaStreams streams;
  private volatile BatchControl batches;
  private volatile StreamMetrics metrics;
  private volatile FilmQueries films;
  private volatile ScoreEndpoint scoring;
  private volatile LiveFeed live;

  private SentimentHttpServer(HttpServer server) {
    this.server = server;
    this.control = Executors.newFixedThreadPool(2, named("reelsense-http"));
    this.queries =
        new ThreadPoolExecutor(
            QUERY_THREADS,
            QUERY_THREADS,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(QUERY_QUEUE),
            named("reelsense-query"));
    InetSocketAddress a = server.getAddress();
    this.advertised = new HostInfo(a.getHostString(), a.getPort());
    server.setExecutor(control);
    server.createContext("/health", guarded(this::health));
    server.createContext("/ready", guarded(this::ready));
    server.createContext("/metrics", guarded(this::metrics));
    server.createContext("/films/", guarded(offloaded(this::film)));
    server.createContext("/reviews/", guarded(offloaded(this::filmQuery)));
    server.createContext("/v1/score", guarded(offloaded(this::score)));
    server.createContext("/v1/live", guarded(this::liveSummary));
    server.createContext("/", guarded(this::page));
  }

  private static java.util.concurrent.ThreadFactory named(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
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

  /**
   * Sets the {@code host:port} this instance is reached by (see {@code
   * ReelsenseConfig#applicationServer}); a film whose owner is another {@code host:port} is
   * redirected there.
   */
  public void advertise(String hostAndPort) {
    int colon = hostAndPort.lastIndexOf(':');
    if (colon <= 0 || colon == hostAndPort.length() - 1) {
      throw new ConfigError(
          "application.server must be host:port, got '" + hostAndPort + "' (http.advertised.host)");
    }
    try {
      this.advertised =
          new HostInfo(
              hostAndPort.substring(0, colon), Integer.parseInt(hostAndPort.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new ConfigError(
          "application.server must be host:port, got '" + hostAndPort + "' (http.advertised.host)");
    }
  }

  /** The advertised {@code host:port}: Kafka Streams' {@code application.server}. */
  public String hostAndPort() {
    HostInfo a = advertised;
    return a.host() + ":" + a.port();
  }

  /** Starts answering queries from {@code streams}. */
  public void start(KafkaStreams streams, BatchControl control) {
    start(streams, control, null);
  }

  /** Starts answering queries from {@code streams}, and {@code /metrics} from {@code metrics}. */
  public void start(KafkaStreams streams, BatchControl control, StreamMetrics metrics) {
    this.batches = control;
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

  /** Also answers {@code POST /v1/score} with {@code scorer} (texts up to {@code maxChars}). */
  public void serveScoring(ReviewScorer scorer, int maxChars) {
    this.scoring = new ScoreEndpoint(scorer, maxChars);
  }

  /** Also serves the live page's summary from {@code feed}; the server closes it. */
  public void serveLive(LiveFeed feed) {
    this.live = feed;
  }

  /** The live feed behind the page, or null. */
  public LiveFeed live() {
    return live;
  }

  /**
   * Answers 400 for a malformed %-escape and 414 for an over-long query before any handler decodes
   * the URL, and turns an unexpected failure into a 500 with one line instead of a dropped
   * connection.
   */
  private HttpHandler guarded(HttpHandler h) {
    return ex -> {
      try {
        String rawPath = ex.getRequestURI().getRawPath();
        String rawQuery = ex.getRequestURI().getRawQuery();
        if (rawQuery != null && rawQuery.length() > MAX_QUERY_CHARS) {
          send(
              ex,
              414,
              error(
                  "the query string is "
                      + rawQuery.length()
                      + " characters; at most "
                      + MAX_QUERY_CHARS));
          return;
        }
        String bad = badEscape(rawPath);
        if (bad == null) {
          bad = badEscape(rawQuery);
        }
        if (bad != null) {
          send(ex, 400, error("malformed %-escape '" + bad + "' in the URL"));
          return;
        }
        h.handle(ex);
      } catch (IOException e) {
        LOG.debug("writing an answer to {}: {}", ex.getRemoteAddress(), e.toString());
        ex.close();
      } catch (RuntimeException e) {
        LOG.warn("{} {} failed: {}", ex.getRequestMethod(), ex.getRequestURI(), e.toString());
        try {
          send(ex, 500, error("internal error: " + e.getClass().getSimpleName()));
        } catch (IOException | RuntimeException ignored) {
          ex.close();
        }
      }
    };
  }

  /** Runs {@code h} on the query pool; 503 at once when its queue is full. */
  private HttpHandler offloaded(HttpHandler h) {
    return ex -> {
      try {
        queries.execute(
            () -> {
              try {
                h.handle(ex);
              } catch (IOException e) {
                LOG.debug("writing an answer to {}: {}", ex.getRemoteAddress(), e.toString());
                ex.close();
              } catch (RuntimeException e) {
                LOG.warn(
                    "{} {} failed: {}", ex.getRequestMethod(), ex.getRequestURI(), e.toString());
                try {
                  send(ex, 500, error("internal error: " + e.getClass().getSimpleName()));
                } catch (IOException | RuntimeException ignored) {
                  ex.close();
                }
              }
            });
      } catch (RejectedExecutionException e) {
        ex.getResponseHeaders().set("Retry-After", "1");
        send(ex, 503, error("busy: " + QUERY_QUEUE + " queries already waiting; retry shortly"));
      }
    };
  }

  /**
   * The first malformed %-escape of {@code raw}, or null when every {@code %} has two hex digits.
   */
  static String badEscape(String raw) {
    if (raw == null) {
      return null;
    }
    for (int i = raw.indexOf('%'); i >= 0; i = raw.indexOf('%', i + 1)) {
      if (i + 2 >= raw.length()) {
        return raw.substring(i);
      }
      if (Character.digit(raw.charAt(i + 1), 16) < 0
          || Character.digit(raw.charAt(i + 2), 16) < 0) {
        return raw.substring(i, i + 3);
      }
    }
    return null;
  }

  private void filmQuery(HttpExchange ex) throws IOException {
    if (!"GET".equals(ex.getRequestMethod())) {
      send(ex, 405, error("only GET"));
      return;
    }
    FilmQueries f = films;
    KafkaStreams s = streams;
    if (f == null) {
      send(ex, 404, error("no film encoder in this instance (films.encoder=none)"));
      return;
    }
    if (s == null) {
      send(ex, 503, error("the stream is starting"));
      return;
    }
    String rawQuery = ex.getRequestURI().getRawQuery();
    String text = FilmQueries.query(rawQuery).get("text");
    if (text != null && text.length() > MAX_TEXT_CHARS) {
      send(ex, 400, error("text is " + text.length() + " characters; at most " + MAX_TEXT_CHARS));
      return;
    }
    FilmQueries.send(ex, f.answer(s, ex.getRequestURI().getRawPath(), rawQuery));
  }

  private void score(HttpExchange ex) throws IOException {
    ScoreEndpoint e = scoring;
    if (e == null) {
      send(ex, 404, error("no scoring in this instance"));
      return;
    }
    e.handle(ex);
  }

  private void liveSummary(HttpExchange ex) throws IOException {
    if (!"GET".equals(ex.getRequestMethod())) {
      send(ex, 405, error("only GET"));
      return;
    }
    LiveFeed f = live;
    if (f == null) {
      send(ex, 404, error("no live feed in this instance"));
      return;
    }
    KafkaStreams s = streams;
    KafkaStreams.State state = s == null ? KafkaStreams.State.CREATED : s.state();
    BatchControl c = batches;
    send(
        ex,
        200,
        f.summary(
            state.name(),
            state == KafkaStreams.State.RUNNING,
            c == null ? 0 : c.pending(),
            films != null,
            s));
  }

  private void page(HttpExchange ex) throws IOException {
    if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
      send(ex, 405, error("only GET"));
      return;
    }
    if (!LivePage.serve(ex)) {
      send(ex, 404, error("no such resource"));
    }
  }

  /** Readiness: 200 once Kafka Streams is RUNNING (tasks assigned, stores restored), else 503. */
  private void ready(HttpExchange ex) throws IOException {
    if (!"GET".equals(ex.getRequestMethod())) {
      send(ex, 405, error("only GET"));
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
      send(ex, 405, error("only GET"));
      return;
    }
    StreamMetrics m = metrics;
    String text = m == null ? null : m.scrape().orElse(null);
    if (text == null) {
      send(ex, 503, error("no Prometheus metrics in this instance"));
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
      send(ex, 405, error("only GET"));
      return;
    }
    KafkaStreams s = streams;
    Map<String, Object> body = new LinkedHashMap<>();
    KafkaStreams.State state = s == null ? KafkaStreams.State.CREATED : s.state();
    body.put("state", state.name());
    BatchControl c = batches;
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
      send(ex, 405, error("only GET"));
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
      send(ex, 404, error("use /films/{id}/sentiment"));
      return;
    }
    String filmId =
        URLDecoder.decode(
            path.substring(prefix.length(), path.length() - suffix.length()),
            StandardCharsets.UTF_8);
    KafkaStreams s = streams;
    if (s == null) {
      send(ex, 503, error("the stream is starting"));
      return;
    }
    try {
      KeyQueryMetadata md =
          s.queryMetadataForKey(
              ReviewTopology.FILM_SENTIMENT_STORE, filmId, Serdes.String().serializer());
      if (md == null || md == KeyQueryMetadata.NOT_AVAILABLE) {
        send(ex, 503, error("the film-sentiment store is not available yet"));
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
        send(ex, 404, error("no scored review for film " + filmId));
        return;
      }
      send(ex, 200, body(filmId, f));
    } catch (InvalidStateStoreException e) {
      send(ex, 503, error("the film-sentiment store is migrating: " + e.getMessage()));
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

  /** Whether {@code host} is this instance: its advertised host and port. */
  boolean isSelf(HostInfo host) {
    return advertised.equals(host);
  }

  static Map<String, Object> error(String message) {
    return Map.of("error", message);
  }

  static void send(HttpExchange ex, int status, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    if ("HEAD".equals(ex.getRequestMethod())) {
      ex.sendResponseHeaders(status, -1);
      ex.close();
      return;
    }
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    control.shutdownNow();
    queries.shutdownNow();
    LiveFeed f = live;
    if (f != null) {
      f.close();
    }
  }
}
