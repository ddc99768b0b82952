package io.reelsense.stream;

import io.reelsense.model.encoder.Precision;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The one typed configuration of the streaming job. Values come, by increasing precedence, from the
 * defaults, a properties file ({@code --config FILE}), the environment ({@code REELSENSE_} + the
 * key in upper case with {@code .} and {@code -} as {@code _}, e.g. {@code
 * REELSENSE_BOOTSTRAP_SERVERS}) and explicit overrides (command-line options). Keys starting with
 * {@code kafka.} are passed, without the prefix, to every Kafka client (e.g. {@code
 * kafka.security.protocol=SASL_SSL}).
 *
 * <p>Every value is parsed and checked when the configuration is built; a bad one throws {@link
 * ConfigError} naming the key, where the value came from and what is wrong. {@link #toString()} and
 * {@link #describe()} mask secrets: every setting Kafka declares a password, our own registry
 * credentials, and the user-info of any URL (see {@link #isSecret} and {@link #printable}).
 */
public final class ReelsenseConfig {

  public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
  public static final String REGISTRY_URL = "schema.registry.url";
  public static final String REGISTRY_BASIC_AUTH = "basic.auth.user.info";
  public static final String REGISTRY_TRUSTSTORE = "schema.registry.ssl.truststore.location";
  public static final String REGISTRY_TRUSTSTORE_PASSWORD =
      "schema.registry.ssl.truststore.password";
  public static final String REGISTRY_TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";
  public static final String REGISTRY_KEYSTORE = "schema.registry.ssl.keystore.location";
  public static final String REGISTRY_KEYSTORE_PASSWORD = "schema.registry.ssl.keystore.password";
  public static final String REGISTRY_KEYSTORE_TYPE = "schema.registry.ssl.keystore.type";
  public static final String REGISTRY_KEY_PASSWORD = "schema.registry.ssl.key.password";
  public static final String APPLICATION_ID = "application.id";
  public static final String TOPIC_REVIEWS = "topic.reviews";
  public static final String TOPIC_SCORED = "topic.reviews-scored";
  public static final String TOPIC_EMBEDDINGS = "topic.review-embeddings";
  public static final String TOPIC_DLQ = "topic.reviews-dlq";
  public static final String TOPIC_FILMS = "topic.films";
  public static final String TOPIC_FILM_EMBEDDINGS = "topic.film-embeddings";
  public static final String TOPIC_FILM_NEIGHBOURS = "topic.film-neighbours";
  public static final String TOPIC_PARTITIONS = "topic.partitions";
  public static final String TOPIC_REPLICATION = "topic.replication.factor";
  public static final String BUNDLE = "model.bundle";
  public static final String EMBEDDER = "model.embedder";
  public static final String EMBEDDER_MAX_LENGTH = "model.embedder.max.length";
  public static final String DEVICE = "model.device";
  public static final String PRECISION = "model.precision";
  public static final String BATCH_SIZE = "batch.size";
  public static final String FILMS_ENCODER = "films.encoder";
  public static final String FILMS_K = "films.k";
  public static final String FILMS_BATCH_SIZE = "films.batch.size";
  public static final String BATCH_MAX_WAIT_MS = "batch.max.wait.ms";
  public static final String STREAM_THREADS = "stream.threads";
  public static final String PROCESSING_GUARANTEE = "processing.guarantee";
  public static final String COMMIT_INTERVAL_MS = "commit.interval.ms";
  public static final String STATE_DIR = "state.dir";
  public static final String HTTP_HOST = "http.host";
  public static final String HTTP_PORT = "http.port";
  public static final String HTTP_ADVERTISED_HOST = "http.advertised.host";
  public static final String MAX_REVIEW_CHARS = "max.review.chars";

  /** Prefix of the keys passed through to every Kafka client. */
  public static final String KAFKA_PREFIX = "kafka.";

  /**
   * Prefix of the environment variables passed through to every Kafka client: {@code
   * REELSENSE_KAFKA_SASL_JAAS_CONFIG} sets {@code kafka.sasl.jaas.config} (lower case, {@code _} as
   * {@code .}).
   */
  public static final String KAFKA_ENV_PREFIX = "REELSENSE_KAFKA_";

  /** Embedder value: the bundle's own encoder when it has one, else {@code bge-small}. */
  public static final String EMBEDDER_AUTO = "auto";

  /** Embedder value: no embeddings at all ({@code review-embeddings} stays empty). */
  public static final String EMBEDDER_NONE = "none";

  private static final String MASK = "******";
  private static final Pattern TOPIC_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
  private static final Pattern EMBEDDER_NAME = Pattern.compile("[a-zA-Z0-9._/@:-]{1,200}");
  private static final Pattern DEVICE_NAME = Pattern.compile("cpu|gpu|auto|gpu:\\d{1,2}");

  /** Where a value came from, shown by {@link #describe()} and in error messages. */
  public enum Source {
    DEFAULT,
    FILE,
    ENV,
    OVERRIDE
  }

  private record Key(String name, String defaultValue, String doc) {}

  private static final Map<String, Key> KEYS = new LinkedHashMap<>();

  private static void key(String name, String defaultValue, String doc) {
    KEYS.put(name, new Key(name, defaultValue, doc));
  }

  static {
    key(BOOTSTRAP_SERVERS, "localhost:9092", "Kafka bootstrap servers, host:port[,host:port]");
    key(REGISTRY_URL, "http://localhost:8081", "schema registry URL(s), comma-separated");
    key(REGISTRY_BASIC_AUTH, "", "registry basic auth, user:password (secret)");
    key(REGISTRY_TRUSTSTORE, "", "registry TLS truststore file");
    key(REGISTRY_TRUSTSTORE_PASSWORD, "", "registry TLS truststore password (secret)");
    key(REGISTRY_TRUSTSTORE_TYPE, "PKCS12", "registry TLS truststore type");
    key(REGISTRY_KEYSTORE, "", "registry TLS client keystore file");
    key(REGISTRY_KEYSTORE_PASSWORD, "", "registry TLS keystore password (secret)");
    key(REGISTRY_KEYSTORE_TYPE, "PKCS12", "registry TLS keystore type");
    key(REGISTRY_KEY_PASSWORD, "", "registry TLS private key password (secret)");
    key(APPLICATION_ID, "reelsense", "Kafka Streams application id (consumer group, state)");
    key(TOPIC_REVIEWS, Topics.REVIEWS, "input topic of reviews (Avro Review)");
    key(TOPIC_SCORED, Topics.REVIEWS_SCORED, "output topic of scores (Avro ScoredReview)");
    key(TOPIC_EMBEDDINGS, Topics.REVIEW_EMBEDDINGS, "output topic of embeddings");
    key(TOPIC_DLQ, Topics.REVIEWS_DLQ, "dead-letter topic (Avro DeadLetter)");
    key(TOPIC_FILMS, Topics.FILMS, "film catalogue topic (Avro Film)");
    key(TOPIC_FILM_EMBEDDINGS, Topics.FILM_EMBEDDINGS, "film embedding topic");
    key(TOPIC_FILM_NEIGHBOURS, Topics.FILM_NEIGHBOURS, "film neighbour topic");
    key(TOPIC_PARTITIONS, "1", "partitions of topics created when missing");
    key(TOPIC_REPLICATION, "1", "replication factor of topics created when missing");
    key(BUNDLE, "", "model bundle directory");
    key(EMBEDDER, EMBEDDER_AUTO, "encoder behind review-embeddings: auto, none or a name");
    key(EMBEDDER_MAX_LENGTH, "128", "tokens an embedded review is cut to (head), 8-512");
    key(DEVICE, "auto", "where the model runs: auto, cpu, gpu or gpu:N");
    key(
        PRECISION,
        "fp32",
        "number format of the encoders: fp32, or fp16 (GPU only: half the memory)");
    key(BATCH_SIZE, "64", "reviews per model call (micro-batch size)");
    key(
        FILMS_ENCODER,
        EMBEDDER_AUTO,
        "encoder of the films topic: auto (bge-small when present), none or a name");
    key(FILMS_K, "10", "neighbours of every new or changed film on film-neighbours");
    key(FILMS_BATCH_SIZE, "32", "films per encoder call (film micro-batch size)");
    key(BATCH_MAX_WAIT_MS, "100", "longest a review waits in the buffer before its batch runs");
    key(STREAM_THREADS, "1", "Kafka Streams threads");
    key(PROCESSING_GUARANTEE, StreamsConfig.EXACTLY_ONCE_V2, "exactly_once_v2 or at_least_once");
    key(COMMIT_INTERVAL_MS, "100", "Kafka Streams commit interval (transaction length)");
    key(
        STATE_DIR,
        "",
        "Kafka Streams state directory (default: ~/.local/state/reelsense, not the temp"
            + " directory, which the OS may clear)");
    key(HTTP_HOST, "127.0.0.1", "bind address of the interactive-query HTTP server");
    key(HTTP_PORT, "7070", "port of the interactive-query HTTP server (0: any free port)");
    key(
        HTTP_ADVERTISED_HOST,
        "",
        "host other instances and clients reach the query server by (default: http.host, or"
            + " this host's address when http.host is a wildcard such as 0.0.0.0)");
    key(MAX_REVIEW_CHARS, "100000", "longer review texts go to the dead-letter topic");
  }

  private final Map<String, String> values;
  private final Map<String, Source> sources;
  private final Map<String, String> kafka;
  private final Topics topics;

  private ReelsenseConfig(Map<String, String> values, Map<String, Source> sources) {
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    this.sources = Collections.unmodifiableMap(new LinkedHashMap<>(sources));
    Map<String, String> k = new TreeMap<>();
    values.forEach(
        (key, value) -> {
          if (key.startsWith(KAFKA_PREFIX)) {
            k.put(key.substring(KAFKA_PREFIX.length()), value);
          }
        });
    this.kafka = Collections.unmodifiableMap(k);
    this.topics =
        new Topics(
            values.get(TOPIC_REVIEWS),
            values.get(TOPIC_SCORED),
            values.get(TOPIC_EMBEDDINGS),
            values.get(TOPIC_DLQ),
            values.get(TOPIC_FILMS),
            values.get(TOPIC_FILM_EMBEDDINGS),
            values.get(TOPIC_FILM_NEIGHBOURS));
    validate();
  }

  /** The defaults alone. */
  public static ReelsenseConfig defaults() {
    return load(null, Map.of(), Map.of());
  }

  /** The defaults with {@code overrides} (config keys) on top; for tests and embedding. */
  public static ReelsenseConfig of(Map<String, String> overrides) {
    return load(null, Map.of(), overrides);
  }

  /**
   * Builds the configuration from the defaults, then {@code file} (may be null), then {@code env}
   * (only {@code REELSENSE_*} variables that name a known key are read, and {@code
   * REELSENSE_KAFKA_*} ones as {@code kafka.*} settings), then {@code overrides}.
   *
   * @throws ConfigError for an unreadable file, an unknown key or an invalid value
   */
  public static ReelsenseConfig load(
      Path file, Map<String, String> env, Map<String, String> overrides) {
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, Source> sources = new LinkedHashMap<>();
    KEYS.values()
        .forEach(
            k -> {
              values.put(k.name(), k.defaultValue());
              sources.put(k.name(), Source.DEFAULT);
            });
    if (file != null) {
      readFile(file).forEach((k, v) -> put(values, sources, k, v, Source.FILE, "in " + file));
    }
    for (Key k : KEYS.values()) {
      String value = env.get(envName(k.name()));
      if (value != null) {
        values.put(k.name(), value.trim());
        sources.put(k.name(), Source.ENV);
      }
    }
    new TreeMap<>(env)
        .forEach(
            (name, value) -> {
              if (name.startsWith(KAFKA_ENV_PREFIX)
                  && name.length() > KAFKA_ENV_PREFIX.length()
                  && value != null) {
                String key =
                    KAFKA_PREFIX
                        + name.substring(KAFKA_ENV_PREFIX.length())
                            .toLowerCase(Locale.ROOT)
                            .replace('_', '.');
                values.put(key, value.trim());
                sources.put(key, Source.ENV);
              }
            });
    overrides.forEach((k, v) -> put(values, sources, k, v, Source.OVERRIDE, "given"));
    return new ReelsenseConfig(values, sources);
  }

  /** This configuration with {@code overrides} (config keys) applied on top. */
  public ReelsenseConfig with(Map<String, String> overrides) {
    Map<String, String> v = new LinkedHashMap<>(values);
    Map<String, Source> s = new LinkedHashMap<>(sources);
    overrides.forEach((k, value) -> put(v, s, k, value, Source.OVERRIDE, "given"));
    return new ReelsenseConfig(v, s);
  }

  /** The environment variable read for {@code key}, e.g. {@code REELSENSE_BATCH_SIZE}. */
  public static String envName(String key) {
    return "REELSENSE_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** Every known key (without the {@code kafka.*} pass-through) with its default and meaning. */
  public static Map<String, String> documentation() {
    Map<String, String> docs = new LinkedHashMap<>();
    KEYS.values()
        .forEach(
            k ->
                docs.put(
                    k.name(),
                    k.doc() + (k.defaultValue().isEmpty() ? "" : " [" + k.defaultValue() + "]")));
    return docs;
  }

  private static void put(
      Map<String, String> values,
      Map<String, Source> sources,
      String key,
      String value,
      Source source,
      String where) {
    if (!KEYS.containsKey(key) && !key.startsWith(KAFKA_PREFIX)) {
      throw new ConfigError(
          "unknown configuration key '"
              + key
              + "' "
              + where
              + "; known keys: "
              + String.join(", ", KEYS.keySet())
              + ", and kafka.* for Kafka client settings");
    }
    if (key.startsWith(KAFKA_PREFIX) && key.length() == KAFKA_PREFIX.length()) {
      throw new ConfigError("configuration key 'kafka.' " + where + " names no Kafka setting");
    }
    values.put(key, value == null ? "" : value.trim());
    sources.put(key, source);
  }

  private static Map<String, String> readFile(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigError("configuration file " + file + " does not exist or is not a file");
    }
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigError("cannot read configuration file " + file + ": " + e.getMessage(), e);
    }
    Map<String, String> m = new TreeMap<>();
    p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
    return m;
  }

  // ------------------------------------------------------------------------- validation

  private void validate() {
    List<String> servers = list(BOOTSTRAP_SERVERS);
    if (servers.isEmpty()) {
      throw invalid(BOOTSTRAP_SERVERS, "must name at least one host:port");
    }
    for (String s : servers) {
      int colon = s.lastIndexOf(':');
      if (colon <= 0 || colon == s.length() - 1) {
        throw invalid(BOOTSTRAP_SERVERS, "'" + s + "' is not host:port");
      }
      port(BOOTSTRAP_SERVERS, s.substring(colon + 1), 1);
    }
    List<String> urls = list(REGISTRY_URL);
    if (urls.isEmpty()) {
      throw invalid(REGISTRY_URL, "must name at least one http:// or https:// URL");
    }
    for (String u : urls) {
      try {
        URI uri = new URI(u);
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
            || uri.getHost() == null) {
          throw invalid(REGISTRY_URL, "'" + u + "' is not an http:// or https:// URL with a host");
        }
      } catch (URISyntaxException e) {
        throw invalid(REGISTRY_URL, "'" + u + "' is not a URL: " + e.getReason());
      }
    }
    String auth = values.get(REGISTRY_BASIC_AUTH);
    if (!auth.isEmpty() && auth.indexOf(':') <= 0) {
      throw invalid(REGISTRY_BASIC_AUTH, "must be user:password");
    }
    for (String store : List.of(REGISTRY_TRUSTSTORE, REGISTRY_KEYSTORE)) {
      String path = values.get(store);
      if (!path.isEmpty() && !Files.isRegularFile(Path.of(path))) {
        throw invalid(store, "file " + path + " does not exist");
      }
    }
    name(APPLICATION_ID);
    Map<String, String> seen = new LinkedHashMap<>();
    for (String key :
        List.of(
            TOPIC_REVIEWS,
            TOPIC_SCORED,
            TOPIC_EMBEDDINGS,
            TOPIC_DLQ,
            TOPIC_FILMS,
            TOPIC_FILM_EMBEDDINGS,
            TOPIC_FILM_NEIGHBOURS)) {
      String topic = name(key);
      String other = seen.putIfAbsent(topic, key);
      if (other != null) {
        throw invalid(key, "topic '" + topic + "' is already used by " + other);
      }
    }
    intIn(TOPIC_PARTITIONS, 1, 10_000);
    intIn(TOPIC_REPLICATION, 1, 32);
    String bundle = values.get(BUNDLE);
    if (!bundle.isEmpty() && !Files.isDirectory(Path.of(bundle))) {
      throw invalid(BUNDLE, "directory " + bundle + " does not exist");
    }
    if (!EMBEDDER_NAME.matcher(values.get(EMBEDDER)).matches()) {
      throw invalid(EMBEDDER, "must be auto, none or an encoder name");
    }
    intIn(EMBEDDER_MAX_LENGTH, 8, 512);
    if (!DEVICE_NAME.matcher(values.get(DEVICE)).matches()) {
      throw invalid(DEVICE, "must be auto, cpu, gpu or gpu:N");
    }
    try {
      Precision.parse(values.get(PRECISION));
    } catch (IllegalArgumentException e) {
      throw invalid(PRECISION, e.getMessage());
    }
    if (Precision.parse(values.get(PRECISION)) == Precision.FP16
        && values.get(DEVICE).equals("cpu")) {
      throw invalid(PRECISION, "fp16 runs only on a GPU; use fp32 with model.device=cpu");
    }
    intIn(BATCH_SIZE, 1, 100_000);
    intIn(FILMS_K, 1, 1000);
    intIn(FILMS_BATCH_SIZE, 1, 100_000);
    intIn(BATCH_MAX_WAIT_MS, 1, 3_600_000);
    intIn(STREAM_THREADS, 1, 64);
    intIn(COMMIT_INTERVAL_MS, 1, 3_600_000);
    intIn(MAX_REVIEW_CHARS, 1, 10_000_000);
    String guarantee = values.get(PROCESSING_GUARANTEE);
    if (!guarantee.equals(StreamsConfig.EXACTLY_ONCE_V2)
        && !guarantee.equals(StreamsConfig.AT_LEAST_ONCE)) {
      throw invalid(PROCESSING_GUARANTEE, "must be exactly_once_v2 or at_least_once");
    }
    if (values.get(HTTP_HOST).isEmpty()) {
      throw invalid(HTTP_HOST, "must be a host name or address, e.g. 127.0.0.1");
    }
    port(HTTP_PORT, values.get(HTTP_PORT), 0);
    for (String passthrough :
        List.of(
            CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
            StreamsConfig.APPLICATION_ID_CONFIG,
            StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
            StreamsConfig.NUM_STREAM_THREADS_CONFIG,
            StreamsConfig.STATE_DIR_CONFIG,
            StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)) {
      if (kafka.containsKey(passthrough)) {
        throw invalid(
            KAFKA_PREFIX + passthrough, "set '" + passthrough + "' itself, not through kafka.*");
      }
    }
  }

  private ConfigError invalid(String key, String reason) {
    String value = isSecret(key) ? MASK : maskUrlUserInfo(values.get(key));
    Source source = sources.getOrDefault(key, Source.DEFAULT);
    String from =
        switch (source) {
          case DEFAULT -> "default";
          case FILE -> "from the config file";
          case ENV -> "from env " + envName(key);
          case OVERRIDE -> "from the command line";
        };
    return new ConfigError(
        "invalid configuration "
            + key
            + "="
            + value
            + " ("
            + from
            + "): "
            + maskUrlUserInfo(reason));
  }

  private List<String> list(String key) {
    List<String> out = new ArrayList<>();
    for (String part : values.get(key).split(",")) {
      if (!part.isBlank()) {
        out.add(part.trim());
      }
    }
    return out;
  }

  private String name(String key) {
    String v = values.get(key);
    if (!TOPIC_NAME.matcher(v).matches() || v.equals(".") || v.equals("..")) {
      throw invalid(key, "must be 1-249 characters of a-z, A-Z, 0-9, '.', '_' or '-'");
    }
    return v;
  }

  private int intIn(String key, int min, int max) {
    return parse(key, v -> Integer.parseInt(v), min, max);
  }

  private void port(String key, String value, int min) {
    try {
      int p = Integer.parseInt(value.trim());
      if (p < min || p > 65_535) {
        throw invalid(key, "port " + p + " is outside " + min + "-65535");
      }
    } catch (NumberFormatException e) {
      throw invalid(key, "port '" + value + "' is not a number");
    }
  }

  private int parse(String key, Function<String, Integer> parser, int min, int max) {
    int v;
    try {
      v = parser.apply(values.get(key));
    } catch (NumberFormatException e) {
      throw invalid(key, "not an integer");
    }
    if (v < min || v > max) {
      throw invalid(key, "must be between " + min + " and " + max);
    }
    return v;
  }

  // ------------------------------------------------------------------------- typed views

  /** Raw value of a known key or a {@code kafka.*} key; empty string when unset. */
  public String get(String key) {
    String v = values.get(key);
    if (v == null && !KEYS.containsKey(key) && !key.startsWith(KAFKA_PREFIX)) {
      throw new IllegalArgumentException("unknown configuration key " + key);
    }
    return v == null ? "" : v;
  }

  /** Where the value of {@code key} came from. */
  public Source source(String key) {
    return sources.getOrDefault(key, Source.DEFAULT);
  }

  public String bootstrapServers() {
    return String.join(",", list(BOOTSTRAP_SERVERS));
  }

  public String registryUrl() {
    return String.join(",", list(REGISTRY_URL));
  }

  public String applicationId() {
    return values.get(APPLICATION_ID);
  }

  public Topics topics() {
    return topics;
  }

  public int topicPartitions() {
    return Integer.parseInt(values.get(TOPIC_PARTITIONS));
  }

  public short topicReplicationFactor() {
    return Short.parseShort(values.get(TOPIC_REPLICATION));
  }

  /** The model bundle directory, when configured. */
  public Optional<Path> bundle() {
    String b = values.get(BUNDLE);
    return b.isEmpty() ? Optional.empty() : Optional.of(Path.of(b));
  }

  /** {@value #EMBEDDER_AUTO}, {@value #EMBEDDER_NONE} or an encoder name. */
  public String embedder() {
    return values.get(EMBEDDER);
  }

  /** Whether {@code review-embeddings} is produced at all. */
  public boolean embeddingsEnabled() {
    return !EMBEDDER_NONE.equals(embedder());
  }

  /**
   * Tokens (with {@code [CLS]} and {@code [SEP]}) an embedded review is cut to, keeping its head.
   */
  public int embedderMaxLength() {
    return Integer.parseInt(values.get(EMBEDDER_MAX_LENGTH));
  }

  /** {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}. */
  public String device() {
    return values.get(DEVICE);
  }

  /** The number format the encoders run in ({@code model.precision}). */
  public Precision precision() {
    return Precision.parse(values.get(PRECISION));
  }

  /** {@value #EMBEDDER_AUTO}, {@value #EMBEDDER_NONE} or the encoder of the films topic. */
  public String filmsEncoder() {
    return values.get(FILMS_ENCODER);
  }

  /** Neighbours per new or changed film. */
  public int filmsK() {
    return Integer.parseInt(values.get(FILMS_K));
  }

  /** Films per encoder call. */
  public int filmsBatchSize() {
    return Integer.parseInt(values.get(FILMS_BATCH_SIZE));
  }

  public int batchSize() {
    return Integer.parseInt(values.get(BATCH_SIZE));
  }

  public Duration batchMaxWait() {
    return Duration.ofMillis(Long.parseLong(values.get(BATCH_MAX_WAIT_MS)));
  }

  public int streamThreads() {
    return Integer.parseInt(values.get(STREAM_THREADS));
  }

  public String processingGuarantee() {
    return values.get(PROCESSING_GUARANTEE);
  }

  public String httpHost() {
    return values.get(HTTP_HOST);
  }

  public int httpPort() {
    return Integer.parseInt(values.get(HTTP_PORT));
  }

  /**
   * The {@code host:port} Kafka Streams advertises as {@code application.server}, by which other
   * instances redirect interactive queries here: {@code kafka.application.server} when set, else
   * {@code http.advertised.host}, else {@code http.host} unless it is a wildcard address (then this
   * host's address), with {@code boundPort}.
   */
  public String applicationServer(int boundPort) {
    String explicit = kafka.get(StreamsConfig.APPLICATION_SERVER_CONFIG);
    if (explicit != null && !explicit.isBlank()) {
      return explicit.strip();
    }
    String host = values.get(HTTP_ADVERTISED_HOST);
    if (host.isBlank()) {
      host = values.get(HTTP_HOST);
      if (isWildcard(host)) {
        try {
          host = java.net.InetAddress.getLocalHost().getHostAddress();
        } catch (java.net.UnknownHostException e) {
          throw new ConfigError(
              "http.host="
                  + values.get(HTTP_HOST)
                  + " is a wildcard address and this host's address is unknown ("
                  + e.getMessage()
                  + "): set http.advertised.host (env "
                  + envName(HTTP_ADVERTISED_HOST)
                  + ")",
              e);
        }
      }
    }
    return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host)
        + ":"
        + boundPort;
  }

  private static boolean isWildcard(String host) {
    String h = host.strip();
    return h.equals("0.0.0.0") || h.equals("::") || h.equals("[::]") || h.equals("0:0:0:0:0:0:0:0");
  }

  public int maxReviewChars() {
    return Integer.parseInt(values.get(MAX_REVIEW_CHARS));
  }

  /** The Kafka Streams state directory. */
  public Path stateDir() {
    String s = values.get(STATE_DIR);
    return s.isEmpty()
        ? Path.of(System.getProperty("user.home"), ".local", "state", "reelsense")
        : Path.of(s);
  }

  /** The {@code kafka.*} settings without their prefix. */
  public Map<String, String> kafkaProperties() {
    return kafka;
  }

  /** Settings for every plain Kafka client (admin, producer, consumer): servers + kafka.*. */
  public Map<String, Object> clientProperties() {
    Map<String, Object> p = new LinkedHashMap<>(kafka);
    p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    return p;
  }

  /** Settings for the schema registry client, with Confluent's key names. */
  public Map<String, Object> registryProperties() {
    Map<String, Object> p = new LinkedHashMap<>();
    for (String key :
        List.of(
            REGISTRY_URL,
            REGISTRY_BASIC_AUTH,
            REGISTRY_TRUSTSTORE,
            REGISTRY_TRUSTSTORE_PASSWORD,
            REGISTRY_TRUSTSTORE_TYPE,
            REGISTRY_KEYSTORE,
            REGISTRY_KEYSTORE_PASSWORD,
            REGISTRY_KEYSTORE_TYPE,
            REGISTRY_KEY_PASSWORD)) {
      String v = values.get(key);
      if (!v.isEmpty()) {
        p.put(key, key.equals(REGISTRY_URL) ? registryUrl() : v);
      }
    }
    return p;
  }

  /** The Kafka Streams settings: application id, servers, guarantee, threads, state + kafka.*. */
  public Properties streamsProperties() {
    Properties p = new Properties();
    p.putAll(kafka);
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId());
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, processingGuarantee());
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, streamThreads());
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir().toString());
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.parseLong(values.get(COMMIT_INTERVAL_MS)));
    p.putIfAbsent(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) topicReplicationFactor());
    p.putIfAbsent(
        StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    p.putIfAbsent(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
    return p;
  }

  /**
   * Kafka client settings whose type Kafka itself declares {@link ConfigDef.Type#PASSWORD} in the
   * producer, consumer, admin and Streams configuration definitions (e.g. {@code ssl.key.password},
   * {@code sasl.jaas.config}, {@code sasl.oauthbearer.assertion.private.key.passphrase}).
   */
  private static final Set<String> KAFKA_PASSWORDS = kafkaPasswords();

  /**
   * Prefixes Kafka Streams accepts in front of a client setting to aim it at one of its clients
   * ({@code producer.ssl.key.password}, {@code main.consumer.sasl.jaas.config}, ...).
   */
  private static final List<String> CLIENT_PREFIXES =
      List.of(
          StreamsConfig.PRODUCER_PREFIX,
          StreamsConfig.CONSUMER_PREFIX,
          StreamsConfig.MAIN_CONSUMER_PREFIX,
          StreamsConfig.RESTORE_CONSUMER_PREFIX,
          StreamsConfig.GLOBAL_CONSUMER_PREFIX,
          StreamsConfig.ADMIN_CLIENT_PREFIX);

  /** Our own settings that hold a secret. */
  private static final Set<String> OWN_SECRETS =
      Set.of(
          REGISTRY_BASIC_AUTH,
          REGISTRY_TRUSTSTORE_PASSWORD,
          REGISTRY_KEYSTORE_PASSWORD,
          REGISTRY_KEY_PASSWORD);

  /**
   * The user-info part of a URL ({@code user:password@} in {@code https://user:password@host}):
   * everything between {@code ://} and the last {@code @} before the host's end.
   */
  private static final Pattern URL_USER_INFO = Pattern.compile("(?<=://)[^/\\s,?#]+@");

  private static Set<String> kafkaPasswords() {
    Set<String> out = new TreeSet<>();
    for (ConfigDef def :
        List.of(
            ProducerConfig.configDef(),
            ConsumerConfig.configDef(),
            AdminClientConfig.configDef(),
            StreamsConfig.configDef())) {
      def.configKeys()
          .forEach(
              (name, key) -> {
                if (key.type == ConfigDef.Type.PASSWORD) {
                  out.add(name);
                }
              });
    }
    return Collections.unmodifiableSet(out);
  }

  /**
   * Whether {@code key}'s value must never be printed: our own secret settings, every {@code
   * kafka.*} setting Kafka declares a password (also behind a Streams client prefix such as {@code
   * kafka.producer.}), and, for settings no definition covers (a login module's own options), any
   * name that speaks of a password, passphrase, secret, token, credential, JAAS or a key.
   */
  public static boolean isSecret(String key) {
    if (OWN_SECRETS.contains(key)) {
      return true;
    }
    String k = key.toLowerCase(Locale.ROOT);
    if (k.startsWith(KAFKA_PREFIX)) {
      String client = k.substring(KAFKA_PREFIX.length());
      if (KAFKA_PASSWORDS.contains(client)) {
        return true;
      }
      for (String prefix : CLIENT_PREFIXES) {
        if (client.startsWith(prefix)
            && KAFKA_PASSWORDS.contains(client.substring(prefix.length()))) {
          return true;
        }
      }
    }
    return k.contains("password")
        || k.contains("passphrase")
        || k.contains("secret")
        || k.contains("user.info")
        || k.contains("jaas")
        || k.contains("token")
        || k.contains("credential")
        || k.endsWith(".key");
  }

  /** The Kafka settings Kafka declares passwords (without the {@code kafka.} prefix). */
  public static Set<String> kafkaPasswordSettings() {
    return KAFKA_PASSWORDS;
  }

  /**
   * {@code value} of {@code key} as it may be printed: {@code ******} for a secret, and any URL's
   * user-info ({@code https://user:password@host}) replaced by {@code ******}.
   */
  public static String printable(String key, String value) {
    if (value == null || value.isEmpty()) {
      return value;
    }
    return isSecret(key) ? MASK : maskUrlUserInfo(value);
  }

  /** {@code text} with the user-info of every URL in it replaced by {@code ******}. */
  public static String maskUrlUserInfo(String text) {
    return URL_USER_INFO.matcher(text).replaceAll(MASK + "@");
  }

  /** Every setting as {@code key = value (source)} lines, secrets masked. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    Map<String, String> sorted = new TreeMap<>(values);
    for (Map.Entry<String, String> e : sorted.entrySet()) {
      String v = e.getValue();
      sb.append(e.getKey())
          .append(" = ")
          .append(printable(e.getKey(), v))
          .append(" (")
          .append(source(e.getKey()).name().toLowerCase(Locale.ROOT))
          .append(")\n");
    }
    return sb.toString();
  }

  /** The settings as a map with secrets masked (for JSON reports). */
  public Map<String, String> masked() {
    Map<String, String> out = new TreeMap<>();
    values.forEach((k, v) -> out.put(k, printable(k, v)));
    return out;
  }

  @Override
  public String toString() {
    return "ReelsenseConfig" + masked();
  }
}
