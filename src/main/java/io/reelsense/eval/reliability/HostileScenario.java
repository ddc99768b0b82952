package io.reelsense.eval.reliability;

import io.reelsense.stream.ReelsenseConfig;
import io.reelsense.stream.registry.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Hostile clients against a running application: thousands of malformed, oversized and wrong-type
 * HTTP requests to the schema registry and to the application's query server (bad JSON, bodies over
 * the limits, wrong {@code Content-Type}, bad %-escapes, unknown paths and methods, huge schemas,
 * many subjects), then random bytes and malformed wire-format records (wrong magic byte, unknown
 * schema ids, truncated Avro, valid Avro with invalid fields) to the input topic with valid reviews
 * in between. Every request must be answered with a status below 500 or 503 on an intact
 * connection; every bad record must reach the dead-letter topic with its reason and every valid one
 * be scored; the registry and the application must still answer, and the application's resident
 * memory (its {@code VmRSS} in {@code /proc}) must stay within {@link Bounds#maxRssGrowthMib()}.
 * Bounded by request and record counts and by a time limit per phase.
 */
public final class HostileScenario {

  static final String NAME = "hostile";

  /**
   * The longest review text the application accepts in this scenario ({@code max.review.chars}).
   */
  static final int MAX_TEXT = 20_000;

  /**
   * How much to send.
   *
   * @param requestsPerTarget malformed requests to the registry and to the query server, each
   * @param records records to the input topic, a tenth of them valid reviews, sent twice: before
   *     the requests and after them
   * @param subjects valid subjects registered, one request each, to approach the subject limit
   * @param phaseLimit the longest a phase of requests may run (fewer are sent when it is reached)
   * @param maxRssGrowthMib the most the application's resident memory may grow, in MiB
   */
  public record Bounds(
      int requestsPerTarget, int records, int subjects, Duration phaseLimit, int maxRssGrowthMib) {

    /** What {@code reliability --scenarios hostile} sends. */
    public static final Bounds DEFAULT = new Bounds(3_000, 3_000, 300, Duration.ofSeconds(90), 512);
  }

  /**
   * What one HTTP target answered.
   *
   * @param sent requests sent
   * @param statuses answers by status code ({@code 0}: connection dropped before a status line)
   * @param serverErrors answers 500-599 other than 503
   * @param dropped connections that ended without a status line
   * @param examples a few requests that got a server error or none
   */
  public record TargetFigures(
      int sent,
      Map<Integer, Integer> statuses,
      int serverErrors,
      int dropped,
      List<String> examples) {}

  /**
   * The figures of a run.
   *
   * @param registry the registry's answers to malformed requests
   * @param queryServer the query server's answers to malformed requests
   * @param subjectsRegistered valid subjects the registry accepted
   * @param subjectsRefused valid subjects refused (422 once the subject limit is reached)
   * @param badRecords bad records sent to the input topic
   * @param goodRecords valid reviews sent among them
   * @param goodScored of those, scored
   * @param badDeadLettered bad records in the dead-letter topic with the expected reason
   * @param dlqByReason dead letters by {@code stage/reason}
   * @param registryAlive the registry answers {@code GET /subjects} with 200 at the end
   * @param appHealthy {@code /health} answers 200 at the end
   * @param appReady {@code /ready} answers 200 at the end
   * @param rssBeforeMib the application's resident memory before the requests, MiB
   * @param rssAfterMib the same after every record was accounted for, MiB
   * @param errorLogLines lines logged at ERROR by the application and the registry meanwhile
   */
  public record Figures(
      TargetFigures registry,
      TargetFigures queryServer,
      int subjectsRegistered,
      int subjectsRefused,
      int badRecords,
      int goodRecords,
      int goodScored,
      int badDeadLettered,
      Map<String, Integer> dlqByReason,
      boolean registryAlive,
      boolean appHealthy,
      boolean appReady,
      long rssBeforeMib,
      long rssAfterMib,
      int errorLogLines) {

    /** The figures as JSON-ready details of the scenario. */
    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("registry_requests", target(registry));
      m.put("query_server_requests", target(queryServer));
      m.put("subjects_registered", subjectsRegistered);
      m.put("subjects_refused", subjectsRefused);
      m.put("bad_records", badRecords);
      m.put("good_records", goodRecords);
      m.put("good_scored", goodScored);
      m.put("bad_dead_lettered", badDeadLettered);
      m.put("dlq_by_reason", dlqByReason);
      m.put("registry_alive", registryAlive);
      m.put("app_healthy", appHealthy);
      m.put("app_ready", appReady);
      m.put("app_rss_before_mib", rssBeforeMib);
      m.put("app_rss_after_mib", rssAfterMib);
      m.put("error_log_lines", errorLogLines);
      return m;
    }

    private static Map<String, Object> target(TargetFigures t) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("sent", t.sent());
      Map<String, Integer> s = new LinkedHashMap<>();
      t.statuses().forEach((k, v) -> s.put(Integer.toString(k), v));
      m.put("statuses", s);
      m.put("server_errors", t.serverErrors());
      m.put("dropped_connections", t.dropped());
      if (!t.examples().isEmpty()) {
        m.put("examples", t.examples());
      }
      return m;
    }
  }

  private HostileScenario() {}

  /** Runs the scenario; {@code texts} are the valid reviews' texts. */
  public static ScenarioResult run(Env env, List<String> texts, Bounds bounds)
      throws InterruptedException {
    long t0 = System.nanoTime();
    Random rnd = new Random(env.seed() * 31 + 9);
    try (Traffic t = Traffic.open(env, NAME, 2)) {
      Map<String, String> settings = t.appSettings(NAME);
      settings.put(ReelsenseConfig.MAX_REVIEW_CHARS, Integer.toString(MAX_TEXT));
      Path logs = env.work().resolve("logs");
      Path appLog = logs.resolve(NAME + "-app.log");
      Path registryLog = logs.resolve("registry.log");
      long registryLogAt = size(registryLog);
      App app = env.apps().start(NAME + "-app", settings);
      try {
        URI query = URI.create(app.httpUrl());
        URI registry = URI.create(env.registryUrl());
        awaitReady(query, env.stall());
        long rssBefore = rssMib(app.pid());
        Records rec = sendRecords(t, texts, bounds.records(), rnd, 0);
        env.progress()
            .accept(
                String.format(
                    "%s: sent %,d bad records and %,d valid reviews", NAME, rec.bad, rec.good));
        t.awaitAccounted(rec.bad + rec.good, "hostile records");
        env.progress()
            .accept(
                String.format(
                    "%s: %,d malformed requests to the registry %s",
                    NAME, bounds.requestsPerTarget(), registry));
        TargetFigures reg =
            hammer(registry, bounds, i -> registryRequest(i, new Random(env.seed() + i)));
        env.progress().accept(NAME + ": registry " + reg);
        int[] subjects = registerSubjects(registry, bounds);
        env.progress()
            .accept(
                String.format(
                    "%s: %,d subjects registered, %,d refused; %,d malformed requests to the query"
                        + " server %s",
                    NAME, subjects[0], subjects[1], bounds.requestsPerTarget(), query));
        TargetFigures qs = hammer(query, bounds, i -> queryRequest(i, new Random(env.seed() + i)));
        env.progress().accept(NAME + ": query server " + qs);
        // the same mix again, now that the registry is full and the query server was hammered
        Records again = sendRecords(t, texts, bounds.records(), rnd, bounds.records());
        rec = new Records(rec.bad + again.bad, rec.good + again.good);
        t.awaitAccounted(rec.bad + rec.good, "hostile records");
        t.awaitQuiet(Duration.ofSeconds(2));
        boolean registryAlive = get(registry, "/subjects") == 200;
        boolean healthy = get(query, "/health") == 200;
        boolean ready = get(query, "/ready") == 200;
        long rssAfter = rssMib(app.pid());
        boolean alive = app.alive();
        app.stop();
        Ledger.Tally tally = t.ledger().tally();
        t.progress("done", rec.bad + rec.good);
        int goodScored = count(tally, "good_between", "scored");
        int badAsExpected = 0;
        for (Map.Entry<String, Map<String, Object>> c : tally.categories().entrySet()) {
          if (!c.getKey().equals("good_between")) {
            badAsExpected += count(tally, c.getKey(), "as_expected");
          }
        }
        Figures f =
            new Figures(
                reg,
                qs,
                subjects[0],
                subjects[1],
                rec.bad,
                rec.good,
                goodScored,
                badAsExpected,
                new TreeMap<>(tally.reasons()),
                registryAlive,
                healthy,
                ready,
                rssBefore,
                rssAfter,
                errorLines(appLog, 0) + errorLines(registryLog, registryLogAt));
        Map<String, Object> details = f.toMap();
        details.put("app_alive", alive);
        boolean passed =
            reg.serverErrors() == 0
                && reg.dropped() == 0
                && qs.serverErrors() == 0
                && qs.dropped() == 0
                && tally.exact()
                && tally.inputs() == rec.bad + rec.good
                && goodScored == rec.good
                && badAsExpected == rec.bad
                && tally.deadLettered() == rec.bad
                && registryAlive
                && healthy
                && ready
                && alive
                && t.sendFailures() == 0
                && (rssBefore < 0 || rssAfter - rssBefore <= bounds.maxRssGrowthMib())
                && f.errorLogLines() == 0;
        return new ScenarioResult(NAME, passed, tally, CrashScenario.seconds(t0), details, null);
      } finally {
        app.close();
      }
    }
  }

  private static int count(Ledger.Tally tally, String category, String key) {
    Map<String, Object> c = tally.categories().get(category);
    return c == null || c.get(key) == null ? 0 : (Integer) c.get(key);
  }

  /** Waits until the application reads its partitions: the readiness probe answers 200. */
  private static void awaitReady(URI base, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (get(base, "/ready") != 200) {
      if (System.nanoTime() > deadline) {
        throw new ReliabilityException(base + "/ready did not answer 200 within " + limit);
      }
      Thread.sleep(200);
    }
  }

  // ---- HTTP ----

  /** One raw HTTP/1.1 request: its description for the report and its bytes. */
  record Request(String what, byte[] bytes) {}

  /** A request with a body of {@code body}, {@code Content-Length} as given (null: none). */
  static Request request(
      String what,
      String method,
      String target,
      String contentType,
      String contentLength,
      byte[] body) {
    StringBuilder h = new StringBuilder();
    h.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
    h.append("Host: 127.0.0.1\r\nConnection: close\r\n");
    if (contentType != null) {
      h.append("Content-Type: ").append(contentType).append("\r\n");
    }
    if (contentLength != null) {
      h.append("Content-Length: ").append(contentLength).append("\r\n");
    }
    h.append("\r\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(h.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (body != null) {
      out.writeBytes(body);
    }
    return new Request(what, out.toByteArray());
  }

  /** A request whose {@code Content-Length} is its body's length. */
  static Request body(String what, String method, String target, String contentType, String body) {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    return request(what, method, target, contentType, Integer.toString(b.length), b);
  }

  static Request get(String what, String target) {
    return request(what, "GET", target, null, null, null);
  }

  /**
   * Sends {@code request} to {@code base}'s host and port on a new connection and returns the
   * status code, or 0 when the connection ended (or timed out) without a status line.
   */
  static int exchange(URI base, byte[] request) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(base.getHost(), base.getPort()), 10_000);
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      try {
        out.write(request);
        out.flush();
      } catch (IOException e) {
        // the server may answer and close before reading a body it refuses; read its answer
      }
      InputStream in = s.getInputStream();
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      for (int b = in.read(); b >= 0 && b != '\n' && line.size() < 1024; b = in.read()) {
        line.write(b);
      }
      String status = line.toString(StandardCharsets.ISO_8859_1);
      if (!status.startsWith("HTTP/1.") || status.length() < 12) {
        return 0;
      }
      int code = Integer.parseInt(status.substring(9, 12));
      readAnswer(in);
      return code;
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }

  /**
   * Reads the rest of an answer (its headers and its {@code Content-Length} bytes of body) so that
   * closing the connection does not reset it before the server has written it all. A server that
   * refused a body may wait for the rest of it before closing, so this does not wait for the end of
   * the connection; a failure here does not undo the status already read.
   */
  private static void readAnswer(InputStream in) {
    try {
      long length = 0;
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      for (int b = in.read(); b >= 0; b = in.read()) {
        if (b != '\n') {
          line.write(b);
          continue;
        }
        String h = line.toString(StandardCharsets.ISO_8859_1).strip();
        line.reset();
        if (h.isEmpty()) {
          break;
        }
        if (h.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
          length = Long.parseLong(h.substring("content-length:".length()).strip());
        }
      }
      in.skipNBytes(Math.min(length, 16L << 20));
    } catch (IOException | NumberFormatException e) {
      // the status line arrived: what follows is not what is counted
    }
  }

  static int get(URI base, String path) {
    return exchange(base, get(path, path).bytes());
  }

  /** Sends requests {@code 0 … requestsPerTarget-1} from four threads, until the time limit. */
  static TargetFigures hammer(URI base, Bounds bounds, IntFunction<Request> make)
      throws InterruptedException {
    long deadline = System.nanoTime() + bounds.phaseLimit().toNanos();
    AtomicInteger next = new AtomicInteger();
    Map<Integer, Integer> statuses = new TreeMap<>();
    List<String> examples = new ArrayList<>();
    int[] sums = new int[3]; // sent, server errors, dropped
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        workers.add(
            pool.submit(
                () -> {
                  for (int i = next.getAndIncrement();
                      i < bounds.requestsPerTarget() && System.nanoTime() < deadline;
                      i = next.getAndIncrement()) {
                    Request r = make.apply(i);
                    int code = exchange(base, r.bytes());
                    synchronized (statuses) {
                      sums[0]++;
                      statuses.merge(code, 1, Integer::sum);
                      boolean bad = code == 0 || (code >= 500 && code != 503);
                      if (code == 0) {
                        sums[2]++;
                      } else if (bad) {
                        sums[1]++;
                      }
                      if (bad && examples.size() < 10) {
                        examples.add(code + " " + r.what());
                      }
                    }
                  }
                }));
      }
      for (Future<?> f : workers) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          throw new ReliabilityException("a request thread failed: " + e.getCause());
        }
      }
    } finally {
      pool.shutdownNow();
    }
    synchronized (statuses) {
      return new TargetFigures(
          sums[0], Map.copyOf(statuses), sums[1], sums[2], List.copyOf(examples));
    }
  }

  private static final String JSON = "application/vnd.schemaregistry.v1+json";

  private static String schema(String name, String doc) {
    String avro =
        "{\"type\":\"record\",\"name\":\""
            + name
            + "\",\"doc\":\""
            + doc
            + "\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"}]}";
    return "{\"schema\":" + quote(avro) + "}";
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** The {@code i}-th malformed request to the registry. */
  static Request registryRequest(int i, Random rnd) {
    String subject = "hostile-" + rnd.nextInt(50);
    String versions = "/subjects/" + subject + "/versions";
    return switch (i % 20) {
      case 0 -> body("bad JSON", "POST", versions, JSON, "{\"schema\": \"{\\\"type\\\":");
      case 1 -> body("JSON array body", "POST", versions, JSON, "[1,2,3]");
      case 2 -> body("wrong Content-Type", "POST", versions, "text/plain", schema("A", "x"));
      case 3 -> body("no Content-Type", "POST", versions, null, schema("A", "x"));
      case 4 ->
          request(
              "Content-Length over the limit",
              "POST",
              versions,
              JSON,
              Integer.toString(64 << 20),
              "{\"schema\":\"".getBytes(StandardCharsets.UTF_8));
      case 5 -> get("malformed %-escape", "/subjects/%zz" + rnd.nextInt(9) + "/versions");
      case 6 -> get("%-escape of no UTF-8", "/subjects/%C3%28/versions/latest");
      case 7 -> get("unknown path", "/nothing/here/" + rnd.nextInt(1000));
      case 8 -> request("unknown method", "BREW", versions, null, null, null);
      case 9 -> request("DELETE of the subject list", "DELETE", "/subjects", null, null, null);
      case 10 ->
          body("not Avro", "POST", versions, JSON, "{\"schema\":\"{\\\"type\\\":\\\"nope\\\"}\"}");
      case 11 -> body("schema is a number", "POST", versions, JSON, "{\"schema\":42}");
      case 12 -> get("unknown schema id", "/schemas/ids/" + (1_000_000 + rnd.nextInt(1 << 20)));
      case 13 -> get("version not a number", versions + "/not-a-number");
      case 14 ->
          body("bad compatibility", "PUT", "/config", JSON, "{\"compatibility\":\"SOMETIMES\"}");
      case 15 ->
          request(
              "unreadable Content-Length",
              "POST",
              versions,
              JSON,
              "abc",
              "{}".getBytes(StandardCharsets.UTF_8));
      case 16 -> body("unknown field types", "POST", versions, JSON, "{\"schema\":{\"a\":[]}}");
      case 17 -> body("text/html", "PUT", "/config", "text/html", "<p>hi</p>");
      case 18 ->
          // a schema over the 1 Mi-character limit in a body under the 4 MiB limit, now and then
          i % 100 == 18
              ? body("huge schema", "POST", versions, JSON, schema("H", "d".repeat((1 << 20) + 16)))
              : body(
                  "schema of an unknown type name",
                  "POST",
                  versions,
                  JSON,
                  "{\"schema\":\"\\\"com.nowhere.Type\\\"\"}");
      default -> get("version 0", versions + "/0");
    };
  }

  /**
   * Registers {@code bounds.subjects()} valid subjects (the registry's subject limit refuses the
   * ones beyond it with 422); returns {accepted, refused}.
   */
  static int[] registerSubjects(URI registry, Bounds bounds) {
    long deadline = System.nanoTime() + bounds.phaseLimit().toNanos();
    int ok = 0;
    int refused = 0;
    for (int i = 0; i < bounds.subjects() && System.nanoTime() < deadline; i++) {
      int code =
          exchange(
              registry,
              body(
                      "subject",
                      "POST",
                      "/subjects/hostile-many-" + i + "/versions",
                      JSON,
                      schema("S" + i, "subject " + i))
                  .bytes());
      if (code == 200) {
        ok++;
      } else {
        refused++;
      }
    }
    return new int[] {ok, refused};
  }

  /** The {@code i}-th malformed request to the query server. */
  static Request queryRequest(int i, Random rnd) {
    String score = "/v1/score";
    return switch (i % 16) {
      case 0 ->
          get(
              "text over 2,000 characters",
              "/films/similar?text=" + "a".repeat(2_001 + rnd.nextInt(5_000)));
      case 1 ->
          get("query string over 8,192 characters", "/films/similar?text=" + "b".repeat(9_000));
      case 2 -> get("malformed %-escape", "/films/similar?text=%zz" + rnd.nextInt(9));
      case 3 -> get("%-escape of no UTF-8", "/films/similar?text=%C3%28&k=%FF");
      case 4 -> body("bad JSON", "POST", score, "application/json", "{\"text\": \"unterminated");
      case 5 ->
          body("too many texts", "POST", score, "application/json", texts(65 + rnd.nextInt(100)));
      case 6 -> body("wrong Content-Type", "POST", score, "text/plain", "{\"text\":\"fine\"}");
      case 7 ->
          request(
              "Content-Length over 1 MiB",
              "POST",
              score,
              "application/json",
              Integer.toString(16 << 20),
              "{\"text\":\"".getBytes(StandardCharsets.UTF_8));
      case 8 -> get("GET of the scoring endpoint", score);
      case 9 -> body("text is a number", "POST", score, "application/json", "{\"text\":42}");
      case 10 -> body("texts is a string", "POST", score, "application/json", "{\"texts\":\"x\"}");
      case 11 -> body("unknown field", "POST", score, "application/json", "{\"nope\":1}");
      case 12 -> get("malformed %-escape in a film id", "/films/%zz/sentiment");
      case 13 -> request("unknown method", "BREW", score, null, null, null);
      case 14 -> get("unknown path", "/no/such/path/" + rnd.nextInt(1000));
      default ->
          body(
              "text over max.review.chars",
              "POST",
              score,
              "application/json",
              "{\"text\":\"" + "c".repeat(MAX_TEXT + 1 + rnd.nextInt(1000)) + "\"}");
    };
  }

  private static String texts(int n) {
    StringBuilder sb = new StringBuilder("{\"texts\":[");
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : ",").append("\"text ").append(i).append('"');
    }
    return sb.append("]}").toString();
  }

  // ---- records ----

  private record Records(int bad, int good) {}

  /** Sends {@code total} records: every tenth a valid review, the others bad in turn. */
  private static Records sendRecords(
      Traffic t, List<String> texts, int total, Random rnd, int first) {
    int bad = 0;
    int good = 0;
    for (int i = first; i < first + total; i++) {
      String rid = "hostile-" + i;
      byte[] key = rid.getBytes(StandardCharsets.UTF_8);
      String text = texts.get(i % texts.size());
      if (i % 10 == 0) {
        t.send(ReviewText.review(rid, text), "good_between");
        good++;
        continue;
      }
      bad++;
      switch (i % 9) {
        case 0 -> {
          byte[] v = new byte[1 + rnd.nextInt(2_000)];
          rnd.nextBytes(v);
          t.send(key, v, null, "random_bytes", Ledger.Expect.DEAD_LETTER, "deserialize: ");
        }
        case 1 -> {
          byte[] v = t.serialize(ReviewText.review(rid, text)).clone();
          v[0] = (byte) (1 + rnd.nextInt(255));
          t.send(key, v, null, "wrong_magic_byte", Ledger.Expect.DEAD_LETTER, "unknown magic byte");
        }
        case 2 -> {
          byte[] v = t.serialize(ReviewText.review(rid, text)).clone();
          ByteBuffer.wrap(v).putInt(1, 2_000_000 + i); // a new unknown id each time
          t.send(key, v, null, "unknown_schema_id", Ledger.Expect.DEAD_LETTER, "unknown schema id");
        }
        case 3 -> {
          byte[] v = t.serialize(ReviewText.review(rid, text)).clone();
          ByteBuffer.wrap(v).putInt(1, 1_999_999); // the same unknown id: from the client's cache
          t.send(
              key,
              v,
              null,
              "repeated_unknown_schema_id",
              Ledger.Expect.DEAD_LETTER,
              "unknown schema id 1999999");
        }
        case 4 -> {
          byte[] ok = t.serialize(ReviewText.review(rid, text));
          int cut =
              WireFormat.HEADER_SIZE + 1 + rnd.nextInt(ok.length - WireFormat.HEADER_SIZE - 2);
          t.send(
              key,
              Arrays.copyOf(ok, cut),
              null,
              "truncated_avro",
              Ledger.Expect.DEAD_LETTER,
              "deserialize: ");
        }
        case 5 ->
            t.send(
                key,
                t.serialize(ReviewText.review(rid, " \t ")),
                rid,
                "blank_text",
                Ledger.Expect.DEAD_LETTER,
                "validate: empty or whitespace-only text");
        case 6 ->
            t.send(
                key,
                t.serialize(ReviewText.review(rid, "x".repeat(MAX_TEXT + 1 + i))),
                rid,
                "text_over_limit",
                Ledger.Expect.DEAD_LETTER,
                "validate: text has ");
        case 7 ->
            t.send(
                null,
                t.serialize(ReviewText.review(i % 2 == 0 ? "" : "   ", text)),
                null,
                "blank_review_id",
                Ledger.Expect.DEAD_LETTER,
                "validate: empty review_id");
        default -> {
          byte[] ok = t.serialize(ReviewText.review(rid, text)).clone();
          ok[WireFormat.HEADER_SIZE] = 0x7f; // review_id's length: a negative zig-zag varint
          t.send(key, ok, null, "malformed_avro", Ledger.Expect.DEAD_LETTER, "deserialize: ");
        }
      }
    }
    t.flush();
    return new Records(bad, good);
  }

  // ---- the processes ----

  /** The resident memory of process {@code pid} in MiB ({@code VmRSS}), or -1 without /proc. */
  static long rssMib(long pid) {
    Path status = Path.of("/proc", Long.toString(pid), "status");
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
      return -1;
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }

  private static long size(Path p) {
    try {
      return Files.exists(p) ? Files.size(p) : 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Lines containing {@code ERROR} in {@code log} from byte {@code from} on (0 without it). */
  static int errorLines(Path log, long from) {
    if (!Files.exists(log)) {
      return 0;
    }
    try {
      byte[] all = Files.readAllBytes(log);
      String text =
          new String(
              all,
              (int) Math.min(from, all.length),
              all.length - (int) Math.min(from, all.length),
              StandardCharsets.UTF_8);
      return (int) text.lines().filter(l -> l.contains(" ERROR ")).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
