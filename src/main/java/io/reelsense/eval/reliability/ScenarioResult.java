package io.reelsense.eval.reliability;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one scenario found.
 *
 * @param name crash, scale, broker, bad or schema
 * @param passed whether every promise of the scenario held
 * @param tally the ledger's counts (null when the scenario could not run)
 * @param seconds wall time
 * @param details scenario-specific figures (kills, pauses, refusals, …)
 * @param error why it could not run, or null
 */
public record ScenarioResult(
    String name,
    boolean passed,
    Ledger.Tally tally,
    double seconds,
    Map<String, Object> details,
    String error) {

  /** A scenario that could not be carried out. */
  public static ScenarioResult failed(String name, double seconds, String error) {
    return new ScenarioResult(name, false, null, seconds, Map.of(), error);
  }

  public int lost() {
    return tally == null ? 0 : tally.lost();
  }

  public int duplicated() {
    return tally == null ? 0 : tally.duplicated();
  }

  public int deadLettered() {
    return tally == null ? 0 : tally.deadLettered();
  }

  /** The scenario as a JSON-ready map. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("passed", passed);
    if (error != null) {
      m.put("error", error);
    }
    if (tally != null) {
      m.put("inputs", tally.inputs());
      m.put("scored", tally.scored());
      m.put("dlq", tally.deadLettered());
      m.put("lost", tally.lost());
      m.put("duplicated", tally.duplicated());
      m.put("unexpected_outputs", tally.unexpected());
      m.put("not_as_expected", tally.mismatched());
      m.put("longest_output_gap_ms", tally.longestGapMs());
      if (!tally.reasons().isEmpty()) {
        m.put("dlq_reasons", tally.reasons());
      }
      if (tally.categories().size() > 1) {
        m.put("categories", tally.categories());
      }
      if (!tally.lostExamples().isEmpty()) {
        m.put("lost_examples", tally.lostExamples());
      }
      if (!tally.duplicatedExamples().isEmpty()) {
        m.put("duplicated_examples", tally.duplicatedExamples());
      }
      if (!tally.mismatchExamples().isEmpty()) {
        m.put("not_as_expected_examples", tally.mismatchExamples());
      }
    }
    m.putAll(details);
    m.put("seconds", Math.round(seconds * 10) / 10.0);
    return m;
  }
}
