package io.reelsense.train;

import io.reelsense.metrics.ConfusionMatrix;
import io.reelsense.metrics.Scores;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Writes {@code report.html} into a bundle directory: the figures, the training arguments, and PNG
 * charts made with XChart (confusion matrices on the official test split; per-star precision,
 * recall and F1 for the rating head).
 */
public final class TrainReport {

  public static final String FILE = "report.html";

  private TrainReport() {}

  /**
   * Writes the report of a bundle just written into {@code dir}; what the run reports, with {@code
   * model} and {@code cleaning} (null when the bundle has none of its own).
   */
  public static TrainedBundle writeForBundle(
      Path dir,
      String title,
      String model,
      String cleaning,
      Scores scores,
      Map<String, Object> metrics,
      Map<String, Object> arguments,
      Evaluation test)
      throws IOException {
    Path report = write(dir, title, metrics, arguments, test);
    return new TrainedBundle(model, cleaning, null, scores, metrics, dir, report);
  }

  /** Writes the report and its charts; returns the report's path. */
  public static Path write(
      Path dir,
      String title,
      Map<String, Object> metrics,
      Map<String, Object> arguments,
      Evaluation test)
      throws IOException {
    return write(dir, title, metrics, arguments, test, List.of());
  }

  /**
   * As {@link #write(Path, String, Map, Map, Evaluation)}, showing first the charts {@code charts}
   * (PNG files already in {@code dir}, by file name), e.g. training curves.
   */
  public static Path write(
      Path dir,
      String title,
      Map<String, Object> metrics,
      Map<String, Object> arguments,
      Evaluation test,
      List<String> charts)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    Files.createDirectories(dir);
    List<String> images = new ArrayList<>(charts);
    ConfusionMatrix sentiment = test.sentimentConfusion();
    saveHeatMap(
        dir.resolve("confusion-sentiment.png"),
        "Sentiment, official test split",
        List.of("negative", "positive"),
        sentiment);
    images.add("confusion-sentiment.png");
    if (test.hasRating()) {
      ConfusionMatrix rating = test.ratingConfusion();
      List<String> stars = new ArrayList<>();
      for (int s : rating.labels()) {
        stars.add(Integer.toString(s));
      }
      saveHeatMap(
          dir.resolve("confusion-rating.png"), "Rating, official test split", stars, rating);
      images.add("confusion-rating.png");
      savePerClass(dir.resolve("rating-per-class.png"), stars, rating);
      images.add("rating-per-class.png");
    }
    StringBuilder html = new StringBuilder();
    html.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
        .append(escape(title))
        .append("</title>\n<style>body{font-family:sans-serif;margin:2em}")
        .append("table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;")
        .append("text-align:left}</style></head><body>\n<h1>")
        .append(escape(title))
        .append("</h1>\n<h2>Figures</h2>\n")
        .append(table(metrics))
        .append("<h2>Training arguments</h2>\n")
        .append(table(arguments))
        .append("<h2>Charts</h2>\n");
    for (String image : images) {
      html.append("<p><img src=\"")
          .append(image)
          .append("\" alt=\"")
          .append(image)
          .append("\"></p>\n");
    }
    html.append("<h2>Confusion matrix (sentiment, test; rows = truth)</h2>\n<pre>")
        .append(escape(sentiment.toString()))
        .append("</pre>\n");
    if (test.hasRating()) {
      html.append("<h2>Confusion matrix (rating, test; rows = truth)</h2>\n<pre>")
          .append(escape(test.ratingConfusion().toString()))
          .append("</pre>\n");
    }
    html.append("</body></html>\n");
    Path file = dir.resolve(FILE);
    Files.writeString(file, html, StandardCharsets.UTF_8);
    return file;
  }

  private static void saveHeatMap(Path file, String title, List<String> names, ConfusionMatrix cm)
      throws IOException {
    HeatMapChart chart =
        new HeatMapChartBuilder()
            .width(140 + 70 * names.size())
            .height(120 + 60 * names.size())
            .title(title)
            .xAxisTitle("predicted")
            .yAxisTitle("true")
            .build();
    chart.getStyler().setShowValue(true);
    chart.getStyler().setHeatMapValueDecimalPattern("#");
    chart.getStyler().setLegendVisible(false);
    chart.getStyler().setRangeColors(new Color[] {new Color(0xF7FBFF), new Color(0x08519C)});
    long[][] counts = cm.counts();
    List<Number[]> cells = new ArrayList<>();
    for (int t = 0; t < names.size(); t++) {
      for (int p = 0; p < names.size(); p++) {
        cells.add(new Number[] {p, t, counts[t][p]});
      }
    }
    chart.addSeries("counts", names, names, cells);
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  private static void savePerClass(Path file, List<String> stars, ConfusionMatrix cm)
      throws IOException {
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(800)
            .height(400)
            .title("Rating per star, official test split")
            .xAxisTitle("stars")
            .yAxisTitle("score")
            .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisMax(1.0);
    List<Double> precision = new ArrayList<>();
    List<Double> recall = new ArrayList<>();
    List<Double> f1 = new ArrayList<>();
    for (int i = 0; i < stars.size(); i++) {
      precision.add(cm.precision(i));
      recall.add(cm.recall(i));
      f1.add(cm.f1(i));
    }
    chart.addSeries("precision", stars, precision);
    chart.addSeries("recall", stars, recall);
    chart.addSeries("F1", stars, f1);
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  private static String table(Map<String, Object> values) {
    StringBuilder sb = new StringBuilder("<table>\n");
    for (Map.Entry<String, Object> e : values.entrySet()) {
      Object v = e.getValue();
      String shown = v instanceof int[] a ? java.util.Arrays.toString(a) : String.valueOf(v);
      sb.append("<tr><th>")
          .append(escape(e.getKey()))
          .append("</th><td>")
          .append(escape(shown))
          .append("</td></tr>\n");
    }
    return sb.append("</table>\n").toString();
  }

  static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
