package io.reelsense.cli;

import io.reelsense.eval.FilmStreamRun;
import io.reelsense.stream.ReelsenseConfig;
import io.reelsense.stream.film.FilmCatalog;
import io.reelsense.train.Progress;
import java.time.Duration;
import java.util.List;
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
    /** Human lines for the demo's summary: {@link FilmStreamRun.Result#summary}. */
    String summary() {
      return result.summary();
    }

    /** The demo's {@code films_*} JSON keys: {@link FilmStreamRun.Result#toJson}. */
    Map<String, Object> toJson() {
      return result.toJson();
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
