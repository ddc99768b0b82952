package io.reelsense.train;

import io.reelsense.metrics.Scores;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bundle a trainer wrote, and what its run reports.
 *
 * @param model the model's name ({@code tfidf-lr}, {@code minilm-l6}, {@code ensemble}, …)
 * @param cleaning the cleaning profile's label; null when the bundle has none of its own (an
 *     ensemble)
 * @param kind the bundle kind when the JSON names it ({@code encoder}, {@code ensemble}); null for
 *     the baseline, whose kind is its model
 * @param scores validation and test figures
 * @param figures everything the run reports under its JSON keys, the scores first (what the bundle
 *     manifest keeps as its metrics)
 * @param bundle the bundle directory
 * @param report its {@code report.html}
 */
public record TrainedBundle(
    String model,
    String cleaning,
    String kind,
    Scores scores,
    Map<String, Object> figures,
    Path bundle,
    Path report) {

  public TrainedBundle {
    figures = new LinkedHashMap<>(figures);
  }

  /** The same bundle, its JSON naming {@code kind}. */
  public TrainedBundle withKind(String kind) {
    return new TrainedBundle(model, cleaning, kind, scores, figures, bundle, report);
  }

  /** A figure the run reported, as a number; 0 when absent. */
  public double number(String key) {
    return figures.get(key) instanceof Number n ? n.doubleValue() : 0.0;
  }

  /**
   * The run's JSON, keys as scripts read them: the figures, then {@code model}, {@code cleaning}
   * (when there is one), {@code bundle}, {@code report} and {@code kind} (when named).
   */
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>(figures);
    json.put("model", model);
    if (cleaning != null) {
      json.put("cleaning", cleaning);
    }
    json.put("bundle", bundle.toString());
    json.put("report", report.toString());
    if (kind != null) {
      json.put("kind", kind);
    }
    return json;
  }
}
