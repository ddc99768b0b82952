package io.reelsense.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.Histogram;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Writes a replay's report into a directory: {@value #JSON} (every figure, the per-second timeline
 * and the context), {@value #HTML} (a readable page) and the plots it shows as PNG files ({@value
 * #LATENCY_PNG}, {@value #THROUGHPUT_PNG}, {@value #CONFUSION_PNG}), drawn with XChart.
 */
public final class ReplayReport {

  public static final String JSON = "replay.json";
  public static final String HTML = "report.html";
  public static final String LATENCY_PNG = "latency.png";
  public static final String THROUGHPUT_PNG = "throughput.png";
  public static final String CONFUSION_PNG = "confusion.png";

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final int WIDTH = 720;
  private static final int HEIGHT = 400;
  private static final int BINS = 30;

  private ReplayReport() {}

  /**
   * Writes the report of {@code result} into {@code dir} (created when missing); {@code context}
   * (e.g. brokers, model, data) is shown on the page and stored in the JSON. Returns the HTML file.
   */
  public static Path write(Path dir, ReplayResult result, Map<String, Object> context) {
    System.setProperty("java.awt.headless", "true");
    try {
      Files.createDirectories(dir);
      Map<String, Object> json = new LinkedHashMap<>(result.toJson());
      Map<String, Object> timeline = new LinkedHashMap<>();
      timeline.put("produced_per_s", result.timeline().produced());
      timeline.put("accounted_per_s", result.timeline().accounted());
      json.put("timeline", timeline);
      json.put("context", context);
      MAPPER.writeValue(dir.resolve(JSON).toFile(), json);
      save(latencyChart(result), dir.resolve(LATENCY_PNG));
      save(throughputChart(result), dir.resolve(THROUGHPUT_PNG));
      save(confusionChart(result), dir.resolve(CONFUSION_PNG));
      Path html = dir.resolve(HTML);
      Files.writeString(html, html(result, context), StandardCharsets.UTF_8);
      return html;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the replay report into " + dir, e);
    }
  }

  private static void save(Chart<?, ?> chart, Path file) throws IOException {
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  static CategoryChart latencyChart(ReplayResult r) {
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title("Produce → scored latency (end to end)")
            .xAxisTitle("latency (ms)")
            .yAxisTitle("reviews")
            .build();
    chart.getStyler().setLegendVisible(false);
    chart.getStyler().setXAxisLabelRotation(45);
    chart.getStyler().setXAxisDecimalPattern("#,##0");
    chart.getStyler().setXAxisMaxLabelCount(12);
    double[] values = r.endToEndMs();
    if (values.length == 0) {
      chart.addSeries("latency", List.of(0.0), List.of(0.0));
      return chart;
    }
    double min = Arrays.stream(values).min().orElse(0);
    double max = Arrays.stream(values).max().orElse(0);
    List<Double> data = new ArrayList<>(values.length);
    for (double v : values) {
      data.add(v);
    }
    Histogram h = new Histogram(data, BINS, min, max > min ? max : min + 1);
    chart.addSeries("latency", h.getxAxisData(), h.getyAxisData());
    return chart;
  }

  static XYChart throughputChart(ReplayResult r) {
    XYChart chart =
        new XYChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title("Throughput over time")
            .xAxisTitle("seconds since the first review was sent")
            .yAxisTitle("reviews per second")
            .build();
    int[] produced = r.timeline().produced();
    int[] accounted = r.timeline().accounted();
    double[] x = new double[Math.max(1, produced.length)];
    for (int i = 0; i < x.length; i++) {
      x[i] = i;
    }
    chart.addSeries("sent", x, toDoubles(produced, x.length)).setMarker(SeriesMarkers.NONE);
    chart
        .addSeries("scored or dead-lettered", x, toDoubles(accounted, x.length))
        .setMarker(SeriesMarkers.NONE);
    return chart;
  }

  static HeatMapChart confusionChart(ReplayResult r) {
    HeatMapChart chart =
        new HeatMapChartBuilder()
            .width(HEIGHT + 140)
            .height(HEIGHT)
            .title("Confusion matrix (rows: true, columns: predicted)")
            .xAxisTitle("predicted")
            .yAxisTitle("true")
            .build();
    chart.getStyler().setShowValue(true);
    chart.getStyler().setLegendVisible(false);
    long[][] counts = r.confusion().counts();
    List<Number[]> cells = new ArrayList<>();
    for (int t = 0; t < counts.length; t++) {
      for (int p = 0; p < counts[t].length; p++) {
        cells.add(new Number[] {p, t, counts[t][p]});
      }
    }
    List<String> names = List.of("negative", "positive");
    chart.addSeries("confusion", names, names, cells);
    return chart;
  }

  private static double[] toDoubles(int[] values, int length) {
    double[] out = new double[length];
    for (int i = 0; i < values.length && i < length; i++) {
      out[i] = values[i];
    }
    return out;
  }

  static String html(ReplayResult r, Map<String, Object> context) {
    StringBuilder sb = new StringBuilder();
    sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>reelsense replay</title><style>")
        .append("body{font-family:sans-serif;max-width:60em;margin:2em auto;color:#222}")
        .append("table{border-collapse:collapse;margin:1em 0}")
        .append("td,th{border:1px solid #ccc;padding:.3em .7em;text-align:right}")
        .append("th{background:#f4f4f4}td.l,th.l{text-align:left}")
        .append(".bad{color:#b00}.ok{color:#070}</style></head><body>\n")
        .append("<h1>reelsense replay</h1>\n");
    sb.append("<p class=\"")
        .append(r.complete() ? "ok\">Every review was accounted for: " : "bad\">Incomplete: ")
        .append(
            String.format(
                Locale.ROOT,
                "%,d sent, %,d scored, %,d dead-lettered",
                r.produced(),
                r.scored(),
                r.dlq()))
        .append(r.complete() ? "" : String.format(Locale.ROOT, ", %,d missing", r.missingCount()))
        .append(" of ")
        .append(String.format(Locale.ROOT, "%,d", r.n()))
        .append(".</p>\n");
    if (!r.complete()) {
      sb.append("<p class=\"bad\">First missing ids: ")
          .append(escape(String.join(", ", r.missingIds())))
          .append("</p>\n");
    }
    sb.append("<h2>Context</h2>\n<table>\n");
    context.forEach((k, v) -> row(sb, k, String.valueOf(v)));
    sb.append("</table>\n<h2>Quality</h2>\n<table>\n");
    row(sb, "labeled scored reviews", String.format(Locale.ROOT, "%,d", r.labeled()));
    row(sb, "accuracy", pct(r.accuracy()));
    row(sb, "F1 (positive)", fmt(r.f1()));
    row(sb, "macro F1", fmt(r.macroF1()));
    row(
        sb,
        "rating accuracy (exact stars)",
        r.ratingAccuracy() == null ? "no rating head" : pct(r.ratingAccuracy()));
    row(sb, "rating MAE (stars)", r.ratingMae() == null ? "no rating head" : fmt(r.ratingMae()));
    row(sb, "consistency with offline predictions", consistency(r));
    sb.append("</table>\n");
    long[][] c = r.confusion().counts();
    sb.append("<table><tr><th class=\"l\">true \\ predicted</th><th>negative</th>")
        .append("<th>positive</th></tr>\n");
    String[] names = {"negative", "positive"};
    for (int i = 0; i < c.length; i++) {
      sb.append("<tr><th class=\"l\">").append(names[i]).append("</th>");
      for (long v : c[i]) {
        sb.append("<td>").append(String.format(Locale.ROOT, "%,d", v)).append("</td>");
      }
      sb.append("</tr>\n");
    }
    sb.append("</table>\n<img src=\"")
        .append(CONFUSION_PNG)
        .append("\" alt=\"confusion matrix\">\n<h2>Speed</h2>\n<table>\n");
    row(sb, "throughput", String.format(Locale.ROOT, "%,.1f reviews/s", r.reviewsPerSecond()));
    row(
        sb,
        "elapsed (first send → last output)",
        String.format(Locale.ROOT, "%.2f s", r.elapsedSeconds()));
    row(sb, "sending took", String.format(Locale.ROOT, "%.2f s", r.produceSeconds()));
    row(sb, "mean micro-batch size", String.format(Locale.ROOT, "%.1f", r.meanBatchSize()));
    sb.append("</table>\n<table><tr><th class=\"l\">latency (ms)</th><th>p50</th><th>p95</th>")
        .append("<th>p99</th><th>mean</th><th>max</th></tr>\n");
    latencyRow(sb, "send → visible to a read_committed consumer", r.endToEnd());
    latencyRow(sb, "send → scored by the model", r.toScored());
    sb.append("</table>\n<img src=\"")
        .append(LATENCY_PNG)
        .append("\" alt=\"latency histogram\">\n<img src=\"")
        .append(THROUGHPUT_PNG)
        .append("\" alt=\"throughput over time\">\n<h2>Dead letters</h2>\n");
    if (r.dlq() == 0) {
      sb.append("<p>None.</p>\n");
    } else {
      sb.append("<table><tr><th class=\"l\">stage</th><th>count</th></tr>\n");
      r.dlqByStage().forEach((k, v) -> row(sb, k, Integer.toString(v)));
      sb.append("</table>\n<table><tr><th class=\"l\">reason</th><th>count</th></tr>\n");
      r.dlqByReason().forEach((k, v) -> row(sb, k, Integer.toString(v)));
      sb.append("</table>\n");
    }
    if (r.duplicates() > 0 || r.foreign() > 0) {
      sb.append(
          String.format(
              Locale.ROOT,
              "<p class=\"bad\">%d duplicate outputs, %d outputs for ids not in this replay.</p>%n",
              r.duplicates(),
              r.foreign()));
    }
    sb.append("</body></html>\n");
    return sb.toString();
  }

  /**
   * The scorecard printed at the end of a replay sent at {@code rate} reviews per second (0: all at
   * once). Throughput and latency are on lines of their own: when every review is sent at once,
   * latency is mostly the time a review queued behind the ones sent before it, and the line says
   * so.
   */
  public static String scorecard(ReplayResult r, Path html, double rate) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "accounted   %,d of %,d: %,d scored, %,d dead-lettered, %,d missing%n",
            r.scored() + r.dlq(),
            r.n(),
            r.scored(),
            r.dlq(),
            r.missingCount()));
    if (!r.complete()) {
      sb.append("missing     first ids: ").append(String.join(", ", r.missingIds())).append('\n');
    }
    long[][] c = r.confusion().counts();
    sb.append(
        String.format(
            Locale.ROOT,
            "accuracy    %.2f%%  F1 %.4f  macro F1 %.4f  (confusion true\\pred: neg %d|%d, pos"
                + " %d|%d)%n",
            r.accuracy() * 100,
            r.f1(),
            r.macroF1(),
            c[0][0],
            c[0][1],
            c[1][0],
            c[1][1]));
    sb.append(
        r.ratingAccuracy() == null
            ? "rating      no rating head\n"
            : String.format(
                Locale.ROOT,
                "rating      exact %.2f%%  MAE %.3f stars%n",
                r.ratingAccuracy() * 100,
                r.ratingMae()));
    sb.append(
        String.format(
            Locale.ROOT,
            "throughput  %,.0f reviews/s scored over %.2f s (mean batch %.1f)%s%n",
            r.reviewsPerSecond(),
            r.elapsedSeconds(),
            r.meanBatchSize(),
            rate > 0
                ? String.format(Locale.ROOT, ", sent at %,.0f/s", rate)
                : ", all sent at once: the most this run sustains"));
    sb.append(
        String.format(
            Locale.ROOT,
            "latency     send → scored p50 %,.0f ms, p95 %,.0f ms, p99 %,.0f ms%s%n",
            r.endToEnd().p50(),
            r.endToEnd().p95(),
            r.endToEnd().p99(),
            rate > 0
                ? String.format(Locale.ROOT, " at %,.0f reviews/s", rate)
                : " with all sent at once (mostly time queued behind earlier reviews; `replay"
                    + " --rate R` below the throughput measures it at a steady rate)"));
    sb.append("dlq         ")
        .append(r.dlq() == 0 ? "none" : r.dlqByStage().toString())
        .append('\n');
    sb.append("consistency ").append(ReplayReport.consistency(r)).append('\n');
    if (r.duplicates() > 0 || r.foreign() > 0) {
      sb.append(
          String.format(
              Locale.ROOT,
              "warning     %d duplicate outputs, %d outputs for other ids%n",
              r.duplicates(),
              r.foreign()));
    }
    sb.append("report      ").append(html).append('\n');
    return sb.toString();
  }

  /** The consistency line: how many streamed predictions differ from the bundle's offline ones. */
  public static String consistency(ReplayResult r) {
    if (r.mismatches() == null) {
      return "not checked (no --bundle given)";
    }
    return String.format(
        Locale.ROOT,
        "%,d of %,d streamed predictions differ from the offline predictions of the same bundle"
            + " (max |Δp| %.2g)%s",
        r.mismatches(),
        r.compared(),
        r.maxProbabilityDiff(),
        r.mismatchIds().isEmpty() ? "" : "; first: " + String.join(", ", r.mismatchIds()));
  }

  private static void latencyRow(StringBuilder sb, String name, LatencyStats s) {
    sb.append("<tr><th class=\"l\">").append(escape(name)).append("</th>");
    for (double v : new double[] {s.p50(), s.p95(), s.p99(), s.mean(), s.max()}) {
      sb.append("<td>").append(String.format(Locale.ROOT, "%,.1f", v)).append("</td>");
    }
    sb.append("</tr>\n");
  }

  private static void row(StringBuilder sb, String name, String value) {
    sb.append("<tr><th class=\"l\">")
        .append(escape(name))
        .append("</th><td class=\"l\">")
        .append(escape(value))
        .append("</td></tr>\n");
  }

  private static String pct(double v) {
    return String.format(Locale.ROOT, "%.2f%%", v * 100);
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }

  static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (char ch : s.toCharArray()) {
      switch (ch) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        default -> sb.append(ch);
      }
    }
    return sb.toString();
  }
}
