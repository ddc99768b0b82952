package io.reelsense.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelsense.text.CleaningProfile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The original study's cleaning ablation: the same model trained once per cleaning profile ({@code
 * none}, {@code light}, {@code full}) under otherwise identical arguments, each bundle into {@code
 * OUT/<profile>/}, and one Markdown table {@code OUT/ablation.md}. One loop for every kind of model
 * (TF-IDF baselines, frozen encoders): the caller says how one bundle is trained.
 */
public final class CleaningAblation {

  /** The profiles compared, in table order. */
  public static final List<CleaningProfile> PROFILES =
      List.of(CleaningProfile.NONE, CleaningProfile.LIGHT, CleaningProfile.FULL);

  /** The table's file name in the output directory. */
  public static final String FILE = "ablation.md";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private CleaningAblation() {}

  /** Trains one bundle. */
  @FunctionalInterface
  public interface Trainer {
    /** Trains with {@code profile} into {@code dir}; the bundle written and its figures. */
    TrainedBundle train(CleaningProfile profile, Path dir) throws IOException;
  }

  /**
   * What a run produced.
   *
   * @param rows the figures of each profile, in {@link #PROFILES} order, each with its {@code
   *     cleaning}
   * @param table the Markdown file written
   * @param markdown its text
   */
  public record Result(List<Map<String, Object>> rows, Path table, String markdown) {}

  /**
   * Trains one bundle per profile into {@code out/<profile>/} and writes {@code out/ablation.md}.
   *
   * @param model what the table's title names ({@code tfidf-lr}, {@code minilm-l6 frozen + heads})
   * @param arguments the training arguments shared by every run (their {@code cleaning} is left out
   *     of the table)
   * @param log told when each profile starts
   */
  public static Result run(
      Path out, String model, Map<String, Object> arguments, Trainer trainer, Consumer<String> log)
      throws IOException {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (CleaningProfile p : PROFILES) {
      log.accept("ablation: cleaning profile " + p.label());
      Map<String, Object> row = trainer.train(p, out.resolve(p.label())).toJson();
      row.put("cleaning", p.label());
      rows.add(row);
    }
    String markdown = table(model, arguments, rows);
    Files.createDirectories(out);
    Path file = out.resolve(FILE);
    Files.writeString(file, markdown, StandardCharsets.UTF_8);
    return new Result(rows, file, markdown);
  }

  /**
   * The Markdown table: one row per profile with validation accuracy, test accuracy and F1, the
   * rating head's accuracy and MAE when any row has them, the TF-IDF feature count or the texts
   * embedded (and taken from the vector cache) when the rows have them, and the seconds taken.
   */
  public static String table(
      String model, Map<String, Object> arguments, List<Map<String, Object>> rows) {
    StringBuilder sb = new StringBuilder();
    sb.append("# Cleaning ablation, ")
        .append(model)
        .append(" (")
        .append(
            rows.stream()
                .map(r -> r.get("test_subset"))
                .filter(Objects::nonNull)
                .map(Object::toString)
                .findFirst()
                .orElse("official test split"))
        .append(")\n\n");
    Map<String, Object> shared = new LinkedHashMap<>(arguments);
    shared.remove("cleaning");
    sb.append("Arguments: ").append(json(shared)).append(" (cleaning varies)\n\n");
    boolean rating = rows.stream().anyMatch(r -> r.containsKey("test_rating_accuracy"));
    boolean features = rows.stream().anyMatch(r -> r.containsKey("features"));
    boolean embedded = rows.stream().anyMatch(r -> r.containsKey("texts_embedded"));
    sb.append("| cleaning | val accuracy | test accuracy | test F1 |");
    sb.append(rating ? " rating accuracy | MAE |" : "");
    sb.append(features ? " features |" : "");
    sb.append(embedded ? " texts embedded / cached |" : "");
    sb.append(" seconds |\n");
    sb.append("| --- | --- | --- | --- |");
    sb.append(rating ? " --- | --- |" : "");
    sb.append(features ? " --- |" : "");
    sb.append(embedded ? " --- |" : "");
    sb.append(" --- |\n");
    for (Map<String, Object> r : rows) {
      sb.append(
          String.format(
              Locale.ROOT,
              "| %s | %.4f | %.4f | %.4f |",
              r.get("cleaning"),
              r.get("val_accuracy"),
              r.get("test_accuracy"),
              r.get("test_f1")));
      if (rating) {
        sb.append(
            String.format(
                Locale.ROOT, " %.4f | %.3f |", r.get("test_rating_accuracy"), r.get("test_mae")));
      }
      if (features) {
        sb.append(' ').append(r.get("features")).append(" |");
      }
      if (embedded) {
        sb.append(' ')
            .append(r.get("texts_embedded"))
            .append(" / ")
            .append(r.get("texts_cached"))
            .append(" |");
      }
      sb.append(' ').append(r.get("train_seconds")).append(" |\n");
    }
    return sb.toString();
  }

  private static String json(Map<String, Object> value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize the training arguments", e);
    }
  }
}
