package io.reelsense.stream;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.util.cuda.CudaUtils;
import io.reelsense.model.ReviewClassifier;
import io.reelsense.model.bundle.BundleException;
import io.reelsense.model.bundle.BundleManifest;
import io.reelsense.model.bundle.Bundles;
import io.reelsense.model.encoder.Devices;
import io.reelsense.stream.registry.SchemaRegistryClient;
import io.reelsense.stream.registry.SchemaRegistryException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SslAuthenticationException;

/**
 * Start-up checks of {@code run} and {@code demo}: each either passes or throws a {@link
 * ConfigError} whose message is one line saying what is wrong and how to fix it, within seconds (no
 * broker, no registry, a missing or unloadable model bundle, no GPU when one is demanded).
 */
public final class Preflight {

  /** How long the broker and registry checks wait by default. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  private Preflight() {}

  /**
   * Checks that the Kafka cluster of {@code config} answers (an admin client's describe-cluster,
   * with the {@code kafka.*} security settings) within {@code timeout}.
   *
   * @return the number of brokers
   */
  public static int broker(ReelsenseConfig config, Duration timeout) {
    String servers = config.bootstrapServers();
    String fix =
        "; start the broker or fix "
            + ReelsenseConfig.BOOTSTRAP_SERVERS
            + " ("
            + ReelsenseConfig.envName(ReelsenseConfig.BOOTSTRAP_SERVERS)
            + ", --bootstrap)";
    Map<String, Object> props = config.clientProperties();
    int ms = (int) Math.max(100, timeout.toMillis());
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
    props.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, (long) ms);
    props.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, (long) ms);
    props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500L);
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, config.applicationId() + "-preflight");
    Admin admin;
    try {
      admin = Admin.create(props);
    } catch (KafkaException e) {
      throw new ConfigError(
          "cannot connect to Kafka at " + servers + ": " + oneLine(rootMessage(e)) + fix, e);
    }
    try {
      Collection<Node> nodes =
          admin
              .describeCluster(new DescribeClusterOptions().timeoutMs(ms))
              .nodes()
              .get(ms + 1000L, TimeUnit.MILLISECONDS);
      return nodes.size();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof AuthenticationException || cause instanceof AuthorizationException) {
        String what =
            cause instanceof SslAuthenticationException ? "TLS handshake failed" : "refused";
        throw new ConfigError(
            "Kafka at "
                + servers
                + " "
                + what
                + ": "
                + oneLine(cause.getMessage())
                + "; check the kafka.security.protocol, kafka.sasl.* and kafka.ssl.* settings"
                + " (REELSENSE_KAFKA_*)",
            cause);
      }
      throw new ConfigError(
          "cannot reach Kafka at "
              + servers
              + " within "
              + seconds(timeout)
              + ": "
              + oneLine(rootMessage(cause))
              + fix,
          cause);
    } catch (TimeoutException e) {
      throw new ConfigError(
          "cannot reach Kafka at " + servers + " within " + seconds(timeout) + fix, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConfigError("interrupted while checking Kafka at " + servers, e);
    } finally {
      admin.close(Duration.ZERO);
    }
  }

  /**
   * Checks that the schema registry of {@code config} answers {@code GET /subjects} (with its basic
   * auth and TLS settings) within {@code timeout}.
   *
   * @return the number of subjects
   */
  public static int registry(ReelsenseConfig config, Duration timeout) {
    String url = config.registryUrl();
    SchemaRegistryClient client;
    try {
      client = SchemaRegistryClient.fromConfig(config.registryProperties(), timeout, timeout);
    } catch (RuntimeException e) {
      throw new ConfigError(
          "cannot set up the schema registry client for "
              + url
              + ": "
              + oneLine(rootMessage(e))
              + "; check schema.registry.url and the schema.registry.ssl.* settings",
          e);
    }
    try {
      return client.subjects().size();
    } catch (SchemaRegistryException e) {
      if (e.httpStatus() == 401 || e.httpStatus() == 403) {
        throw new ConfigError(
            "the schema registry at "
                + url
                + " refused the credentials (HTTP "
                + e.httpStatus()
                + "); check "
                + ReelsenseConfig.REGISTRY_BASIC_AUTH
                + " ("
                + ReelsenseConfig.envName(ReelsenseConfig.REGISTRY_BASIC_AUTH)
                + ")",
            e);
      }
      String why =
          e.httpStatus() == SchemaRegistryException.UNREACHABLE || e.httpStatus() <= 0
              ? "cannot reach the schema registry at " + url + " within " + seconds(timeout)
              : "the schema registry at " + url + " answered HTTP " + e.httpStatus();
      throw new ConfigError(
          why
              + ": "
              + oneLine(rootMessage(e))
              + "; start it or fix "
              + ReelsenseConfig.REGISTRY_URL
              + " ("
              + ReelsenseConfig.envName(ReelsenseConfig.REGISTRY_URL)
              + ", --registry)",
          e);
    }
  }

  /** Reads and checks the manifest of the configured bundle. */
  public static BundleManifest bundleManifest(ReelsenseConfig config) {
    Path dir = bundleDir(config);
    try {
      return Bundles.readManifest(dir);
    } catch (BundleException e) {
      throw bundleError(e);
    }
  }

  /** Loads the configured bundle as a classifier; a bundle this build cannot load fails here. */
  public static ReviewClassifier classifier(ReelsenseConfig config) {
    Path dir = bundleDir(config);
    try {
      return Bundles.load(dir);
    } catch (BundleException e) {
      throw bundleError(e);
    }
  }

  private static Path bundleDir(ReelsenseConfig config) {
    return config
        .bundle()
        .orElseThrow(
            () ->
                new ConfigError(
                    "no model bundle configured: set "
                        + ReelsenseConfig.BUNDLE
                        + " ("
                        + ReelsenseConfig.envName(ReelsenseConfig.BUNDLE)
                        + ", --bundle) to a folder made by 'train'"));
  }

  private static ConfigError bundleError(BundleException e) {
    return new ConfigError(
        "model bundle: "
            + oneLine(e.getMessage())
            + " ("
            + ReelsenseConfig.BUNDLE
            + " / "
            + ReelsenseConfig.envName(ReelsenseConfig.BUNDLE)
            + ")",
        e);
  }

  /** The engine, its version and the device the models run on, as printed at start-up. */
  public record Inference(
      String engine, String version, String djlVersion, Device device, int gpus) {

    /** E.g. {@code inference: PyTorch 2.7.1 (DJL 0.36.0) on gpu(0); 1 GPU(s), CUDA 12080}. */
    public String line() {
      return "inference: "
          + engine
          + " "
          + version
          + " (DJL "
          + djlVersion
          + ") on "
          + device
          + "; "
          + (gpus == 0 ? "no GPU" : gpus + " GPU(s)")
          + flavour();
    }

    private static String flavour() {
      StringBuilder sb = new StringBuilder();
      for (String v : new String[] {"PYTORCH_FLAVOR", "PYTORCH_LIBRARY_PATH"}) {
        String value = System.getenv(v);
        if (value != null && !value.isBlank()) {
          sb.append(", ").append(v).append('=').append(value);
        }
      }
      return sb.toString();
    }
  }

  /**
   * Resolves {@code model.device} on the DJL engine: {@code cpu}, {@code auto} (the GPU when there
   * is one), {@code gpu} or {@code gpu:N}, which fail when the engine finds no such GPU.
   */
  public static Inference device(ReelsenseConfig config) {
    String option = config.device();
    Engine engine;
    try {
      engine = Engine.getEngine(Devices.ENGINE);
    } catch (RuntimeException | UnsatisfiedLinkError | NoClassDefFoundError e) {
      throw new ConfigError(
          "cannot load the "
              + Devices.ENGINE
              + " engine for "
              + ReelsenseConfig.DEVICE
              + "="
              + option
              + ": "
              + oneLine(rootMessage(e))
              + "; on a CPU host use the CPU build (pytorch-native-cpu on the class path, no"
              + " PYTORCH_FLAVOR), on a GPU host set PYTORCH_FLAVOR=cu128 or PYTORCH_LIBRARY_PATH"
              + " to a CUDA libtorch",
          e);
    }
    Device device;
    try {
      device = Devices.parse(option);
    } catch (IllegalArgumentException e) {
      throw new ConfigError(
          ReelsenseConfig.DEVICE
              + "="
              + option
              + " ("
              + source(config, ReelsenseConfig.DEVICE)
              + "): "
              + oneLine(e.getMessage())
              + (CudaUtils.hasCuda() ? "" : " (no CUDA driver found)"),
          e);
    }
    return new Inference(
        engine.getEngineName(),
        engine.getVersion(),
        Engine.getDjlVersion(),
        device,
        engine.getGpuCount());
  }

  /**
   * The start-up line saying what runs the models: the DJL engine, its version and the device when
   * DJL is in use (an encoder bundle, embeddings on, or a GPU demanded, which fails here without
   * one), else that the baseline classifier runs on the plain JVM.
   */
  public static String inferenceLine(ReelsenseConfig config) {
    BundleManifest manifest = bundleManifest(config);
    boolean baseline = Bundles.BASELINE_KINDS.contains(manifest.kind());
    boolean djl = !baseline || config.embeddingsEnabled() || config.device().startsWith("gpu");
    if (!djl) {
      return "inference: "
          + manifest.kind()
          + " classifier on the JVM (CPU); no DJL engine in use (embeddings off)";
    }
    Inference inference = device(config);
    return inference.line()
        + (baseline ? "; the " + manifest.kind() + " classifier itself runs on the JVM (CPU)" : "");
  }

  private static String source(ReelsenseConfig config, String key) {
    return switch (config.source(key)) {
      case DEFAULT -> "default";
      case FILE -> "from the config file";
      case ENV -> "from env " + ReelsenseConfig.envName(key);
      case OVERRIDE -> "from the command line";
    };
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    String msg = null;
    while (t != null) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        msg = t.getClass().getSimpleName() + ": " + t.getMessage();
      }
      t = t.getCause() == t ? null : t.getCause();
    }
    return msg == null ? e.getClass().getSimpleName() : msg;
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
  }

  private static String seconds(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
  }
}
