package io.reelsense.cli;

import io.reelsense.model.encoder.ModelCatalog;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --repo} option of the commands that read model jars from a local Maven repository. */
final class RepositoryOption {

  @Option(
      names = "--repo",
      paramLabel = "DIR",
      description =
          "Local Maven repository (default: -Dmaven.repo.local, settings.xml, ~/.m2/repository).")
  Path repo;

  /** {@code --repo}, else the local Maven repository Maven itself would use. */
  Path repository() {
    return repo != null ? repo : ModelCatalog.localRepository();
  }
}
