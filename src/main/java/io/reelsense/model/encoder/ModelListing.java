package io.reelsense.model.encoder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code reelsense models list}: the catalog's models and whether each jar is in a local Maven
 * repository.
 *
 * @param repository the local Maven repository looked in
 * @param models one row per catalog model, in catalog order
 */
public record ModelListing(Path repository, List<Row> models) {

  /** A catalog model and its jar in the repository ({@code bytes} 0 when absent). */
  public record Row(PretrainedModel model, Path jar, boolean present, long bytes) {}

  /** Lists the catalog's models against {@code repository}. */
  public static ModelListing of(Path repository) throws IOException {
    List<Row> rows = new ArrayList<>();
    for (PretrainedModel m : ModelCatalog.all()) {
      Path jar = ModelCatalog.localJar(m, repository);
      boolean present = Files.isRegularFile(jar);
      rows.add(new Row(m, jar, present, present ? Files.size(jar) : 0L));
    }
    return new ModelListing(repository, List.copyOf(rows));
  }

  /** A table (model, present, format, Maven coordinates), then the repository. */
  public String summary() {
    StringBuilder summary = new StringBuilder();
    summary.append(String.format("%-18s %-8s %-9s %s%n", "MODEL", "PRESENT", "FORMAT", "MAVEN"));
    for (Row r : models) {
      summary.append(
          String.format(
              "%-18s %-8s %-9s %s%n",
              r.model().name(),
              r.present() ? "yes" : "no",
              lower(r.model().format()),
              r.model().coordinates()));
    }
    return summary.append("repository: ").append(repository).toString();
  }

  /** {@code models list --json}: the repository and one object per model. */
  public Map<String, Object> toJson() {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Row r : models) {
      PretrainedModel m = r.model();
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("name", m.name());
      row.put("coordinates", m.coordinates());
      row.put("format", lower(m.format()));
      row.put("pooling", lower(m.pooling()));
      row.put("normalize", m.normalize());
      row.put("present", r.present());
      row.put("jar", r.jar().toString());
      row.put("bytes", r.bytes());
      row.put("description", m.description());
      rows.add(row);
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("repository", repository.toString());
    json.put("models", rows);
    return json;
  }

  private static String lower(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
