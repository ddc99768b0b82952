package io.reelsense.cli;

import io.reelsense.data.DataFormatException;
import io.reelsense.data.DataLocation;
import io.reelsense.model.encoder.EngineProbe;
import io.reelsense.model.encoder.ModelCatalog;
import io.reelsense.model.encoder.PretrainedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code reelsense doctor}: what will run the models, found before any engine is loaded (libtorch
 * and where it comes from, CUDA driver and GPUs, threads), which model jars and data are present,
 * and what to do about whatever is missing.
 */
@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    description = {
      "Say what will run the models (libtorch build and source, CUDA driver and GPUs, threads),"
          + " which models and data are present, and what to do when something is missing."
          + " Loads no engine and downloads nothing."
    })
public final class DoctorCommand extends ReportingCommand {

  @Option(
      names = "--repo",
      paramLabel = "DIR",
      description =
          "Local Maven repository (default: -Dmaven.repo.local, settings.xml, ~/.m2/repository).")
  Path repo;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "Data directory (default: $REELSENSE_DATA, ./data, ../shared/data).")
  Path data;

  /** One model: its name, whether it is here, and where it lies (or would lie). */
  public record ModelStatus(String name, String format, boolean present, String path) {}

  /** The data directory, when one is found, and what was looked at otherwise. */
  public record DataStatus(boolean present, String path, String note) {}

  /** Everything {@code doctor --json} prints. */
  public record Doctor(
      String build,
      EngineProbe.Libtorch libtorch,
      EngineProbe.Cuda cuda,
      int threads,
      int cpus,
      List<ModelStatus> models,
      DataStatus data,
      List<String> advice) {}

  @Override
  protected Report execute() {
    Doctor doctor = doctor(repo, data);
    return Report.of(summary(doctor), doctor);
  }

  /**
   * What {@code doctor --json} prints, for the Maven repository {@code repo} and the data directory
   * {@code data} (null: the defaults).
   */
  static Doctor doctor(Path repo, Path data) {
    EngineProbe.Report engine = EngineProbe.probe();
    Path repository = repo != null ? repo : ModelCatalog.localRepository();
    List<ModelStatus> models = new ArrayList<>();
    List<PretrainedModel> all = new ArrayList<>(ModelCatalog.all());
    all.addAll(ModelCatalog.userModels());
    for (PretrainedModel m : all) {
      models.add(
          new ModelStatus(
              m.name(),
              m.format().name().toLowerCase(java.util.Locale.ROOT),
              ModelCatalog.isPresent(m, repository),
              ModelCatalog.localJar(m, repository).toString()));
    }
    DataStatus dataStatus;
    try {
      Path dir = DataLocation.resolve(data);
      dataStatus = new DataStatus(DataLocation.holdsData(dir), dir.toString(), "");
    } catch (DataFormatException e) {
      dataStatus = new DataStatus(false, "", e.getMessage());
    }
    List<String> advice = advice(engine, models, dataStatus);
    Doctor doctor =
        new Doctor(
            engine.build(),
            engine.libtorch(),
            engine.cuda(),
            engine.threads(),
            engine.cpus(),
            models,
            dataStatus,
            advice);
    return doctor;
  }

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

  private static String summary(Doctor d) {
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
