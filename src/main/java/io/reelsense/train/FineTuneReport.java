package io.reelsense.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report of a fine-tuning run: the training-loss curve (mean loss per logging window) and the
 * validation accuracy per epoch as PNG charts, then what every training report shows (figures,
 * arguments, confusion matrices on the official test split).
 */
public final class FineTuneReport {

  public static final String LOSS_CHART = "loss.png";
  public static final String VALIDATION_CHART = "validation.png";

  private FineTuneReport() {}

  /** Writes {@code report.html} and its charts into {@code dir}; returns the report's path. */
  public static Path write(
      Path dir,
      String title,
      FineTuner.Result result,
      Map<String, Object> metrics,
      Map<String, Object> arguments)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    Files.createDirectories(dir);
    saveLoss(dir.resolve(LOSS_CHART), result.state().loss());
    saveValidation(dir.resolve(VALIDATION_CHART), result.state().validation());
    return TrainReport.write(
        dir, title, metrics, arguments, result.test(), List.of(LOSS_CHART, VALIDATION_CHART));
  }

  static void saveLoss(Path file, List<double[]> loss) throws IOException {
    XYChart chart =
        new XYChartBuilder()
            .width(800)
            .height(400)
            .title("Training loss (mean per logging window)")
            .xAxisTitle("optimizer step")
            .yAxisTitle("loss")
            .build();
    chart.getStyler().setLegendVisible(false);
    List<Double> x = new ArrayList<>();
    List<Double> y = new ArrayList<>();
    for (double[] point : loss) {
      x.add(point[0]);
      y.add(point[1]);
    }
    if (x.isEmpty()) {
      x.add(0.0);
      y.add(0.0);
    }
    chart.addSeries("loss", x, y).setMarker(SeriesMarkers.NONE);
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  static void saveValidation(Path file, List<EpochValidation> epochs) throws IOException {
    XYChart chart =
        new XYChartBuilder()
            .width(800)
            .height(400)
            .title("Validation after each epoch")
            .xAxisTitle("epoch")
            .yAxisTitle("score")
            .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
    List<Double> x = new ArrayList<>();
    List<Double> accuracy = new ArrayList<>();
    List<Double> f1 = new ArrayList<>();
    for (EpochValidation e : epochs) {
      x.add((double) e.epoch());
      accuracy.add(e.valAccuracy());
      f1.add(e.valF1());
    }
    if (x.isEmpty()) {
      x.add(0.0);
      accuracy.add(0.0);
      f1.add(0.0);
    }
    chart.addSeries("accuracy", x, accuracy);
    chart.addSeries("F1", x, f1);
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
  }
}
