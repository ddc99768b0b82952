package io.reelsense.stream.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process schema registry speaking Confluent's REST API (the subset reelsense uses), held in
 * memory: subjects, versions, registry-wide ids, compatibility levels.
 *
 * <p>As in Confluent's registry, the same schema (same canonical text: parsed and printed again)
 * gets the same id in every subject; registering a schema a subject already holds returns its id
 * without a new version; a new version must pass the subject's compatibility level (registry-wide
 * default {@link CompatibilityLevel#BACKWARD}) checked with Avro's {@code SchemaCompatibility},
 * else 409; an unparsable schema is refused with 42201.
 *
 * <p>Endpoints: {@code GET /}, {@code GET /subjects}, {@code GET|POST /subjects/{s}/versions},
 * {@code GET /subjects/{s}/versions/{v|latest}[/schema]}, {@code POST /subjects/{s}}, {@code GET
 * /schemas/ids/{id}[/versions]}, {@code GET /schemas/types}, {@code POST
 * /compatibility/subjects/{s}/versions/{v|latest}}, {@code GET|PUT /config}, {@code GET|PUT|DELETE
 * /config/{s}}.
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSchemaRegistry.class);
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final HttpServer server;
  private final ExecutorService executor;
  private final String url;

  // state, guarded by "this"
  private final Map<String, List<Integer>> subjects = new TreeMap<>();
  private final List<String> schemas = new ArrayList<>();
  private final List<Schema> parsed = new ArrayList<>();
  private final Map<String, Integer> ids = new HashMap<>();
  private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
  private CompatibilityLevel globalLevel;

  private EmbeddedSchemaRegistry(Builder builder) throws IOException {
    this.globalLevel = builder.compatibility;
    InetSocketAddress address = new InetSocketAddress(builder.host, builder.port);
    if (builder.sslContext == null) {
      this.server = HttpServer.create(address, 64);
    } else {
      HttpsServer https = HttpsServer.create(address, 64);
      SSLContext ssl = builder.sslContext;
      boolean needClientAuth = builder.needClientAuth;
      https.setHttpsConfigurator(
          new HttpsConfigurator(ssl) {
            @Override
            public void configure(HttpsParameters params) {
              SSLParameters parameters = ssl.getDefaultSSLParameters();
              parameters.setNeedClientAuth(needClientAuth);
              params.setSSLParameters(parameters);
            }
          });
      this.server = https;
    }
    int instance = INSTANCES.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    this.executor =
        Executors.newFixedThreadPool(
            builder.threads,
            task -> {
              Thread thread =
                  new Thread(
                      task,
                      "embedded-schema-registry-" + instance + "-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(executor);
    HttpContext context = server.createContext("/", this::handle);
    if (builder.user != null) {
      String user = builder.user;
      String password = builder.password;
      context.setAuthenticator(
          new BasicAuthenticator("schema-registry") {
            @Override
            public boolean checkCredentials(String u, String p) {
              return user.equals(u) && password.equals(p);
            }
          });
    }
    server.start();
    InetSocketAddress bound = server.getAddress();
    String host = bound.getAddress().getHostAddress();
    this.url =
        (builder.sslContext == null ? "http://" : "https://")
            + (host.contains(":") ? "[" + host + "]" : host)
            + ":"
            + bound.getPort();
    LOG.info("embedded schema registry listening on {}", url);
  }

  /** Starts a registry on a free port of the loopback interface. */
  public static EmbeddedSchemaRegistry start() {
    return builder().start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The base URL, e.g. {@code http://127.0.0.1:43521} ({@code https://} with TLS). */
  public String url() {
    return url;
  }

  /** The port it listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** Stops the server and its threads; the schemas are forgotten. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    LOG.info("embedded schema registry {} stopped", url);
  }

  // ---------------------------------------------------------------- HTTP

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Answer answer;
      try {
        answer = route(exchange);
      } catch (RegistryError e) {
        answer = e.answer();
      } catch (RuntimeException e) {
        LOG.warn("embedded schema registry failed on {}", exchange.getRequestURI(), e);
        answer = error(RegistryProtocol.INTERNAL_ERROR, "Internal error: " + e);
      }
      byte[] bytes = answer.body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", RegistryProtocol.CONTENT_TYPE);
      exchange.sendResponseHeaders(answer.status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private Answer route(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    List<String> path = segments(exchange.getRequestURI().getRawPath());
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    int n = path.size();
    String head = n == 0 ? "" : path.get(0);
    switch (head) {
      case "":
        if (n == 0 && method.equals("GET")) {
          return ok(RegistryProtocol.JSON.createObjectNode());
        }
        break;
      case "subjects":
        if (n == 1) {
          return method.equals("GET") ? ok(listSubjects()) : notAllowed();
        }
        if (n == 2) {
          return method.equals("POST") ? ok(lookup(path.get(1), body(exchange))) : notAllowed();
        }
        if (path.get(2).equals("versions")) {
          if (n == 3) {
            return switch (method) {
              case "GET" -> ok(listVersions(path.get(1)));
              case "POST" -> ok(register(path.get(1), body(exchange)));
              default -> notAllowed();
            };
          }
          if (n == 4) {
            return method.equals("GET") ? ok(versionNode(path.get(1), path.get(3))) : notAllowed();
          }
          if (n == 5 && path.get(4).equals("schema")) {
            return method.equals("GET")
                ? new Answer(200, versionNode(path.get(1), path.get(3)).path("schema").asText())
                : notAllowed();
          }
        }
        break;
      case "schemas":
        if (n == 2 && path.get(1).equals("types")) {
          return method.equals("GET")
              ? ok(RegistryProtocol.JSON.createArrayNode().add(RegistryProtocol.AVRO))
              : notAllowed();
        }
        if (n >= 3 && n <= 4 && path.get(1).equals("ids")) {
          if (!method.equals("GET")) {
            return notAllowed();
          }
          return n == 3 ? ok(schemaById(path.get(2))) : versionsOfId(path.get(2), path.get(3));
        }
        break;
      case "compatibility":
        if (n == 5 && path.get(1).equals("subjects") && path.get(3).equals("versions")) {
          return method.equals("POST")
              ? ok(
                  checkCompatibility(
                      path.get(2),
                      path.get(4),
                      body(exchange),
                      "true".equals(query.get("verbose"))))
              : notAllowed();
        }
        break;
      case "config":
        if (n == 1) {
          return switch (method) {
            case "GET" -> ok(levelNode("compatibilityLevel", globalLevel()));
            case "PUT" -> ok(setLevel(null, body(exchange)));
            default -> notAllowed();
          };
        }
        if (n == 2) {
          return switch (method) {
            case "GET" ->
                ok(getSubjectLevel(path.get(1), "true".equals(query.get("defaultToGlobal"))));
            case "PUT" -> ok(setLevel(path.get(1), body(exchange)));
            case "DELETE" -> ok(deleteSubjectLevel(path.get(1)));
            default -> notAllowed();
          };
        }
        break;
      default:
        break;
    }
    return new Answer(404, errorBody(404, "HTTP 404 Not Found"));
  }

  // ---------------------------------------------------------------- endpoints

  private synchronized JsonNode listSubjects() {
    ArrayNode array = RegistryProtocol.JSON.createArrayNode();
    subjects.keySet().forEach(array::add);
    return array;
  }

  private synchronized JsonNode listVersions(String subject) {
    List<Integer> versions = versionsOf(subject);
    ArrayNode array = RegistryProtocol.JSON.createArrayNode();
    for (int v = 1; v <= versions.size(); v++) {
      array.add(v);
    }
    return array;
  }

  private synchronized JsonNode register(String subject, JsonNode body) {
    Schema schema = parseSchema(body);
    String canonical = schema.toString();
    List<Integer> versions = subjects.get(subject);
    Integer known = ids.get(canonical);
    if (versions != null && known != null && versions.contains(known)) {
      return idNode(known);
    }
    if (versions != null) {
      List<Schema> earlier = new ArrayList<>();
      versions.forEach(id -> earlier.add(parsed.get(id - 1)));
      CompatibilityLevel level = levelOf(subject);
      List<String> problems = AvroCompatibility.problems(level, schema, earlier);
      if (!problems.isEmpty()) {
        throw new RegistryError(
            RegistryProtocol.INCOMPATIBLE,
            "Schema being registered is incompatible with an earlier schema for subject \""
                + subject
                + "\", details: "
                + problems
                + " (compatibility "
                + level
                + ")");
      }
    }
    int id;
    if (known != null) {
      id = known;
    } else {
      schemas.add(canonical);
      parsed.add(schema);
      id = schemas.size();
      ids.put(canonical, id);
    }
    subjects.computeIfAbsent(subject, s -> new ArrayList<>()).add(id);
    LOG.debug("registered schema {} as {} version {}", id, subject, subjects.get(subject).size());
    return idNode(id);
  }

  private synchronized JsonNode lookup(String subject, JsonNode body) {
    Schema schema = parseSchema(body);
    List<Integer> versions = versionsOf(subject);
    Integer id = ids.get(schema.toString());
    int index = id == null ? -1 : versions.indexOf(id);
    if (index < 0) {
      throw new RegistryError(RegistryProtocol.SCHEMA_NOT_FOUND, "Schema not found");
    }
    return versionNode(subject, index + 1, id);
  }

  private synchronized JsonNode versionNode(String subject, String version) {
    List<Integer> versions = versionsOf(subject);
    int v = parseVersion(version);
    if (v == -1) {
      v = versions.size();
    }
    if (v > versions.size()) {
      throw new RegistryError(RegistryProtocol.VERSION_NOT_FOUND, "Version " + v + " not found.");
    }
    return versionNode(subject, v, versions.get(v - 1));
  }

  private JsonNode versionNode(String subject, int version, int id) {
    ObjectNode node = RegistryProtocol.JSON.createObjectNode();
    node.put("subject", subject);
    node.put("version", version);
    node.put("id", id);
    node.put("schema", schemas.get(id - 1));
    return node;
  }

  private synchronized JsonNode schemaById(String idText) {
    int id = schemaId(idText);
    ObjectNode node = RegistryProtocol.JSON.createObjectNode();
    node.put("schema", schemas.get(id - 1));
    return node;
  }

  private synchronized Answer versionsOfId(String idText, String what) {
    if (!what.equals("versions")) {
      return new Answer(404, errorBody(404, "HTTP 404 Not Found"));
    }
    int id = schemaId(idText);
    ArrayNode array = RegistryProtocol.JSON.createArrayNode();
    subjects.forEach(
        (subject, versions) -> {
          for (int v = 0; v < versions.size(); v++) {
            if (versions.get(v) == id) {
              array.addObject().put("subject", subject).put("version", v + 1);
            }
          }
        });
    return ok(array);
  }

  private synchronized JsonNode checkCompatibility(
      String subject, String version, JsonNode body, boolean verbose) {
    Schema schema = parseSchema(body);
    int v = parseVersion(version);
    List<Integer> versions = subjects.get(subject);
    ObjectNode node = RegistryProtocol.JSON.createObjectNode();
    if (versions == null && v == -1) {
      node.put("is_compatible", true);
      return node;
    }
    versions = versionsOf(subject);
    int upTo = v == -1 ? versions.size() : v;
    if (upTo > versions.size()) {
      throw new RegistryError(
          RegistryProtocol.VERSION_NOT_FOUND, "Version " + upTo + " not found.");
    }
    List<Schema> earlier = new ArrayList<>();
    CompatibilityLevel level = levelOf(subject);
    if (level.transitive()) {
      for (int i = 0; i < upTo; i++) {
        earlier.add(parsed.get(versions.get(i) - 1));
      }
    } else {
      earlier.add(parsed.get(versions.get(upTo - 1) - 1));
    }
    List<String> problems = AvroCompatibility.problems(level, schema, earlier);
    node.put("is_compatible", problems.isEmpty());
    if (verbose) {
      ArrayNode messages = node.putArray("messages");
      problems.forEach(messages::add);
    }
    return node;
  }

  private synchronized CompatibilityLevel globalLevel() {
    return globalLevel;
  }

  private synchronized JsonNode getSubjectLevel(String subject, boolean defaultToGlobal) {
    CompatibilityLevel level = subjectLevels.get(subject);
    if (level == null && !defaultToGlobal) {
      throw new RegistryError(
          RegistryProtocol.SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED,
          "Subject '" + subject + "' does not have subject-level compatibility configured");
    }
    return levelNode("compatibilityLevel", level == null ? globalLevel : level);
  }

  private synchronized JsonNode setLevel(String subject, JsonNode body) {
    CompatibilityLevel level;
    try {
      level = CompatibilityLevel.parse(body.path("compatibility").asText(null));
    } catch (IllegalArgumentException e) {
      throw new RegistryError(
          RegistryProtocol.INVALID_COMPATIBILITY_LEVEL,
          "Invalid compatibility level. Valid values are none, backward, forward, full,"
              + " backward_transitive, forward_transitive, and full_transitive");
    }
    if (subject == null) {
      globalLevel = level;
    } else {
      subjectLevels.put(subject, level);
    }
    return levelNode("compatibility", level);
  }

  private synchronized JsonNode deleteSubjectLevel(String subject) {
    CompatibilityLevel level = subjectLevels.remove(subject);
    if (level == null) {
      throw new RegistryError(
          RegistryProtocol.SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
    }
    return levelNode("compatibilityLevel", level);
  }

  // ---------------------------------------------------------------- helpers

  private CompatibilityLevel levelOf(String subject) {
    return subjectLevels.getOrDefault(subject, globalLevel);
  }

  private List<Integer> versionsOf(String subject) {
    List<Integer> versions = subjects.get(subject);
    if (versions == null) {
      throw new RegistryError(
          RegistryProtocol.SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
    }
    return versions;
  }

  private int schemaId(String text) {
    int id;
    try {
      id = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      id = -1;
    }
    if (id < 1 || id > schemas.size()) {
      throw new RegistryError(RegistryProtocol.SCHEMA_NOT_FOUND, "Schema " + text + " not found");
    }
    return id;
  }

  /** A version number, or -1 for {@code latest} (or -1 itself, as Confluent accepts). */
  private static int parseVersion(String text) {
    if (text.equalsIgnoreCase("latest")) {
      return -1;
    }
    try {
      int v = Integer.parseInt(text);
      if (v >= 1 || v == -1) {
        return v;
      }
    } catch (NumberFormatException e) {
      // falls through to the error below
    }
    throw new RegistryError(
        RegistryProtocol.INVALID_VERSION,
        "The specified version '"
            + text
            + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the"
            + " string \"latest\"");
  }

  private static Schema parseSchema(JsonNode body) {
    String type = body.path("schemaType").asText(RegistryProtocol.AVRO);
    if (!type.equals(RegistryProtocol.AVRO)) {
      throw new RegistryError(
          RegistryProtocol.INVALID_SCHEMA,
          "Invalid schema type " + type + ": this registry holds only AVRO schemas");
    }
    if (body.path("references").size() > 0) {
      throw new RegistryError(
          RegistryProtocol.INVALID_SCHEMA, "Invalid schema: schema references are not supported");
    }
    JsonNode text = body.get("schema");
    if (text == null || !text.isTextual() || text.asText().isBlank()) {
      throw new RegistryError(RegistryProtocol.INVALID_SCHEMA, "Invalid schema: empty schema");
    }
    try {
      return new Schema.Parser().parse(text.asText());
    } catch (RuntimeException e) {
      // Avro 1.12 throws SchemaParseException, AvroTypeException, and NullPointerException for
      // unknown type names: all mean an invalid schema
      throw new RegistryError(
          RegistryProtocol.INVALID_SCHEMA,
          "Invalid schema " + text.asText() + ": " + e.getMessage());
    }
  }

  private static JsonNode body(HttpExchange exchange) throws IOException {
    byte[] bytes;
    try (InputStream in = exchange.getRequestBody()) {
      bytes = in.readAllBytes();
    }
    try {
      JsonNode node = RegistryProtocol.JSON.readTree(bytes);
      if (node == null || !node.isObject()) {
        throw new RegistryError(400, 400, "Request body must be a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new RegistryError(400, 400, "Unparsable JSON request body: " + e.getOriginalMessage());
    }
  }

  private static List<String> segments(String rawPath) {
    List<String> segments = new ArrayList<>();
    for (String raw : rawPath.split("/")) {
      if (!raw.isEmpty()) {
        segments.add(URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
      }
    }
    return segments;
  }

  private static Map<String, String> query(String rawQuery) {
    Map<String, String> query = new HashMap<>();
    if (rawQuery != null) {
      for (String pair : rawQuery.split("&")) {
        int eq = pair.indexOf('=');
        String key = eq < 0 ? pair : pair.substring(0, eq);
        String value = eq < 0 ? "" : pair.substring(eq + 1);
        query.put(
            URLDecoder.decode(key, StandardCharsets.UTF_8),
            URLDecoder.decode(value, StandardCharsets.UTF_8));
      }
    }
    return query;
  }

  private static JsonNode idNode(int id) {
    ObjectNode node = RegistryProtocol.JSON.createObjectNode();
    node.put("id", id);
    return node;
  }

  private static JsonNode levelNode(String field, CompatibilityLevel level) {
    ObjectNode node = RegistryProtocol.JSON.createObjectNode();
    node.put(field, level.name());
    return node;
  }

  private static Answer ok(JsonNode node) {
    try {
      return new Answer(200, RegistryProtocol.JSON.writeValueAsString(node));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Answer notAllowed() {
    return new Answer(405, errorBody(405, "HTTP 405 Method Not Allowed"));
  }

  private static Answer error(int code, String message) {
    return new Answer(RegistryProtocol.httpStatusOf(code), errorBody(code, message));
  }

  private static String errorBody(int code, String message) {
    ObjectNode node = RegistryProtocol.JSON.createObjectNode();
    node.put("error_code", code);
    node.put("message", message);
    return node.toString();
  }

  private record Answer(int status, String body) {}

  /** An error answer, thrown from inside an endpoint. */
  private static final class RegistryError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int code;
    private final int status;

    RegistryError(int code, String message) {
      this(code, RegistryProtocol.httpStatusOf(code), message);
    }

    RegistryError(int code, int status, String message) {
      super(message, null, false, false);
      this.code = code;
      this.status = status;
    }

    Answer answer() {
      return new Answer(status, errorBody(code, getMessage()));
    }
  }

  /** Options of an {@link EmbeddedSchemaRegistry}. */
  public static final class Builder {
    private InetAddress host = InetAddress.getLoopbackAddress();
    private int port;
    private int threads = 4;
    private CompatibilityLevel compatibility = CompatibilityLevel.BACKWARD;
    private String user;
    private String password;
    private SSLContext sslContext;
    private boolean needClientAuth;

    private Builder() {}

    /**
     * Serves HTTPS with {@code sslContext} (its key managers hold the server certificate); with
     * {@code needClientAuth} clients must present a certificate its trust managers accept.
     */
    public Builder tls(SSLContext sslContext, boolean needClientAuth) {
      this.sslContext = sslContext;
      this.needClientAuth = needClientAuth;
      return this;
    }

    /** The address to listen on (default: loopback). */
    public Builder host(InetAddress host) {
      this.host = host;
      return this;
    }

    /** The port to listen on (default 0: a free one). */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** Worker threads (default 4). */
    public Builder threads(int threads) {
      this.threads = threads;
      return this;
    }

    /** The registry-wide compatibility level (default BACKWARD). */
    public Builder compatibility(CompatibilityLevel compatibility) {
      this.compatibility = compatibility;
      return this;
    }

    /** Requires HTTP basic authentication with these credentials. */
    public Builder basicAuth(String user, String password) {
      this.user = user;
      this.password = password;
      return this;
    }

    /**
     * Starts the server.
     *
     * @throws IllegalStateException when the port cannot be bound
     */
    public EmbeddedSchemaRegistry start() {
      try {
        return new EmbeddedSchemaRegistry(this);
      } catch (IOException e) {
        throw new IllegalStateException(
            "cannot start the embedded schema registry on "
                + host.getHostAddress()
                + ":"
                + port
                + ": "
                + e.getMessage(),
            e);
      }
    }
  }
}
