package io.reelsense;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No Docker engine runs here, so this test reads {@code docker-compose.yml} and {@code Dockerfile}
 * and checks the hardening a container runtime would apply: no privilege gain and no Linux
 * capabilities for every service; a read-only root file system for the services built from our
 * Dockerfile, with every folder the app writes on a volume or tmpfs; and the app user (uid 10001)
 * owning each folder a named volume is mounted on, since a fresh volume takes that folder's owner.
 */
class ContainerHardeningTest {

  /** The services of the stack (others may be added next to them; these must stay hardened). */
  private static final List<String> SERVICES =
      List.of("kafka", "schema-registry", "topics", "models", "reelsense-cpu", "reelsense-gpu");

  private static final String APP_UID = "10001";

  private static JsonNode services;
  private static List<String> runtimeStage;

  @BeforeAll
  static void read() throws IOException {
    services =
        new ObjectMapper(new YAMLFactory())
            .readTree(Path.of("docker-compose.yml").toFile())
            .path("services");
    runtimeStage = stage(Files.readString(Path.of("Dockerfile"), StandardCharsets.UTF_8), "cpu");
  }

  /** The instructions of one stage, continuation lines joined, comments dropped. */
  private static List<String> stage(String dockerfile, String name) {
    List<String> out = new ArrayList<>();
    boolean in = false;
    StringBuilder line = new StringBuilder();
    for (String raw : dockerfile.split("\n")) {
      String t = raw.strip();
      if (t.startsWith("#") || t.isEmpty() && line.isEmpty()) {
        continue;
      }
      if (t.endsWith("\\")) {
        line.append(t, 0, t.length() - 1).append(' ');
        continue;
      }
      line.append(t);
      String instruction = line.toString().replaceAll("\\s+", " ");
      line.setLength(0);
      if (instruction.startsWith("FROM ")) {
        in = instruction.endsWith(" AS " + name);
        continue;
      }
      if (in) {
        out.add(instruction);
      }
    }
    assertThat(out).as("Dockerfile stage " + name).isNotEmpty();
    return out;
  }

  private static List<String> list(JsonNode node) {
    List<String> out = new ArrayList<>();
    node.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static boolean builtHere(String service) {
    return services.path(service).has("build");
  }

  @Test
  void everyServiceGainsNoPrivilegesAndHasNoCapabilities() {
    for (String name : SERVICES) {
      JsonNode s = services.path(name);
      assertThat(s.isMissingNode()).as(name).isFalse();
      assertThat(list(s.path("security_opt"))).as(name).contains("no-new-privileges:true");
      assertThat(list(s.path("cap_drop"))).as(name).containsExactly("ALL");
      assertThat(s.has("cap_add")).as(name + " adds capabilities").isFalse();
      assertThat(s.path("privileged").asBoolean(false)).as(name).isFalse();
    }
  }

  @Test
  void ourServicesRunReadOnlyWithEveryWrittenFolderOnAVolumeOrTmpfs() {
    Map<String, String> imageEnv = imageEnv();
    List<String> built = SERVICES.stream().filter(ContainerHardeningTest::builtHere).toList();
    assertThat(built).containsExactly("models", "reelsense-cpu", "reelsense-gpu");
    for (String name : built) {
      JsonNode s = services.path(name);
      assertThat(s.path("read_only").asBoolean(false)).as(name + " read_only").isTrue();
      Map<String, String> writable = writableMounts(s);
      if (name.equals("models")) {
        assertThat(writable).as("models copies onto /models").containsKey("/models");
        continue;
      }
      List<String> written = new ArrayList<>();
      written.add(imageEnv.get("DJL_CACHE_DIR"));
      written.add(imageEnv.get("REELSENSE_CACHE"));
      written.add(
          s.path("environment")
              .path("REELSENSE_STATE_DIR")
              .asText(imageEnv.get("REELSENSE_STATE_DIR")));
      written.add("/tmp");
      for (String folder : written) {
        assertThat(folder).as(name).isNotNull();
        assertThat(
                writable.keySet().stream()
                    .anyMatch(m -> folder.equals(m) || folder.startsWith(m + "/")))
            .as(name + " writes " + folder + " (writable mounts " + writable.keySet() + ")")
            .isTrue();
      }
      // native libraries (RocksDB, zstd) are unpacked to /tmp and loaded from there
      assertThat(writable.get("/tmp"))
          .as(name + " /tmp options")
          .contains("exec")
          .doesNotContain("noexec");
      assertThat(writable.get("/models")).as(name + " reads the bundles only").isNull();
    }
  }

  @Test
  void theAppUserOwnsEveryFolderAVolumeIsMountedOn() {
    String user = null;
    for (String i : runtimeStage) {
      Matcher m =
          Pattern.compile("useradd [^&]*--uid " + APP_UID + " [^&]*?(\\S+)\\s*(?:&&|$)").matcher(i);
      if (m.find()) {
        user = m.group(1);
      }
    }
    assertThat(user).as("useradd --uid " + APP_UID + " in the cpu stage").isNotNull();
    List<String> owned = new ArrayList<>();
    Pattern chown = Pattern.compile("chown -R " + user + ":\\S+ ([^&;]+)");
    for (String i : runtimeStage) {
      Matcher m = chown.matcher(i);
      while (m.find()) {
        owned.addAll(List.of(m.group(1).trim().split(" ")));
      }
    }
    for (String name : List.of("models", "reelsense-cpu", "reelsense-gpu")) {
      for (JsonNode v : services.path(name).path("volumes")) {
        String[] parts = v.asText().split(":");
        boolean named = !parts[0].startsWith(".") && !parts[0].startsWith("/");
        if (!named) {
          continue;
        }
        String target = parts[1];
        assertThat(owned.stream().anyMatch(o -> target.equals(o) || target.startsWith(o + "/")))
            .as(
                name
                    + ": volume "
                    + parts[0]
                    + " on "
                    + target
                    + " is owned by "
                    + user
                    + " in the image (chowned: "
                    + owned
                    + ")")
            .isTrue();
      }
    }
    // the last USER of the runtime stage is the app user, never root
    String last = null;
    for (String i : runtimeStage) {
      if (i.startsWith("USER ")) {
        last = i.substring(5).trim();
      }
    }
    assertThat(last).isEqualTo(user);
  }

  /** ENV settings of the runtime stage. */
  private static Map<String, String> imageEnv() {
    Map<String, String> env = new LinkedHashMap<>();
    Pattern kv = Pattern.compile("([A-Z_]+)=(\\S+)");
    for (String i : runtimeStage) {
      if (i.startsWith("ENV ")) {
        Matcher m = kv.matcher(i);
        while (m.find()) {
          env.put(m.group(1), m.group(2));
        }
      }
    }
    return env;
  }

  /** Mount point to options ("" for a volume) of every writable volume and tmpfs of a service. */
  private static Map<String, String> writableMounts(JsonNode service) {
    Map<String, String> out = new LinkedHashMap<>();
    for (JsonNode v : service.path("volumes")) {
      String[] parts = v.asText().split(":");
      if (parts.length < 3 || !parts[2].contains("ro")) {
        out.put(parts[1], "");
      }
    }
    for (JsonNode t : service.path("tmpfs")) {
      String text = t.asText();
      int colon = text.indexOf(':');
      out.put(
          colon < 0 ? text : text.substring(0, colon), colon < 0 ? "" : text.substring(colon + 1));
    }
    return out;
  }
}
