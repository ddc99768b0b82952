package io.reelsense.cli;

import io.reelsense.model.encoder.ModelListing;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code reelsense models list}: every known model, its coordinates and whether it is local. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = {
      "List the pretrained encoders with their Maven coordinates and whether their jar is in the"
          + " local Maven repository."
    })
public final class ModelsListCommand extends ReportingCommand {

  @Mixin RepositoryOption repo;

  @Override
  protected Report execute() throws Exception {
    Path repository = repo.repository();
    ModelListing listing = ModelListing.of(repository);
    return Report.of(listing.summary(), listing.toJson());
  }
}
