package io.reelsense.stream.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client of Confluent's Schema Registry REST API over {@link java.net.http}; works unchanged
 * against Confluent's server and against {@link EmbeddedSchemaRegistry}.
 *
 * <p>Schema ids are cached both ways (subject + schema → id, id → schema), so serializing and
 * deserializing touch the network once per schema. An id the registry answered 40403 for is
 * remembered as unknown too, for a while and up to a number of ids ({@link Builder#unknownIdCache}:
 * by default 10 000 ids for 30 s), so records carrying the same unknown id fail at once instead of
 * each costing a round trip. Thread-safe.
 *
 * <p>Errors answered by the registry become {@link SchemaRegistryException} with Confluent's error
 * code and message; a registry that cannot be reached becomes one with {@link
 * SchemaRegistryException#UNREACHABLE}. Credentials are never logged nor shown by {@link
 * #toString()}.
 */
public final class SchemaRegistryClient {

  private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryClient.class);

  /** Kafka-style configuration key of the registry URL(s), comma-separated. */
  public static final String URL_CONFIG = "schema.registry.url";

  /** Kafka-style configuration key of the basic-auth credentials, {@code user:password}. */
  public static final String BASIC_AUTH_USER_INFO_CONFIG = "basic.auth.user.info";

  /** Kafka-style configuration key of the truststore file. */
  public static final String TRUSTSTORE_LOCATION_CONFIG = "schema.registry.ssl.truststore.location";

  /** Kafka-style configuration key of the truststore password. */
  public static final String TRUSTSTORE_PASSWORD_CONFIG = "schema.registry.ssl.truststore.password";

  /** Kafka-style configuration key of the truststore type (default PKCS12). */
  public static final String TRUSTSTORE_TYPE_CONFIG = "schema.registry.ssl.truststore.type";

  /** Kafka-style configuration key of the keystore file (client certificate). */
  public static final String KEYSTORE_LOCATION_CONFIG = "schema.registry.ssl.keystore.location";

  /** Kafka-style configuration key of the keystore password. */
  public static final String KEYSTORE_PASSWORD_CONFIG = "schema.registry.ssl.keystore.password";

  /** Kafka-style configuration key of the keystore type (default PKCS12). */
  public static final String KEYSTORE_TYPE_CONFIG = "schema.registry.ssl.keystore.type";

  /** Kafka-style configuration key of the private key's password (default: keystore's). */
  public static final String KEY_PASSWORD_CONFIG = "schema.registry.ssl.key.password";

  private final List<URI> urls;
  private final String authorization;
  private final Duration requestTimeout;
  private final HttpClient http;
  private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();
  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
  private final UnknownIds unknownIds;

  private SchemaRegistryClient(Builder builder) {
    this.urls = List.copyOf(builder.urls);
    this.authorization =
        builder.userInfo == null
            ? null
            : "Basic "
                + Base64.getEncoder()
                    .encodeToString(builder.userInfo.getBytes(StandardCharsets.UTF_8));
    this.requestTimeout = builder.requestTimeout;
    this.unknownIds = new UnknownIds(builder.unknownIdLimit, builder.unknownIdTtl);
    HttpClient.Builder http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(builder.connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER);
    if (builder.truststore != null || builder.keystore != null) {
      http.sslContext(sslContext(builder));
    }
    this.http = http.build();
  }

  /** A client of the registry at {@code url} (several may be given, comma-separated). */
  public static SchemaRegistryClient of(String url) {
    return builder(url).build();
  }

  /** A builder for a client of the registry at {@code url} (comma-separated for several). */
  public static Builder builder(String url) {
    return new Builder(url);
  }

  /**
   * A client from Kafka-style configuration, with Confluent's key names: {@value #URL_CONFIG},
   * {@value #BASIC_AUTH_USER_INFO_CONFIG}, {@value #TRUSTSTORE_LOCATION_CONFIG}, {@value
   * #TRUSTSTORE_PASSWORD_CONFIG}, {@value #TRUSTSTORE_TYPE_CONFIG}, {@value
   * #KEYSTORE_LOCATION_CONFIG}, {@value #KEYSTORE_PASSWORD_CONFIG}, {@value #KEYSTORE_TYPE_CONFIG},
   * {@value #KEY_PASSWORD_CONFIG}.
   *
   * @throws IllegalArgumentException naming the key when {@value #URL_CONFIG} is missing
   */
  public static SchemaRegistryClient fromConfig(Map<String, ?> config) {
    return fromConfig(config, null, null);
  }

  /**
   * As {@link #fromConfig(Map)}, with the given connect and request timeouts (null: the defaults),
   * e.g. short ones for a start-up check.
   */
  public static SchemaRegistryClient fromConfig(
      Map<String, ?> config, Duration connectTimeout, Duration requestTimeout) {
    String url = string(config, URL_CONFIG);
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException(
          "missing '" + URL_CONFIG + "': set it to the schema registry URL, e.g. http://host:8081");
    }
    Builder builder = builder(url);
    if (connectTimeout != null && requestTimeout != null) {
      builder.timeouts(connectTimeout, requestTimeout);
    }
    String userInfo = string(config, BASIC_AUTH_USER_INFO_CONFIG);
    if (userInfo != null && !userInfo.isEmpty()) {
      builder.basicAuth(userInfo);
    }
    String truststore = string(config, TRUSTSTORE_LOCATION_CONFIG);
    if (truststore != null && !truststore.isEmpty()) {
      builder.truststore(
          Path.of(truststore),
          chars(string(config, TRUSTSTORE_PASSWORD_CONFIG)),
          string(config, TRUSTSTORE_TYPE_CONFIG));
    }
    String keystore = string(config, KEYSTORE_LOCATION_CONFIG);
    if (keystore != null && !keystore.isEmpty()) {
      builder.keystore(
          Path.of(keystore),
          chars(string(config, KEYSTORE_PASSWORD_CONFIG)),
          chars(string(config, KEY_PASSWORD_CONFIG)),
          string(config, KEYSTORE_TYPE_CONFIG));
    }
    return builder.build();
  }

  // ---------------------------------------------------------------- cached, used by the serde

  /**
   * Registers {@code schema} under {@code subject} ({@code POST /subjects/{s}/versions}) unless
   * this client already knows its id; returns the registry-wide schema id.
   *
   * @throws SchemaRegistryException 409 when incompatible, 42201 when invalid
   */
  public int register(String subject, Schema schema) {
    Map<Schema, Integer> ids =
        idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>());
    Integer cached = ids.get(schema);
    if (cached != null) {
      return cached;
    }
    int id = registerSchema(subject, schema.toString());
    ids.put(schema, id);
    schemasById.putIfAbsent(id, schema);
    return id;
  }

  /**
   * The id of {@code schema} in {@code subject} ({@code POST /subjects/{s}}), without registering
   * it; cached.
   *
   * @throws SchemaRegistryException 40401 subject not found, 40403 schema not found
   */
  public int idOf(String subject, Schema schema) {
    Map<Schema, Integer> ids =
        idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>());
    Integer cached = ids.get(schema);
    if (cached != null) {
      return cached;
    }
    int id = lookup(subject, schema.toString()).id();
    ids.put(schema, id);
    schemasById.putIfAbsent(id, schema);
    return id;
  }

  /**
   * The schema with registry-wide id {@code id} ({@code GET /schemas/ids/{id}}); cached.
   *
   * @throws SchemaRegistryException 40403 when no schema has this id
   */
  public Schema schemaById(int id) {
    Schema cached = schemasById.get(id);
    if (cached != null) {
      return cached;
    }
    SchemaRegistryException remembered = unknownIds.get(id);
    if (remembered != null) {
      throw remembered;
    }
    String text;
    try {
      text = schemaTextById(id);
    } catch (SchemaRegistryException e) {
      if (e.errorCode() == RegistryProtocol.SCHEMA_NOT_FOUND) {
        unknownIds.put(id, e);
      }
      throw e;
    }
    Schema schema;
    try {
      schema = new Schema.Parser().parse(text);
    } catch (RuntimeException e) {
      throw new SchemaRegistryException(
          RegistryProtocol.INVALID_SCHEMA,
          0,
          "schema " + id + " does not parse: " + e.getMessage());
    }
    Schema raced = schemasById.putIfAbsent(id, schema);
    return raced == null ? schema : raced;
  }

  // ---------------------------------------------------------------- the REST API, uncached

  /** {@code POST /subjects/{s}/versions}: registers {@code schema}, returns its id. */
  public int registerSchema(String subject, String schema) {
    return call("POST", "/subjects/" + seg(subject) + "/versions", schemaBody(schema))
        .path("id")
        .asInt();
  }

  /** {@code POST /subjects/{s}}: the version of {@code subject} holding {@code schema}. */
  public SubjectVersion lookup(String subject, String schema) {
    return subjectVersion(call("POST", "/subjects/" + seg(subject), schemaBody(schema)));
  }

  /** {@code GET /schemas/ids/{id}}: the text of the schema with id {@code id}. */
  public String schemaTextById(int id) {
    return call("GET", "/schemas/ids/" + id, null).path("schema").asText();
  }

  /** {@code GET /subjects}: every subject. */
  public List<String> subjects() {
    List<String> subjects = new ArrayList<>();
    call("GET", "/subjects", null).forEach(node -> subjects.add(node.asText()));
    return subjects;
  }

  /** {@code GET /subjects/{s}/versions}: the versions of {@code subject}, oldest first. */
  public List<Integer> versions(String subject) {
    List<Integer> versions = new ArrayList<>();
    call("GET", "/subjects/" + seg(subject) + "/versions", null)
        .forEach(node -> versions.add(node.asInt()));
    return versions;
  }

  /** {@code GET /subjects/{s}/versions/{v}}: one version of {@code subject}. */
  public SubjectVersion version(String subject, int version) {
    return version(subject, Integer.toString(version));
  }

  /** {@code GET /subjects/{s}/versions/latest}: the latest version of {@code subject}. */
  public SubjectVersion latest(String subject) {
    return version(subject, "latest");
  }

  /** {@code GET /subjects/{s}/versions/{v}} with {@code v} a number or {@code latest}. */
  public SubjectVersion version(String subject, String version) {
    return subjectVersion(
        call("GET", "/subjects/" + seg(subject) + "/versions/" + seg(version), null));
  }

  /**
   * {@code POST /compatibility/subjects/{s}/versions/{v}}: whether {@code schema} is compatible
   * with version {@code version} ({@code latest} or a number) of {@code subject} under the
   * subject's compatibility level.
   */
  public boolean isCompatible(String subject, String version, String schema) {
    return call(
            "POST",
            "/compatibility/subjects/" + seg(subject) + "/versions/" + seg(version),
            schemaBody(schema))
        .path("is_compatible")
        .asBoolean();
  }

  /** Whether {@code schema} is compatible with the latest version of {@code subject}. */
  public boolean isCompatible(String subject, Schema schema) {
    return isCompatible(subject, "latest", schema.toString());
  }

  /** {@code GET /config}: the registry-wide compatibility level. */
  public CompatibilityLevel globalCompatibility() {
    return CompatibilityLevel.parse(
        call("GET", "/config", null).path("compatibilityLevel").asText());
  }

  /** {@code PUT /config}: sets the registry-wide compatibility level; returns it. */
  public CompatibilityLevel setGlobalCompatibility(CompatibilityLevel level) {
    return CompatibilityLevel.parse(
        call("PUT", "/config", compatibilityBody(level)).path("compatibility").asText());
  }

  /**
   * {@code GET /config/{s}?defaultToGlobal=true}: the level that applies to {@code subject} (its
   * own, else the registry-wide one).
   */
  public CompatibilityLevel compatibility(String subject) {
    return CompatibilityLevel.parse(
        call("GET", "/config/" + seg(subject) + "?defaultToGlobal=true", null)
            .path("compatibilityLevel")
            .asText());
  }

  /**
   * {@code GET /config/{s}}: the level set on {@code subject} itself.
   *
   * @throws SchemaRegistryException 40408 (40401 on older registries) when the subject has none
   */
  public CompatibilityLevel subjectCompatibility(String subject) {
    return CompatibilityLevel.parse(
        call("GET", "/config/" + seg(subject), null).path("compatibilityLevel").asText());
  }

  /** {@code PUT /config/{s}}: sets {@code subject}'s compatibility level; returns it. */
  public CompatibilityLevel setCompatibility(String subject, CompatibilityLevel level) {
    return CompatibilityLevel.parse(
        call("PUT", "/config/" + seg(subject), compatibilityBody(level))
            .path("compatibility")
            .asText());
  }

  /** The registry URLs, without credentials. */
  public List<URI> urls() {
    return urls;
  }

  @Override
  public String toString() {
    return "SchemaRegistryClient" + urls + (authorization == null ? "" : " (basic auth)");
  }

  // ---------------------------------------------------------------- HTTP

  private JsonNode call(String method, String path, String body) {
    SchemaRegistryException unreachable = null;
    for (URI url : urls) {
      URI target = URI.create(stripSlash(url.toString()) + path);
      HttpRequest.Builder request =
          HttpRequest.newBuilder(target)
              .timeout(requestTimeout)
              .header("Accept", RegistryProtocol.ACCEPT)
              .method(
                  method,
                  body == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
      if (body != null) {
        request.header("Content-Type", RegistryProtocol.CONTENT_TYPE);
      }
      if (authorization != null) {
        request.header("Authorization", authorization);
      }
      HttpResponse<byte[]> response;
      try {
        response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (ConnectException e) {
        LOG.debug("schema registry {} refused {} {}", url, method, path);
        unreachable =
            new SchemaRegistryException("schema registry " + url + " is unreachable: " + e, e);
        continue;
      } catch (IOException e) {
        unreachable =
            new SchemaRegistryException(
                "schema registry " + url + " failed on " + method + " " + path + ": " + e, e);
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SchemaRegistryException("interrupted calling schema registry " + url, e);
      }
      return answer(method, path, response);
    }
    throw Objects.requireNonNull(unreachable);
  }

  private static JsonNode answer(String method, String path, HttpResponse<byte[]> response) {
    JsonNode json;
    try {
      json = response.body().length == 0 ? null : RegistryProtocol.JSON.readTree(response.body());
    } catch (IOException e) {
      json = null;
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300 && json != null) {
      return json;
    }
    if (json != null && json.has("error_code")) {
      throw new SchemaRegistryException(
          json.path("error_code").asInt(), status, json.path("message").asText(""));
    }
    String text = new String(response.body(), StandardCharsets.UTF_8);
    throw new SchemaRegistryException(
        status,
        status,
        method
            + " "
            + path
            + " answered HTTP "
            + status
            + (text.isBlank() ? "" : ": " + text.substring(0, Math.min(200, text.length()))));
  }

  private static SubjectVersion subjectVersion(JsonNode node) {
    return new SubjectVersion(
        node.path("subject").asText(),
        node.path("id").asInt(),
        node.path("version").asInt(),
        node.path("schema").asText());
  }

  private static String schemaBody(String schema) {
    ObjectNode body = RegistryProtocol.JSON.createObjectNode();
    body.put("schema", schema);
    return write(body);
  }

  private static String compatibilityBody(CompatibilityLevel level) {
    ObjectNode body = RegistryProtocol.JSON.createObjectNode();
    body.put("compatibility", level.name());
    return write(body);
  }

  private static String write(JsonNode node) {
    try {
      return RegistryProtocol.JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  /** A path segment, percent-encoded (spaces as %20, not +). */
  static String seg(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private static String string(Map<String, ?> config, String key) {
    Object value = config.get(key);
    if (value == null) {
      return null;
    }
    if (value instanceof org.apache.kafka.common.config.types.Password password) {
      return password.value();
    }
    return value.toString();
  }

  private static char[] chars(String value) {
    return value == null ? null : value.toCharArray();
  }

  // ---------------------------------------------------------------- TLS

  private static SSLContext sslContext(Builder builder) {
    try {
      TrustManagerFactory trust = null;
      if (builder.truststore != null) {
        KeyStore store =
            load(builder.truststore, builder.truststorePassword, builder.truststoreType);
        trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
      }
      KeyManagerFactory keys = null;
      if (builder.keystore != null) {
        KeyStore store = load(builder.keystore, builder.keystorePassword, builder.keystoreType);
        keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(
            store, builder.keyPassword != null ? builder.keyPassword : builder.keystorePassword);
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(
          keys == null ? null : keys.getKeyManagers(),
          trust == null ? null : trust.getTrustManagers(),
          null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot set up TLS for the schema registry: " + e, e);
    }
  }

  private static KeyStore load(Path path, char[] password, String type)
      throws GeneralSecurityException {
    String storeType = type == null || type.isBlank() ? KeyStore.getDefaultType() : type;
    KeyStore store = KeyStore.getInstance(storeType.toUpperCase(Locale.ROOT));
    try (InputStream in = Files.newInputStream(path)) {
      store.load(in, password);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read " + storeType + " key store " + path + ": " + e.getMessage(), e);
    }
    return store;
  }

  /**
   * Ids the registry answered 40403 for, with that answer: at most {@code limit} of them (the least
   * recently asked go first), each for {@code ttl}.
   */
  private static final class UnknownIds {
    private final int limit;
    private final long ttlNanos;
    private final LinkedHashMap<Integer, Miss> misses;

    private record Miss(long expiresAt, SchemaRegistryException answer) {}

    UnknownIds(int limit, Duration ttl) {
      this.limit = limit;
      this.ttlNanos = ttl.toNanos();
      this.misses =
          new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, Miss> eldest) {
              return size() > UnknownIds.this.limit;
            }
          };
    }

    synchronized SchemaRegistryException get(int id) {
      Miss miss = misses.get(id);
      if (miss == null) {
        return null;
      }
      if (System.nanoTime() - miss.expiresAt >= 0) {
        misses.remove(id);
        return null;
      }
      return new SchemaRegistryException(
          miss.answer.errorCode(), miss.answer.httpStatus(), miss.answer.registryMessage());
    }

    synchronized void put(int id, SchemaRegistryException answer) {
      if (limit > 0 && ttlNanos > 0) {
        misses.put(id, new Miss(System.nanoTime() + ttlNanos, answer));
      }
    }
  }

  /** Options of a {@link SchemaRegistryClient}. */
  public static final class Builder {
    private final List<URI> urls = new ArrayList<>();
    private String userInfo;
    private Path truststore;
    private char[] truststorePassword;
    private String truststoreType;
    private Path keystore;
    private char[] keystorePassword;
    private char[] keyPassword;
    private String keystoreType;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private int unknownIdLimit = 10_000;
    private Duration unknownIdTtl = Duration.ofSeconds(30);

    private Builder(String url) {
      for (String one : url.split(",")) {
        if (!one.isBlank()) {
          URI uri = URI.create(one.trim());
          if (uri.getScheme() == null
              || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
            throw new IllegalArgumentException(
                "schema registry URL '" + one.trim() + "' must start with http:// or https://");
          }
          urls.add(uri);
        }
      }
      if (urls.isEmpty()) {
        throw new IllegalArgumentException("no schema registry URL in '" + url + "'");
      }
    }

    /** HTTP basic authentication with {@code user:password} (never logged). */
    public Builder basicAuth(String userInfo) {
      if (!userInfo.contains(":")) {
        throw new IllegalArgumentException(
            "basic auth credentials must be 'user:password' (the value is not shown here)");
      }
      this.userInfo = userInfo;
      return this;
    }

    /** Trusts the certificates in {@code path} (type PKCS12 or JKS; null = JDK default). */
    public Builder truststore(Path path, char[] password, String type) {
      this.truststore = path;
      this.truststorePassword = password == null ? null : Arrays.copyOf(password, password.length);
      this.truststoreType = type;
      return this;
    }

    /** Presents the client certificate in {@code path} (mutual TLS). */
    public Builder keystore(Path path, char[] password, char[] keyPassword, String type) {
      this.keystore = path;
      this.keystorePassword = password == null ? null : Arrays.copyOf(password, password.length);
      this.keyPassword =
          keyPassword == null ? null : Arrays.copyOf(keyPassword, keyPassword.length);
      this.keystoreType = type;
      return this;
    }

    /** Timeouts to connect and for a whole request (defaults 10 s and 30 s). */
    public Builder timeouts(Duration connect, Duration request) {
      this.connectTimeout = connect;
      this.requestTimeout = request;
      return this;
    }

    /**
     * Remembers up to {@code limit} ids the registry does not know (40403), each for {@code ttl},
     * and fails lookups of them without asking again (defaults 10 000 and 30 s; 0 turns it off).
     */
    public Builder unknownIdCache(int limit, Duration ttl) {
      if (limit < 0 || ttl.isNegative()) {
        throw new IllegalArgumentException("unknown-id cache limit and time must not be negative");
      }
      this.unknownIdLimit = limit;
      this.unknownIdTtl = ttl;
      return this;
    }

    public SchemaRegistryClient build() {
      return new SchemaRegistryClient(this);
    }
  }
}
