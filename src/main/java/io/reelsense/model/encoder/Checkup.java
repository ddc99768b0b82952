package io.reelsense.model.encoder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code reelsense doctor} finds: the deep-learning engine (libtorch build, CUDA driver,
 * threads), which catalog and user models are in the local Maven repository, whether a data
 * directory is found, and advice for each thing missing.
 */
public record Checkup(
    String build,
    EngineProbe.Libtorch libtorch,
    EngineProbe.Cuda cuda,
    int threads,
    int cpus,
    List<ModelStatus> models,
    DataStatus data,
    List<String> advice) {

  /**
   * Probes the engine ({@link EngineProbe}) and the catalog's models in {@code repository}, and
   * advises what to do about anything missing, {@code data} included.
   */
  public static Checkup run(Path repository, DataStatus data) {
    EngineProbe.Report engine = EngineProbe.probe();
    List<ModelStatus> models = new ArrayList<>();
    List<PretrainedModel> all = new ArrayList<>(ModelCatalog.all());
    all.addAll(ModelCatalog.userModels());
    for (PretrainedModel m : all) {
      models.add(
          new ModelStatus(
              m.name(),
              m.format().name().toLowerCase(Locale.ROOT),
              ModelCatalog.isPresent(m, repository),
              ModelCatalog.localJar(m, repository).toString()));
    }
    return new Checkup(
        engine.build(),
        engine.libtorch(),
        engine.cuda(),
        engine.threads(),
        engine.cpus(),
        List.copyOf(models),
        data,
        advice(engine, models, data));
  }

  /** One model: its name, whether it is here, and where it lies (or would lie). */
  public record ModelStatus(String name, String format, boolean present, String path) {}

  /** The data directory, when one is found, and what was looked at otherwise. */
  public record DataStatus(boolean present, String path, String note) {}

  private static List<String> advice(
      EngineProbe.Report engine, List<ModelStatus> models, DataStatus data) {
    List<String> advice = new ArrayList<>();
    EngineProbe.Libtorch lib = engine.libtorch();
    boolean cudaLib = !lib.flavor().equals("cpu");
    if (engine.cuda().present() && !cudaLib) {
      advice.add(
          "an NVIDIA driver is installed but the models will run on the CPU: build with"
              + " `mvn -Pgpu package` (no CPU libtorch in target/lib), or point "
              + EngineProbe.LIBRARY_PATH
              + " at a CUDA libtorch "
              + EngineProbe.LIBTORCH_VERSION);
    }
    if (!engine.cuda().present() && cudaLib) {
      advice.add(
          "a CUDA libtorch is selected but no NVIDIA driver is seen: install the driver, or set "
              + EngineProbe.FLAVOR
              + "=cpu");
    }
    if (lib.source().equals("download")) {
      advice.add(
          "libtorch "
              + lib.flavor()
              + " is not here yet: DJL downloads it to "
              + EngineProbe.djlCache().resolve("pytorch")
              + " on first use (needs the internet); offline, set "
              + EngineProbe.LIBRARY_PATH
              + " to an unpacked libtorch "
              + EngineProbe.LIBTORCH_VERSION
              + EngineProbe.cachedLibraries().stream()
                  .filter(d -> d.getFileName().toString().contains("-" + lib.flavor() + "-"))
                  .map(Path::toString)
                  .reduce((a, b) -> a + ", " + b)
                  .map(found -> " (found here: " + found + ")")
                  .orElse(""));
    }
    if (lib.source().equals(EngineProbe.LIBRARY_PATH)
        && !Files.isRegularFile(Path.of(lib.location(), "libtorch.so"))) {
      advice.add(EngineProbe.LIBRARY_PATH + " holds no libtorch.so: " + lib.location());
    }
    for (ModelStatus m : models) {
      if (!m.present()) {
        advice.add(
            m.format().equals("hub_directory")
                ? "model " + m.name() + ": no config.json in " + m.path()
                : "model " + m.name() + " is not downloaded: reelsense models pull " + m.name());
      }
    }
    if (!data.present()) {
      advice.add("no data: " + data.note());
    }
    return advice;
  }

  /** The report {@code doctor} prints: one line per finding, then what to do. */
  public String summary() {
    Checkup d = this;
    StringBuilder s = new StringBuilder();
    EngineProbe.Libtorch lib = d.libtorch();
    s.append(String.format("build      %s%n", d.build()));
    s.append(
        String.format(
            "libtorch   %s %s from %s%s%n",
            lib.version(),
            lib.flavor(),
            lib.source(),
            lib.location().isEmpty() ? "" : " (" + lib.location() + ")"));
    EngineProbe.Cuda cuda = d.cuda();
    s.append(
        String.format(
            "cuda       %s%n",
            cuda.present()
                ? "driver " + cuda.driver() + " (" + cuda.seenBy() + ")"
                : "no NVIDIA driver seen"));
    for (String device : cuda.devices()) {
      s.append(String.format("gpu        %s%n", device));
    }
    s.append(String.format("threads    %d of %d CPUs%n", d.threads(), d.cpus()));
    for (ModelStatus m : d.models()) {
      s.append(
          String.format(
              "model      %-18s %-8s %s%n",
              m.name(), m.present() ? "present" : "absent", m.path()));
    }
    s.append(String.format("data       %s%n", d.data().present() ? d.data().path() : "absent"));
    for (String a : d.advice()) {
      s.append("to do      ").append(a).append('\n');
    }
    return s.toString();
  }
}
