package io.reelsense.cli;

import ai.djl.Device;
import io.reelsense.model.encoder.Devices;
import io.reelsense.model.encoder.ModelCatalog;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where a command's encoder runs and where its model jars are found: a picocli mixin. */
public final class EncoderOptions {

  @Option(
      names = "--device",
      paramLabel = "DEV",
      defaultValue = "auto",
      description = "auto, cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}).")
  String device;

  @Option(
      names = "--repo",
      paramLabel = "DIR",
      description = "Local Maven repository holding the model jars.")
  Path repo;

  /** The local Maven repository to read model jars from: {@code --repo}, else Maven's own. */
  Path repository() {
    return repo != null ? repo : ModelCatalog.localRepository();
  }

  /** The device of {@code --device}. */
  Device device() {
    return parseDevice(device);
  }

  /** A {@code --device} value as a device; a malformed one, or a GPU not there, is a user error. */
  static Device parseDevice(String option) {
    try {
      return Devices.parse(option);
    } catch (IllegalArgumentException e) {
      throw new UserError("--device: " + e.getMessage());
    }
  }
}
