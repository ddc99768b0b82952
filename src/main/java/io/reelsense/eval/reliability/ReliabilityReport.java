package io.reelsense.eval.reliability;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures of a reliability run: totals ({@code lost}, {@code duplicated}, {@code bad_inputs},
 * {@code dlq}, {@code crashes_survived}) and each scenario's detail; written as {@code
 * reliability.json} and {@code reliability.md}.
 */
public final class ReliabilityReport {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final List<ScenarioResult> results;
  private final Reliability.Options options;
  private final double seconds;

  public ReliabilityReport(
      List<ScenarioResult> results, Reliability.Options options, double seconds) {
    this.results = List.copyOf(results);
    this.options = options;
    this.seconds = seconds;
  }

  public List<ScenarioResult> results() {
    return results;
  }

  /** Whether every scenario passed. */
  public boolean passed() {
    return !results.isEmpty() && results.stream().allMatch(ScenarioResult::passed);
  }

  /** The report as a JSON-ready map. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("passed", passed());
    m.put("lost", results.stream().mapToInt(ScenarioResult::lost).sum());
    m.put("duplicated", results.stream().mapToInt(ScenarioResult::duplicated).sum());
    Map<String, ScenarioResult> by = Reliability.byName(results);
    ScenarioResult bad = by.get(BadInputScenario.NAME);
    m.put("bad_inputs", bad == null ? 0 : bad.details().getOrDefault("bad_records", 0));
    m.put("dlq", results.stream().mapToInt(ScenarioResult::deadLettered).sum());
    ScenarioResult crash = by.get(CrashScenario.NAME);
    m.put(
        "crashes_survived",
        crash == null ? 0 : crash.details().getOrDefault("crashes_survived", 0));
    m.put("crashes", crash == null ? 0 : options.crashes());
    m.put("reviews", options.reviews().size());
    m.put("seed", options.seed());
    m.put("seconds", Math.round(seconds * 10) / 10.0);
    Map<String, Object> scenarios = new LinkedHashMap<>();
    results.forEach(r -> scenarios.put(r.name(), r.toMap()));
    m.put("scenarios", scenarios);
    return m;
  }

  /** A few lines for a terminal. */
  public String summary() {
    Map<String, Object> m = toMap();
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            "reliability %s: %s lost, %s duplicated, %s bad inputs, %s dead letters, %s of %s"
                + " crashes survived (%.0f s)%n",
            passed() ? "PASSED" : "FAILED",
            m.get("lost"),
            m.get("duplicated"),
            m.get("bad_inputs"),
            m.get("dlq"),
            m.get("crashes_survived"),
            m.get("crashes"),
            seconds));
    for (ScenarioResult r : results) {
      sb.append(
          String.format("  %-7s %s  %s%n", r.name(), r.passed() ? "passed" : "FAILED", line(r)));
    }
    return sb.toString();
  }

  private static String line(ScenarioResult r) {
    if (r.tally() == null) {
      return "could not run: " + r.error();
    }
    Ledger.Tally t = r.tally();
    return String.format(
        "%,d inputs: %,d scored, %,d dead-lettered, %d lost, %d duplicated, longest output gap"
            + " %.1f s",
        t.inputs(),
        t.scored(),
        t.deadLettered(),
        t.lost(),
        t.duplicated(),
        t.longestGapMs() / 1000.0);
  }

  /** Writes {@code reliability.json} and {@code reliability.md} into {@code dir}. */
  public void write(Path dir, String command) {
    try {
      Files.createDirectories(dir);
      Files.writeString(
          dir.resolve("reliability.json"),
          JSON.writeValueAsString(toMap()) + "\n",
          StandardCharsets.UTF_8);
      Files.writeString(dir.resolve("reliability.md"), markdown(command), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the report into " + dir, e);
    }
  }

  /** The report in Markdown. */
  public String markdown(String command) {
    Map<String, Object> m = toMap();
    StringBuilder sb = new StringBuilder("# reelsense reliability\n\n");
    if (command != null) {
      sb.append("```\n").append(command).append("\n```\n\n");
    }
    sb.append(
        String.format(
            "**%s** — %s lost, %s duplicated, %s bad inputs, %s dead letters, %s of %s crashes"
                + " survived; %s reviews, seed %s, %.0f s.%n%n",
            passed() ? "passed" : "FAILED",
            m.get("lost"),
            m.get("duplicated"),
            m.get("bad_inputs"),
            m.get("dlq"),
            m.get("crashes_survived"),
            m.get("crashes"),
            m.get("reviews"),
            m.get("seed"),
            seconds));
    sb.append("| scenario | result | inputs | scored | DLQ | lost | duplicated | longest gap |\n");
    sb.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (ScenarioResult r : results) {
      Ledger.Tally t = r.tally();
      if (t == null) {
        sb.append("| ").append(r.name()).append(" | could not run: ").append(r.error());
        sb.append(" | | | | | | |\n");
        continue;
      }
      sb.append(
          String.format(
              "| %s | %s | %,d | %,d | %,d | %d | %d | %.1f s |%n",
              r.name(),
              r.passed() ? "passed" : "FAILED",
              t.inputs(),
              t.scored(),
              t.deadLettered(),
              t.lost(),
              t.duplicated(),
              t.longestGapMs() / 1000.0));
    }
    for (ScenarioResult r : results) {
      sb.append("\n## ").append(r.name()).append("\n\n");
      Map<String, Object> d = r.toMap();
      Object categories = d.remove("categories");
      d.forEach((k, v) -> sb.append("- ").append(k).append(": ").append(v).append('\n'));
      if (categories instanceof Map<?, ?> cats) {
        sb.append("\n| category | sent | scored | DLQ | as expected | DLQ reasons |\n");
        sb.append("| --- | ---: | ---: | ---: | ---: | --- |\n");
        cats.forEach(
            (name, v) -> {
              Map<?, ?> c = (Map<?, ?>) v;
              sb.append(
                  String.format(
                      "| %s | %s | %s | %s | %s | %s |%n",
                      name,
                      c.get("sent"),
                      c.get("scored"),
                      c.get("dlq"),
                      c.get("as_expected"),
                      c.get("dlq_reasons")));
            });
      }
    }
    return sb.toString();
  }
}
