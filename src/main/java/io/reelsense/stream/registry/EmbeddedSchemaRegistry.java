package io.reelsense.stream.registry;

import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process schema registry speaking Confluent's REST API (the subset reelsense uses): an HTTP
 * server ({@link RegistryHttpHandler}) over the endpoints of a {@link RegistryService}, which keeps
 * subjects, versions, registry-wide ids and compatibility levels in a {@link SchemaStore}: in
 * memory by default, a compacted Kafka topic beside a broker ({@link KafkaSchemaStore}), or a file
 * in a directory ({@link FileSchemaStore}). With a durable store a registry started again answers
 * with the same ids.
 *
 * <p>As in Confluent's registry, the same schema gets the same id in every subject; a new version
 * must pass the subject's compatibility level (registry-wide default {@link
 * CompatibilityLevel#BACKWARD}), else 409; an unparsable schema is refused with 42201. Requests are
 * bounded by {@link RegistryLimits}.
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

  private final RegistryService service;

  private EmbeddedSchemaRegistry(Builder builder, RegistryService service) throws IOException {
    this.service = service;
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
    HttpContext context =
        server.createContext("/", new RegistryHttpHandler(service, builder.limits));
    if (builder.user != null) {
      byte[] user = bytes(builder.user);
      byte[] password = bytes(builder.password);
      context.setAuthenticator(
          new BasicAuthenticator("schema-registry") {
            @Override
            public boolean checkCredentials(String u, String p) {
              // both compared in full, in time independent of where they differ
              return MessageDigest.isEqual(user, bytes(u))
                  & MessageDigest.isEqual(password, bytes(p));
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
    LOG.info(
        "embedded schema registry listening on {}, schemas in {}", url, service.describeStore());
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

  private static byte[] bytes(String text) {
    return text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Stops the server and its threads and closes the store (schemas in memory are forgotten, those
   * in a file or topic stay).
   */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      service.close();
    }
    LOG.info("embedded schema registry {} stopped", url);
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
    private SchemaStore store;
    private RegistryLimits limits = RegistryLimits.DEFAULT;

    private Builder() {}

    /**
     * Keeps the schemas in {@code store} (default: a new {@link InMemorySchemaStore}); the registry
     * closes it when it stops, or when it fails to start.
     */
    public Builder store(SchemaStore store) {
      this.store = store;
      return this;
    }

    /** What requests may carry and how many subjects and versions it holds. */
    public Builder limits(RegistryLimits limits) {
      this.limits = limits;
      return this;
    }

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
     * @throws IllegalStateException when the port cannot be bound or the store cannot be read
     */
    public EmbeddedSchemaRegistry start() {
      SchemaStore chosen = store == null ? new InMemorySchemaStore() : store;
      RegistryService service;
      try {
        service = new RegistryService(chosen, limits, compatibility);
      } catch (RuntimeException e) {
        chosen.close();
        throw e;
      }
      try {
        return new EmbeddedSchemaRegistry(this, service);
      } catch (IOException | RuntimeException e) {
        service.close();
        if (e instanceof RuntimeException runtime) {
          throw runtime;
        }
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
