package io.reelsense.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No Docker engine runs here, so this test reads {@code docker-compose.yml} and {@code Dockerfile}
 * and checks them against the application: the app services set only variables {@link
 * ReelsenseConfig} reads, and every one of them takes effect; host names and ports agree with the
 * Kafka and registry listeners; the topics created are those of {@link Topics}; images are pinned;
 * the GPU service reserves an NVIDIA GPU; the Dockerfile's stages and entrypoint fit together.
 */
class DockerComposeTest {

  private static final List<String> APPS = List.of("reelsense-cpu", "reelsense-gpu");
  private static JsonNode compose;
  private static JsonNode services;
  private static String dockerfile;

  @BeforeAll
  static void read() throws IOException {
    compose = new ObjectMapper(new YAMLFactory()).readTree(Path.of("docker-compose.yml").toFile());
    services = compose.path("services");
    dockerfile = Files.readString(Path.of("Dockerfile"), StandardCharsets.UTF_8);
  }

  @Test
  void everyImageIsPinnedAndKafkaMatchesTheClientVersion() {
    List<String> images = new ArrayList<>();
    services.forEach(s -> images.add(s.path("image").asText()));
    assertThat(images).doesNotContain("");
    for (String image : images) {
      assertPinned(image);
    }
    assertThat(env("kafka")).containsKey("KAFKA_PROCESS_ROLES");
    assertThat(services.path("kafka").path("image").asText())
        .isEqualTo("apache/kafka:" + AppInfoParser.getVersion());
    assertThat(services.path("topics").path("image").asText())
        .isEqualTo(services.path("kafka").path("image").asText());
    assertThat(services.path("schema-registry").path("image").asText())
        .startsWith("confluentinc/cp-schema-registry:");
  }

  @Test
  void kafkaRunsInKraftModeWithAValidClusterId() {
    Map<String, String> kafka = env("kafka");
    assertThat(kafka.get("KAFKA_PROCESS_ROLES").split(","))
        .containsExactlyInAnyOrder("broker", "controller");
    String controller = kafka.get("KAFKA_CONTROLLER_LISTENER_NAMES");
    assertThat(listeners(kafka.get("KAFKA_LISTENERS"))).containsKey(controller);
    assertThat(kafka.get("KAFKA_CONTROLLER_QUORUM_VOTERS"))
        .isEqualTo(
            kafka.get("KAFKA_NODE_ID")
                + "@kafka:"
                + listeners(kafka.get("KAFKA_LISTENERS")).get(controller).getPort());
    assertThat(Base64.getUrlDecoder().decode(kafka.get("CLUSTER_ID"))).hasSize(16);
    // transactions (exactly-once v2) need these to fit a one-broker cluster
    assertThat(kafka.get("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR")).isEqualTo("1");
    assertThat(kafka.get("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR")).isEqualTo("1");
    assertThat(kafka.get("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR")).isEqualTo("1");
    assertThat(volumeTargets("kafka")).containsEntry("kafka-data", kafka.get("KAFKA_LOG_DIRS"));
  }

  @Test
  void appServicesSetOnlyKeysTheConfigReadsAndEachTakesEffect(@TempDir Path bundle) {
    Set<String> known = new HashSet<>();
    ReelsenseConfig.documentation().keySet().forEach(k -> known.add(ReelsenseConfig.envName(k)));
    for (String app : APPS) {
      Map<String, String> env = env(app);
      assertThat(env).isNotEmpty();
      for (String name : env.keySet()) {
        assertThat(name).as("%s sets %s", app, name).startsWith("REELSENSE_");
        assertThat(known.contains(name) || name.startsWith("REELSENSE_KAFKA_"))
            .as("%s: %s is not a variable ReelsenseConfig reads", app, name)
            .isTrue();
      }
      // the bundle directory exists only inside the container; stand in a real one for it
      Map<String, String> local = new LinkedHashMap<>(env);
      local.put(ReelsenseConfig.envName(ReelsenseConfig.BUNDLE), bundle.toString());
      ReelsenseConfig config = ReelsenseConfig.load(null, local, Map.of());
      for (String key : ReelsenseConfig.documentation().keySet()) {
        String value = local.get(ReelsenseConfig.envName(key));
        if (value != null) {
          assertThat(config.get(key)).as("%s: %s", app, key).isEqualTo(value);
          assertThat(config.source(key)).isEqualTo(ReelsenseConfig.Source.ENV);
        }
      }
    }
  }

  @Test
  void everyRequiredSettingIsProvided() {
    for (String app : APPS) {
      Map<String, String> env = env(app);
      for (String key :
          List.of(
              ReelsenseConfig.BOOTSTRAP_SERVERS,
              ReelsenseConfig.REGISTRY_URL,
              ReelsenseConfig.BUNDLE,
              ReelsenseConfig.DEVICE,
              ReelsenseConfig.STATE_DIR,
              ReelsenseConfig.HTTP_HOST,
              ReelsenseConfig.HTTP_PORT,
              ReelsenseConfig.TOPIC_PARTITIONS)) {
        assertThat(env).as(app).containsKey(ReelsenseConfig.envName(key));
      }
      Map<String, String> mounts = volumeTargets(app);
      // the bundle lies on the named "models" volume, the Kafka Streams state on a volume too
      assertThat(env.get("REELSENSE_MODEL_BUNDLE")).startsWith(mounts.get("models") + "/");
      assertThat(mounts).containsValue(env.get("REELSENSE_STATE_DIR"));
      assertThat(compose.path("volumes").has("models")).isTrue();
      for (String volume : mounts.keySet()) {
        assertThat(compose.path("volumes").has(volume)).as("volume %s declared", volume).isTrue();
      }
      // inside a container the server must listen on all interfaces; the host publishes it on
      // loopback only
      assertThat(env.get("REELSENSE_HTTP_HOST")).isEqualTo("0.0.0.0");
      assertThat(strings(services.path(app).path("ports")))
          .containsExactly(
              "127.0.0.1:" + env.get("REELSENSE_HTTP_PORT") + ":" + env.get("REELSENSE_HTTP_PORT"));
      assertThat(strings(services.path(app).path("command"))).containsExactly("run");
      assertThat(services.path(app).path("stop_signal").asText()).isEqualTo("SIGTERM");
      JsonNode deps = services.path(app).path("depends_on");
      assertThat(deps.path("topics").path("condition").asText())
          .isEqualTo("service_completed_successfully");
      assertThat(deps.path("schema-registry").path("condition").asText())
          .isEqualTo("service_healthy");
    }
  }

  @Test
  void bootstrapAndRegistryAddressesAgreeWithTheListeners() {
    Map<String, String> kafka = env("kafka");
    Map<String, URI> advertised = listeners(kafka.get("KAFKA_ADVERTISED_LISTENERS"));
    Map<String, URI> bound = listeners(kafka.get("KAFKA_LISTENERS"));
    Set<String> kafkaNames = names("kafka");
    Map<String, String> registry = env("schema-registry");
    URI registryListener = URI.create(registry.get("SCHEMA_REGISTRY_LISTENERS"));
    for (String app : APPS) {
      Map<String, String> env = env(app);
      for (String server : env.get("REELSENSE_BOOTSTRAP_SERVERS").split(",")) {
        URI s = URI.create("tcp://" + server.trim());
        assertThat(kafkaNames).as("%s bootstrap host", app).contains(s.getHost());
        String listener = listenerAt(advertised, s);
        assertThat(listener).as("%s: no advertised listener at %s", app, server).isNotNull();
        assertThat(bound.get(listener).getPort()).isEqualTo(s.getPort());
      }
      URI url = URI.create(env.get("REELSENSE_SCHEMA_REGISTRY_URL"));
      assertThat(names("schema-registry")).contains(url.getHost());
      assertThat(url.getScheme()).isEqualTo(registryListener.getScheme());
      assertThat(url.getPort()).isEqualTo(registryListener.getPort());
    }
    for (String server : registry.get("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS").split(",")) {
      URI s = URI.create(server.trim());
      assertThat(kafkaNames).contains(s.getHost());
      assertThat(listenerAt(advertised, s)).isEqualTo(s.getScheme().toUpperCase());
    }
    assertThat(env("topics").get("BOOTSTRAP"))
        .isEqualTo(env("reelsense-cpu").get("REELSENSE_BOOTSTRAP_SERVERS"));
  }

  @Test
  void topicsCreatedAreTheTopicsOfTheAppWithItsPartitions() {
    Map<String, String> topics = env("topics");
    assertThat(topics.get("TOPICS").trim().split("\\s+"))
        .containsExactlyElementsOf(Topics.defaults().all());
    for (String app : APPS) {
      assertThat(topics.get("PARTITIONS")).isEqualTo(env(app).get("REELSENSE_TOPIC_PARTITIONS"));
      assertThat(topics.get("REPLICATION"))
          .isEqualTo(env(app).get("REELSENSE_TOPIC_REPLICATION_FACTOR"));
      // the app uses the default topic names, the ones created here
      assertThat(env(app).keySet())
          .noneMatch(k -> k.startsWith("REELSENSE_TOPIC_R") && !k.endsWith("FACTOR"));
    }
    String script = String.join("\n", strings(services.path("topics").path("command")));
    assertThat(script)
        .contains("kafka-topics.sh")
        .contains("--create")
        .contains("--if-not-exists")
        .contains("$$TOPICS")
        .contains("--partitions \"$$PARTITIONS\"")
        .contains("--replication-factor \"$$REPLICATION\"");
    assertThat(services.path("topics").path("restart").asText()).isEqualTo("no");
  }

  @Test
  void gpuServiceReservesAnNvidiaGpuAndCpuServiceDoesNot() {
    JsonNode gpu = services.path("reelsense-gpu");
    assertThat(strings(gpu.path("profiles"))).containsExactly("gpu");
    JsonNode devices = gpu.path("deploy").path("resources").path("reservations").path("devices");
    assertThat(devices.isArray() && devices.size() == 1).isTrue();
    assertThat(devices.get(0).path("driver").asText()).isEqualTo("nvidia");
    assertThat(strings(devices.get(0).path("capabilities"))).contains("gpu");
    assertThat(env("reelsense-gpu").get("REELSENSE_MODEL_DEVICE")).isEqualTo("gpu");
    assertThat(gpu.path("build").path("target").asText()).isEqualTo("gpu");

    JsonNode cpu = services.path("reelsense-cpu");
    assertThat(strings(cpu.path("profiles"))).containsExactly("cpu");
    assertThat(cpu.path("deploy").isMissingNode()).isTrue();
    assertThat(env("reelsense-cpu").get("REELSENSE_MODEL_DEVICE")).isEqualTo("cpu");
    assertThat(cpu.path("build").path("target").asText()).isEqualTo("cpu");
    // the always-on services belong to no profile
    for (String s : List.of("kafka", "schema-registry", "topics")) {
      assertThat(services.path(s).path("profiles").isMissingNode()).as(s).isTrue();
    }
  }

  @Test
  void dockerfileStagesAndEntrypointFitTogether() {
    Map<String, String> stages = new LinkedHashMap<>();
    Matcher from =
        Pattern.compile("(?m)^FROM\\s+(\\S+)\\s+AS\\s+(\\S+)\\s*$", Pattern.CASE_INSENSITIVE)
            .matcher(dockerfile);
    while (from.find()) {
      stages.put(from.group(2), from.group(1));
    }
    assertThat(dockerfile.lines().filter(l -> l.startsWith("FROM ")).count())
        .isEqualTo(stages.size());
    assertThat(stages.keySet()).containsExactly("build", "cpu", "gpu");
    assertThat(stages.get("build")).matches("maven:3\\.9\\.\\d+-eclipse-temurin-17");
    assertThat(stages.get("cpu")).matches("eclipse-temurin:17\\.[0-9._]+-jre(-\\w+)?");
    assertThat(stages.get("gpu")).isEqualTo("cpu");
    for (String image : stages.values()) {
      if (!stages.containsKey(image)) {
        assertPinned(image);
      }
    }
    for (String app : APPS) {
      assertThat(stages).containsKey(services.path(app).path("build").path("target").asText());
    }
    // the jar and its lib/ folder (Class-Path: lib/...) are copied from the build stage
    assertThat(dockerfile)
        .contains("COPY --from=build /src/target/reelsense.jar /app/reelsense.jar")
        .contains("COPY --from=build /src/target/lib /app/lib");
    Matcher entry = Pattern.compile("(?m)^ENTRYPOINT\\s+(\\[.*])\\s*$").matcher(dockerfile);
    assertThat(entry.find()).as("ENTRYPOINT in exec form (java gets SIGTERM as PID 1)").isTrue();
    List<String> argv = jsonArray(entry.group(1));
    assertThat(argv.get(0)).isEqualTo("java");
    assertThat(argv.subList(argv.size() - 2, argv.size()))
        .containsExactly("-jar", "/app/reelsense.jar");
    Matcher cmd = Pattern.compile("(?m)^CMD\\s+(\\[.*])\\s*$").matcher(dockerfile);
    assertThat(cmd.find()).isTrue();
    assertThat(jsonArray(cmd.group(1))).containsExactly("run");
    // the command the containers run is a subcommand of the jar's main class
    assertThat(new picocli.CommandLine(new io.reelsense.cli.Main()).getSubcommands())
        .containsKey("run");
    // the GPU image drops PyTorch's CPU build so that DJL loads the CUDA flavour
    String gpuStage = dockerfile.substring(dockerfile.indexOf("FROM cpu AS gpu"));
    assertThat(gpuStage)
        .contains("rm -f /app/lib/pytorch-native-cpu-")
        .contains("PYTORCH_FLAVOR=cu")
        .contains("USER reelsense");
    assertThat(Files.exists(Path.of(".dockerignore"))).isTrue();
  }

  @Test
  void theDocsDescribeEveryConfigurationKeyAndTheDeployment() throws IOException {
    String configuration =
        Files.readString(Path.of("docs", "configuration.md"), StandardCharsets.UTF_8);
    for (String key : ReelsenseConfig.documentation().keySet()) {
      assertThat(configuration)
          .contains("| `" + key + "` | `" + ReelsenseConfig.envName(key) + "` |");
    }
    String operations = Files.readString(Path.of("docs", "operations.md"), StandardCharsets.UTF_8);
    assertThat(operations)
        .contains("docker compose --profile cpu up")
        .contains("docker compose --profile gpu up")
        .contains("PYTORCH_FLAVOR")
        .contains("PYTORCH_LIBRARY_PATH")
        .contains("GET /metrics")
        .contains("GET /ready")
        .contains("GET /health");
  }

  // ------------------------------------------------------------------------- helpers

  private static void assertPinned(String image) {
    if (image.contains("@sha256:")) {
      assertThat(image).matches(".+@sha256:[0-9a-f]{64}");
      return;
    }
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    assertThat(colon).as("%s has a tag", image).isGreaterThan(slash);
    String tag = image.substring(colon + 1);
    assertThat(tag).as("%s is pinned", image).isNotEqualTo("latest").containsPattern("\\d+\\.\\d+");
  }

  private static Map<String, String> env(String service) {
    Map<String, String> out = new LinkedHashMap<>();
    JsonNode env = services.path(service).path("environment");
    assertThat(env.isObject()).as("%s has an environment map", service).isTrue();
    env.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  /** Named volume → mount target of a service ({@code name:/path[:ro]}). */
  private static Map<String, String> volumeTargets(String service) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String v : strings(services.path(service).path("volumes"))) {
      String[] parts = v.split(":");
      if (!parts[0].startsWith(".") && !parts[0].startsWith("/")) {
        out.put(parts[0], parts[1]);
      }
    }
    return out;
  }

  private static Set<String> names(String service) {
    Set<String> n = new HashSet<>(Set.of(service));
    JsonNode hostname = services.path(service).path("hostname");
    if (!hostname.isMissingNode()) {
      n.add(hostname.asText());
    }
    return n;
  }

  /** {@code NAME://host:port,...} → listener name → URI. */
  private static Map<String, URI> listeners(String spec) {
    Map<String, URI> out = new LinkedHashMap<>();
    for (String l : spec.split(",")) {
      URI u = URI.create(l.trim());
      out.put(u.getScheme().toUpperCase(), u);
    }
    return out;
  }

  private static String listenerAt(Map<String, URI> advertised, URI server) {
    for (Map.Entry<String, URI> e : advertised.entrySet()) {
      if (e.getValue().getHost().equals(server.getHost())
          && e.getValue().getPort() == server.getPort()) {
        return e.getKey();
      }
    }
    return null;
  }

  private static List<String> strings(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(n -> out.add(n.asText()));
    } else if (!node.isMissingNode()) {
      out.add(node.asText());
    }
    return out;
  }

  private static List<String> jsonArray(String json) {
    try {
      return Arrays.asList(new ObjectMapper().readValue(json, String[].class));
    } catch (IOException e) {
      throw new AssertionError("not a JSON array: " + json, e);
    }
  }
}
