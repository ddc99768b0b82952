package io.reelsense.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
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

  /** Writes the HTML and JSON files into {@code dir}; returns the HTML file. */
  public static Path write(Path dir, List<Map<String, Object>> rows, Map<String, Object> arguments)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    Files.createDirectories(dir);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("arguments", arguments);
    json.put("models", rows);
    MAPPER.writeValue(dir.resolve(JSON).toFile(), json);
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
  public static String markdown(List<Map<String, Object>> rows) {
    StringBuilder sb = new StringBuilder("|");
    StringBuilder rule = new StringBuilder("|");
    for (String heading : COLUMNS.values()) {
      sb.append(' ').append(heading).append(" |");
      rule.append(" --- |");
    }
    sb.append('\n').append(rule).append('\n');
    for (Map<String, Object> row : rows) {
      sb.append('|');
      for (String key : COLUMNS.keySet()) {
        sb.append(' ').append(format(row.get(key))).append(" |");
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private static String markdownlessTable(List<Map<String, Object>> rows) {
    StringBuilder sb = new StringBuilder("<table>\n<tr>");
    for (String heading : COLUMNS.values()) {
      sb.append("<th>").append(TrainReport.escape(heading)).append("</th>");
    }
    sb.append("</tr>\n");
    for (Map<String, Object> row : rows) {
      sb.append("<tr>");
      for (String key : COLUMNS.keySet()) {
        sb.append("<td>").append(TrainReport.escape(format(row.get(key)))).append("</td>");
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

  private static void saveChart(Path file, List<Map<String, Object>> rows) throws IOException {
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
    for (Map<String, Object> row : rows) {
      names.add(String.valueOf(row.get("model")));
      accuracy.add(((Number) row.get("test_accuracy")).doubleValue());
      f1.add(((Number) row.get("test_f1")).doubleValue());
    }
    chart.addSeries("accuracy", names, accuracy);
    chart.addSeries("F1", names, f1);
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  /**
   * Draws every fine-tuned model's training loss curve (the rows' {@code loss}: {@code [step,
   * loss]} pairs) into one chart; false, and no file, when no row has one.
   */
  private static boolean saveLossChart(Path file, List<Map<String, Object>> rows)
      throws IOException {
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
    for (Map<String, Object> row : rows) {
      if (!(row.get("loss") instanceof List<?> points) || points.isEmpty()) {
        continue;
      }
      List<Double> steps = new ArrayList<>();
      List<Double> loss = new ArrayList<>();
      for (Object p : points) {
        double[] pair = (double[]) p;
        steps.add(pair[0]);
        loss.add(pair[1]);
      }
      chart.addSeries(String.valueOf(row.get("model")), steps, loss);
      any = true;
    }
    if (any) {
      BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
    return any;
  }
}
