package io.reelsense.cli;

import io.reelsense.eval.FilmStreamRun;
import io.reelsense.stream.ReelsenseConfig;
import io.reelsense.stream.film.FilmCatalog;
import io.reelsense.train.Progress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The demo's film step, as printed: {@link FilmStreamRun} sends the catalog films with a
 * description through the topology and asks its HTTP server for the films most similar to the first
 * one; this shows its progress and its outcome.
 */
final class FilmDemo {

  private FilmDemo() {}

  /** What the step did. */
  record Outcome(FilmStreamRun.Result result) {
    /** Human lines for the demo's summary. */
    String summary() {
      StringBuilder sb =
          new StringBuilder(
              String.format(
                  Locale.ROOT,
                  "films       %,d sent, %,d embedded, %,d unchanged, %,d failed in %.1f s%n",
                  result.sent(),
                  result.embedded(),
                  result.unchanged(),
                  result.failed(),
                  result.seconds()));
      FilmStreamRun.Similar example = result.example();
      if (example != null) {
        sb.append("            GET ").append(example.url()).append(System.lineSeparator());
        for (String film : example.films()) {
          sb.append("              ").append(film).append(System.lineSeparator());
        }
      }
      return sb.toString();
    }

    Map<String, Object> toJson() {
      double seconds = result.seconds();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("films_sent", result.sent());
      m.put("films_embedded", result.embedded());
      m.put("films_unchanged", result.unchanged());
      m.put("films_failed", result.failed());
      m.put("films_seconds", Math.round(seconds * 100) / 100.0);
      m.put(
          "films_per_second",
          seconds > 0
              ? Math.round((result.embedded() + result.unchanged()) / seconds * 10) / 10.0
              : null);
      FilmStreamRun.Similar example = result.example();
      Map<String, Object> similar = null;
      if (example != null) {
        similar = new LinkedHashMap<>();
        similar.put("url", example.url());
        similar.put("status", example.status());
        similar.put("similar", example.films());
      }
      m.put("similar_example", similar);
      return m;
    }
  }

  /**
   * Streams {@code films} through the running topology, with a progress bar.
   *
   * @param idle give up when no film has been done for this long
   */
  static Outcome run(
      ReelsenseConfig config,
      FilmCatalog catalog,
      String httpUrl,
      List<io.reelsense.data.Film> films,
      Duration idle,
      Progress progress)
      throws Exception {
    try (Progress.Bar bar = progress.start("films", films.size())) {
      return new Outcome(FilmStreamRun.run(config, catalog, httpUrl, films, idle, bar::step));
    }
  }
}
