package io.reelsense.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.reelsense.metrics.Scores;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * The comparison of several models trained under the same arguments: one row per model (official
 * test accuracy and F1, validation accuracy, training time, training examples per second,
 * parameters), written as {@code compare.html} (table and an accuracy chart) and {@code
 * compare.json}.
 */
public final class Comparison {

  public static final String HTML = "compare.html";
  public static final String JSON = "compare.json";
  public static final String CHART = "compare-accuracy.png";
  public static final String LOSS_CHART = "compare-loss.png";

  /** The columns of the table: metric key and heading. */
  static final Map<String, String> COLUMNS = new LinkedHashMap<>();

  static {
    COLUMNS.put("model", "model");
    COLUMNS.put("test_accuracy", "test accuracy");
    COLUMNS.put("test_f1", "test F1");
    COLUMNS.put("val_accuracy", "val accuracy");
    COLUMNS.put("train_seconds", "train time (s)");
    COLUMNS.put("examples_per_second", "train examples/s");
    COLUMNS.put("peak_rss_mb", "peak memory (MB)");
    COLUMNS.put("gpu_memory_mb", "GPU memory (MB)");
    COLUMNS.put("parameters", "parameters");
    COLUMNS.put("n_fit", "train reviews");
    COLUMNS.put("n_test", "test reviews");
  }

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Comparison() {}

  /** One model of a comparison: its row of the table, of {@code compare.json} and of the JSON. */
  public sealed interface Row permits Finished, Stopped {

    /** The model's name ({@code tfidf-lr}, {@code minilm-l6}, …). */
    String model();

    /** Whether it was trained to the end. */
    boolean completed();
  }

  /**
   * A model trained to the end. Its JSON: {@code model}, the bundle's figures, {@code kind}, {@code
   * cleaning} (when the bundle names one), {@code bundle}, {@code report}.
   *
   * @param model the model's name
   * @param bundle the bundle written, its figures including {@code examples_per_second} and {@code
   *     parameters}
   */
  public record Finished(
      String model, TrainedBundle bundle, List<double[]> loss, Long peakRssMb, Long gpuMemoryMb)
      implements Row {

    /** A model without a loss curve or memory figures (the TF-IDF baselines). */
    public Finished(String model, TrainedBundle bundle) {
      this(model, bundle, List.of(), null, null);
    }

    @Override
    public boolean completed() {
      return true;
    }

    /** A figure of the table's column {@code key}; null when the bundle has none. */
    Object column(String key) {
      return switch (key) {
        case "model" -> model;
        case "peak_rss_mb" -> peakRssMb;
        case "gpu_memory_mb" -> gpuMemoryMb;
        default -> bundle.figures().get(key);
      };
    }

    @JsonValue
    public Map<String, Object> toJson() {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("model", model);
      row.putAll(bundle.figures());
      row.put("kind", bundle.kind());
      if (bundle.cleaning() != null) {
        row.put("cleaning", bundle.cleaning());
      }
      row.put("bundle", bundle.bundle().toString());
      row.put("report", bundle.report().toString());
      if (!loss.isEmpty()) {
        row.put("loss", loss);
      }
      if (peakRssMb != null) {
        row.put("peak_rss_mb", peakRssMb);
      }
      if (gpuMemoryMb != null) {
        row.put("gpu_memory_mb", gpuMemoryMb);
      }
      return row;
    }
  }

  /**
   * A fine-tuning run that stopped before the end (a stop request), with where to go on from.
   *
   * @param model the encoder's name
   * @param step optimizer steps done
   * @param totalSteps steps of the whole run
   * @param checkpoints the checkpoint directory a resumed run reads
   * @param validation the finished epochs' figures
   */
  @JsonPropertyOrder({"model", "completed", "step", "total_steps", "checkpoints", "validation"})
  public record Stopped(
      String model,
      int step,
      @JsonProperty("total_steps") int totalSteps,
      String checkpoints,
      List<EpochValidation> validation)
      implements Row {

    @Override
    @JsonProperty("completed")
    public boolean completed() {
      return false;
    }
  }

  /**
   * The content of {@code compare.json}.
   *
   * @param arguments the arguments every model was trained under
   * @param models the rows of the models trained to the end
   */
  @JsonPropertyOrder({"arguments", "models"})
  record JsonFile(Map<String, Object> arguments, List<Finished> models) {}

  /** Writes the HTML and JSON files into {@code dir}; returns the HTML file. */
  public static Path write(Path dir, List<Finished> rows, Map<String, Object> arguments)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    Files.createDirectories(dir);
    MAPPER.writeValue(dir.resolve(JSON).toFile(), new JsonFile(arguments, rows));
    saveChart(dir.resolve(CHART), rows);
    boolean losses = saveLossChart(dir.resolve(LOSS_CHART), rows);
    StringBuilder html = new StringBuilder();
    html.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Model comparison")
        .append("</title>\n<style>body{font-family:sans-serif;margin:2em}")
        .append("table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;")
        .append("text-align:left}</style></head><body>\n<h1>Model comparison</h1>\n")
        .append("<p>Same split, seed and arguments for every model; accuracy and F1 on the")
        .append(" official test split (or the seeded sample of it the arguments name).</p>\n")
        .append(markdownlessTable(rows))
        .append("<p><img src=\"")
        .append(CHART)
        .append("\" alt=\"accuracy\"></p>\n")
        .append(
            losses
                ? "<h2>Training loss</h2>\n<p>Mean loss per logging window, by optimizer step.</p>"
                    + "\n<p><img src=\""
                    + LOSS_CHART
                    + "\" alt=\"training loss\"></p>\n"
                : "")
        .append("<h2>Arguments</h2>\n<pre>")
        .append(TrainReport.escape(MAPPER.writeValueAsString(arguments)))
        .append("</pre>\n</body></html>\n");
    Path file = dir.resolve(HTML);
    Files.writeString(file, html, StandardCharsets.UTF_8);
    return file;
  }

  /** The table as Markdown (for the command's summary and the README). */
  public static String markdown(List<Finished> rows) {
    StringBuilder sb = new StringBuilder("|");
    StringBuilder rule = new StringBuilder("|");
    for (String heading : COLUMNS.values()) {
      sb.append(' ').append(heading).append(" |");
      rule.append(" --- |");
    }
    sb.append('\n').append(rule).append('\n');
    for (Finished row : rows) {
      sb.append('|');
      for (String key : COLUMNS.keySet()) {
        sb.append(' ').append(format(row.column(key))).append(" |");
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private static String markdownlessTable(List<Finished> rows) {
    StringBuilder sb = new StringBuilder("<table>\n<tr>");
    for (String heading : COLUMNS.values()) {
      sb.append("<th>").append(TrainReport.escape(heading)).append("</th>");
    }
    sb.append("</tr>\n");
    for (Finished row : rows) {
      sb.append("<tr>");
      for (String key : COLUMNS.keySet()) {
        sb.append("<td>").append(TrainReport.escape(format(row.column(key)))).append("</td>");
      }
      sb.append("</tr>\n");
    }
    return sb.append("</table>\n").toString();
  }

  static String format(Object v) {
    if (v == null) {
      return "";
    }
    if (v instanceof Double d) {
      return String.format(Locale.ROOT, d < 1 ? "%.4f" : "%.1f", d);
    }
    if (v instanceof Long || v instanceof Integer) {
      return String.format(Locale.ROOT, "%,d", ((Number) v).longValue());
    }
    return v.toString();
  }

  private static void saveChart(Path file, List<Finished> rows) throws IOException {
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(800)
            .height(400)
            .title("Official test split")
            .xAxisTitle("model")
            .yAxisTitle("score")
            .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisMax(1.0);
    List<String> names = new ArrayList<>();
    List<Double> accuracy = new ArrayList<>();
    List<Double> f1 = new ArrayList<>();
    for (Finished row : rows) {
      names.add(row.model());
      accuracy.add(Scores.round(row.bundle().scores().testAccuracy()));
      f1.add(Scores.round(row.bundle().scores().testF1()));
    }
    chart.addSeries("accuracy", names, accuracy);
    chart.addSeries("F1", names, f1);
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  /**
   * Draws every fine-tuned model's training loss curve (the rows' {@code loss}: {@code [step,
   * loss]} pairs) into one chart; false, and no file, when no row has one.
   */
  private static boolean saveLossChart(Path file, List<Finished> rows) throws IOException {
    XYChart chart =
        new XYChartBuilder()
            .width(800)
            .height(400)
            .title("Training loss")
            .xAxisTitle("step")
            .yAxisTitle("loss")
            .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    boolean any = false;
    for (Finished row : rows) {
      if (row.loss().isEmpty()) {
        continue;
      }
      List<Double> steps = new ArrayList<>();
      List<Double> loss = new ArrayList<>();
      for (double[] pair : row.loss()) {
        steps.add(pair[0]);
        loss.add(pair[1]);
      }
      chart.addSeries(row.model(), steps, loss);
      any = true;
    }
    if (any) {
      BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
    return any;
  }
}
