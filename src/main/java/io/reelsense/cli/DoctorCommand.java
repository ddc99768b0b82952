package io.reelsense.cli;

import io.reelsense.data.DataFormatException;
import io.reelsense.data.DataLocation;
import io.reelsense.model.encoder.Checkup;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

  @Mixin RepositoryOption repo;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "Data directory (default: $REELSENSE_DATA, ./data, ../shared/data).")
  Path data;

  @Override
  protected Report execute() {
    Checkup checkup = checkup(repo.repository(), data);
    return Report.of(checkup.summary(), checkup);
  }

  /**
   * What {@code doctor} finds, for the Maven repository {@code repository} and the data directory
   * {@code data} (null: the defaults).
   */
  static Checkup checkup(Path repository, Path data) {
    Checkup.DataStatus dataStatus;
    try {
      Path dir = DataLocation.resolve(data);
      dataStatus = new Checkup.DataStatus(DataLocation.holdsData(dir), dir.toString(), "");
    } catch (DataFormatException e) {
      dataStatus = new Checkup.DataStatus(false, "", e.getMessage());
    }
    return Checkup.run(repository, dataStatus);
  }
}
