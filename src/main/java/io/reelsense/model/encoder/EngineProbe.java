package io.reelsense.model.encoder;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What will run the models, found without starting the engine: which libtorch (the one bundled in a
 * {@code pytorch-native-*} jar, one in DJL's cache, or one under {@code PYTORCH_LIBRARY_PATH}),
 * which CUDA driver and GPUs the host shows ({@code nvidia-smi}, else {@code /proc/driver/nvidia}),
 * and how many threads the operators will use. Starting DJL's PyTorch engine loads libtorch (and,
 * without a bundled one, downloads it), which is what a check before a run must not do.
 *
 * <p>{@link #selectFlavor} picks the libtorch build DJL downloads when none is bundled (the {@code
 * -Pgpu} jar set): CUDA ({@value #CUDA_FLAVOR}) when the host has an NVIDIA driver, the CPU build
 * otherwise.
 */
public final class EngineProbe {

  /** DJL's setting (environment variable or system property) for a libtorch folder. */
  public static final String LIBRARY_PATH = "PYTORCH_LIBRARY_PATH";

  /** DJL's setting for which libtorch build to download ({@code cpu}, {@code cu128}, …). */
  public static final String FLAVOR = "PYTORCH_FLAVOR";

  /** The CUDA build of libtorch 2.7.1 that DJL publishes. */
  public static final String CUDA_FLAVOR = "cu128";

  /** The libtorch version the PyTorch engine of this build loads. */
  public static final String LIBTORCH_VERSION = "2.7.1";

  private static final String BUNDLED = "native/lib/pytorch.properties";

  private EngineProbe() {}

  /**
   * Where libtorch comes from.
   *
   * @param source {@code PYTORCH_LIBRARY_PATH}, {@code bundled jar}, {@code cache} or {@code
   *     download} (DJL fetches it on first use; needs the internet)
   * @param flavor {@code cpu}, {@code cu128}, …: the build that is (or will be) loaded
   * @param version the libtorch version, with DJL's build date when known
   * @param location the folder, jar or cache entry; empty for a download
   */
  public record Libtorch(String source, String flavor, String version, String location) {}

  /**
   * The NVIDIA driver and GPUs the host shows.
   *
   * @param driver the driver version, empty when there is none
   * @param devices one line per GPU (name and memory), empty when none is seen
   * @param seenBy {@code nvidia-smi}, {@code /proc/driver/nvidia} or {@code none}
   */
  public record Cuda(String driver, List<String> devices, String seenBy) {
    /** Whether a driver is installed (GPUs may still be hidden from this process). */
    public boolean present() {
      return !driver.isEmpty();
    }
  }

  /**
   * Everything the probe finds.
   *
   * @param build {@code cpu} when a CPU libtorch jar is on the class path, {@code gpu} when none is
   *     (the {@code -Pgpu} jar set)
   * @param libtorch where libtorch comes from
   * @param cuda driver and GPUs
   * @param threads operator threads the engine will use
   * @param cpus processors this JVM sees
   */
  public record Report(String build, Libtorch libtorch, Cuda cuda, int threads, int cpus) {}

  /** Probes everything, starting nothing. */
  public static Report probe() {
    Properties bundled = bundledProperties();
    String build = bundled == null ? "gpu" : "cpu";
    Integer threads = Integer.getInteger(Devices.THREADS_PROPERTY);
    int cpus = Runtime.getRuntime().availableProcessors();
    return new Report(build, libtorch(bundled), cuda(), threads != null ? threads : cpus, cpus);
  }

  /**
   * Without a bundled libtorch and without a choice made by the user ({@value #FLAVOR} or {@value
   * #LIBRARY_PATH}), tells DJL to fetch the CUDA build when the host has an NVIDIA driver and the
   * CPU build otherwise. Call before the engine starts; later calls change nothing.
   */
  public static void selectFlavor() {
    boolean bundled = bundledProperties() != null;
    String libraryPath = setting(LIBRARY_PATH);
    String flavor = setting(FLAVOR);
    if (bundled || libraryPath != null || flavor != null) {
      return; // nothing to choose: spare the driver probe
    }
    String chosen = flavorToSet(false, null, null, cuda().present());
    if (chosen != null) {
      System.setProperty(FLAVOR, chosen);
    }
  }

  /**
   * The flavor {@link #selectFlavor} sets, or null to leave DJL's choice alone: nothing when
   * libtorch is bundled or the user chose a library folder or a flavor; else {@value #CUDA_FLAVOR}
   * with an NVIDIA driver and {@code cpu} without.
   */
  static String flavorToSet(
      boolean bundled, String libraryPath, String flavor, boolean driverPresent) {
    if (bundled || libraryPath != null || flavor != null) {
      return null;
    }
    return driverPresent ? CUDA_FLAVOR : "cpu";
  }

  private static String setting(String name) {
    String v = System.getProperty(name);
    if (v == null || v.isBlank()) {
      v = System.getenv(name);
    }
    return v == null || v.isBlank() ? null : v.trim();
  }

  private static Properties bundledProperties() {
    URL url = EngineProbe.class.getClassLoader().getResource(BUNDLED);
    if (url == null) {
      return null;
    }
    Properties p = new Properties();
    try (InputStream in = url.openStream()) {
      p.load(in);
    } catch (IOException e) {
      return null;
    }
    p.setProperty("location", jarOf(url));
    return p;
  }

  private static String jarOf(URL url) {
    try {
      if ("jar".equals(url.getProtocol())) {
        return Path.of(((JarURLConnection) url.openConnection()).getJarFileURL().toURI())
            .toString();
      }
      return url.toString();
    } catch (IOException | java.net.URISyntaxException | IllegalArgumentException e) {
      return url.toString();
    }
  }

  private static Libtorch libtorch(Properties bundled) {
    String libraryPath = setting(LIBRARY_PATH);
    if (libraryPath != null) {
      String flavor =
          Files.isRegularFile(Path.of(libraryPath, "libtorch_cuda.so")) ? "cuda" : "cpu";
      return new Libtorch(LIBRARY_PATH, flavor, LIBTORCH_VERSION, libraryPath);
    }
    String flavor = setting(FLAVOR);
    if (bundled != null && flavor == null) {
      return new Libtorch(
          "bundled jar",
          bundled.getProperty("flavor", "cpu"),
          bundled.getProperty("version", LIBTORCH_VERSION),
          bundled.getProperty("location"));
    }
    if (flavor == null) {
      flavor = cuda().present() ? CUDA_FLAVOR : "cpu";
    }
    Path cached = cached(flavor);
    if (cached != null) {
      return new Libtorch("cache", flavor, LIBTORCH_VERSION, cached.toString());
    }
    return new Libtorch("download", flavor, LIBTORCH_VERSION, "");
  }

  /** DJL's cache folder: {@code DJL_CACHE_DIR}, else {@code ~/.djl.ai}. */
  public static Path djlCache() {
    String dir = setting("ENGINE_CACHE_DIR");
    if (dir == null) {
      dir = setting("DJL_CACHE_DIR");
    }
    return dir != null ? Path.of(dir) : Path.of(System.getProperty("user.home"), ".djl.ai");
  }

  /**
   * The folder DJL loads a downloaded libtorch from, when it is there: {@code
   * <cache>/pytorch/2.7.1-<flavor>-<os>-<arch>} holding {@code libtorch.so}. (The folder a bundled
   * jar unpacks to carries DJL's build date in its name, and is not used without that jar.)
   */
  private static Path cached(String flavor) {
    String arch = System.getProperty("os.arch").equals("amd64") ? "x86_64" : "aarch64";
    Path dir =
        djlCache().resolve("pytorch").resolve(LIBTORCH_VERSION + "-" + flavor + "-linux-" + arch);
    return Files.isRegularFile(dir.resolve("libtorch.so")) ? dir : null;
  }

  /** Every unpacked libtorch in DJL's cache (folders holding {@code libtorch.so}). */
  public static List<Path> cachedLibraries() {
    Path root = djlCache().resolve("pytorch");
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(root)) {
      return dirs.filter(d -> Files.isRegularFile(d.resolve("libtorch.so"))).sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** The NVIDIA driver and GPUs: {@code nvidia-smi} when on the path, else the kernel's files. */
  public static Cuda cuda() {
    List<String> smi =
        run("nvidia-smi", "--query-gpu=name,memory.total,driver_version", "--format=csv,noheader");
    if (smi != null && !smi.isEmpty()) {
      List<String> devices = new ArrayList<>();
      String driver = "";
      for (String line : smi) {
        int last = line.lastIndexOf(',');
        if (last > 0) {
          driver = line.substring(last + 1).trim();
          devices.add(line.substring(0, last).trim());
        }
      }
      return new Cuda(driver, devices, "nvidia-smi");
    }
    Path proc = Path.of("/proc/driver/nvidia");
    Path version = proc.resolve("version");
    if (Files.isRegularFile(version)) {
      String driver = "";
      try {
        String text = Files.readString(version, StandardCharsets.UTF_8);
        java.util.regex.Matcher m =
            java.util.regex.Pattern.compile("Kernel Module\\s+([0-9.]+)").matcher(text);
        driver = m.find() ? m.group(1) : text.lines().findFirst().orElse("unknown").trim();
      } catch (IOException e) {
        driver = "unknown";
      }
      List<String> devices = new ArrayList<>();
      try (Stream<Path> gpus = Files.list(proc.resolve("gpus"))) {
        for (Path g : gpus.sorted().toList()) {
          Path info = g.resolve("information");
          String model =
              Files.isRegularFile(info)
                  ? Files.readAllLines(info).stream()
                      .filter(l -> l.toLowerCase(Locale.ROOT).startsWith("model:"))
                      .map(l -> l.substring(l.indexOf(':') + 1).trim())
                      .findFirst()
                      .orElse(g.getFileName().toString())
                  : g.getFileName().toString();
          devices.add(model);
        }
      } catch (IOException e) {
        // no gpus folder: a driver without visible devices
      }
      return new Cuda(driver, devices, "/proc/driver/nvidia");
    }
    return new Cuda("", List.of(), "none");
  }

  /** The output lines of a command that ends within 5 s with status 0; null otherwise. */
  private static List<String> run(String... command) {
    String path = System.getenv("PATH");
    if (path == null
        || Stream.of(path.split(java.io.File.pathSeparator))
            .noneMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, command[0])))) {
      return null;
    }
    try {
      Path out = Files.createTempFile("reelsense-probe", ".txt");
      try {
        // output to a file, so that a hung driver cannot block a read: the wait is bounded
        Process p =
            new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          return null;
        }
        if (p.exitValue() != 0) {
          return null;
        }
        return Files.readAllLines(out, StandardCharsets.UTF_8).stream()
            .filter(l -> !l.isBlank())
            .toList();
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
