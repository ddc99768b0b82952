package io.reelsense.cli;

import io.reelsense.model.encoder.ModelCatalog;
import io.reelsense.model.encoder.PretrainedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code reelsense models list}: every known model, its coordinates and whether it is local. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = {
      "List the pretrained encoders with their Maven coordinates and whether their jar is in the"
          + " local Maven repository."
    })
public final class ModelsListCommand extends ReportingCommand {

  @Option(
      names = "--repo",
      paramLabel = "DIR",
      description =
          "Local Maven repository (default: -Dmaven.repo.local, settings.xml, ~/.m2/repository).")
  Path repo;

  @Override
  protected Report execute() throws Exception {
    Path repository = repo != null ? repo : ModelCatalog.localRepository();
    StringBuilder summary = new StringBuilder();
    summary.append(String.format("%-18s %-8s %-9s %s%n", "MODEL", "PRESENT", "FORMAT", "MAVEN"));
    List<Map<String, Object>> rows = new ArrayList<>();
    for (PretrainedModel m : ModelCatalog.all()) {
      Path jar = ModelCatalog.localJar(m, repository);
      boolean present = Files.isRegularFile(jar);
      summary.append(
          String.format(
              "%-18s %-8s %-9s %s%n",
              m.name(),
              present ? "yes" : "no",
              m.format().name().toLowerCase(java.util.Locale.ROOT),
              m.coordinates()));
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("name", m.name());
      row.put("coordinates", m.coordinates());
      row.put("format", m.format().name().toLowerCase(java.util.Locale.ROOT));
      row.put("pooling", m.pooling().name().toLowerCase(java.util.Locale.ROOT));
      row.put("normalize", m.normalize());
      row.put("present", present);
      row.put("jar", jar.toString());
      row.put("bytes", present ? Files.size(jar) : 0L);
      row.put("description", m.description());
      rows.add(row);
    }
    summary.append("repository: ").append(repository);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("repository", repository.toString());
    json.put("models", rows);
    return Report.of(summary.toString(), json);
  }
}
