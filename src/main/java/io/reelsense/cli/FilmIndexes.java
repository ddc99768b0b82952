package io.reelsense.cli;

import io.reelsense.data.DataLocation;
import io.reelsense.data.Film;
import io.reelsense.data.FilmCatalogReader;
import io.reelsense.eval.FilmGenreEvaluation;
import io.reelsense.eval.FilmIndexCache;
import io.reelsense.model.encoder.ModelCatalog;
import io.reelsense.train.Progress;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Shared by the {@code films} subcommands: the catalog and encoder options they parse, and the
 * embedding indexes cached on disk ({@link FilmIndexCache}) with a progress bar.
 */
final class FilmIndexes {

  private FilmIndexes() {}

  /** The film catalog of a data directory ({@code --data}, else the usual places). */
  static List<Film> catalog(Path data) {
    Path dir = DataLocation.resolve(data);
    Path file = dir.resolve(DataLocation.FILM_CATALOG);
    if (!Files.isRegularFile(file)) {
      throw new UserError(
          "no film catalog at "
              + file
              + "; pass --data DIR with a "
              + DataLocation.FILM_CATALOG
              + " (the committed sample: src/main/resources/sample)");
    }
    return FilmCatalogReader.read(file);
  }

  /** The canonical name of an encoder ({@code bge-small}, …); a user error for unknown names. */
  static String encoder(String name) {
    try {
      return ModelCatalog.get(name).name();
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage() + ", or tfidf");
    }
  }

  /** The default cache file of a model's index: {@code models/films-<model>.idx}. */
  static Path defaultFile(String model) {
    return FilmIndexCache.defaultFile(model);
  }

  /**
   * The index of {@link FilmIndexCache#loadOrBuild}, with {@code --device} parsed only when the
   * films must be embedded, a progress bar on {@code err}, and a missing model jar as a user error.
   */
  static FilmIndexCache.Built loadOrBuild(
      List<Film> catalog,
      String model,
      Path file,
      String device,
      Path repository,
      boolean force,
      PrintWriter err)
      throws IOException {
    try {
      return FilmIndexCache.loadOrBuild(
          catalog,
          model,
          file,
          () -> EncoderOptions.parseDevice(device),
          repository,
          force,
          err,
          bars(err));
    } catch (FileNotFoundException e) {
      throw new UserError(e.getMessage(), e);
    }
  }

  /**
   * Encoder indexes of {@code catalog} as the {@code films} commands use them: each read from (or
   * built into) the file {@code file} names for the model, on {@code --device}, with {@code
   * --repo}.
   */
  static FilmGenreEvaluation.EncoderIndexes cached(
      List<Film> catalog, Function<String, Path> file, EncoderOptions encoder, PrintWriter err) {
    return model ->
        loadOrBuild(
                catalog, model, file.apply(model), encoder.device, encoder.repository(), false, err)
            .index();
  }

  /** Progress bars on {@code err}, one per task. */
  static BiFunction<String, Integer, FilmIndexCache.Bar> bars(PrintWriter err) {
    Progress progress = Progress.bars(err);
    return (task, total) -> bar(progress.start(task, total));
  }

  private static FilmIndexCache.Bar bar(Progress.Bar bar) {
    return new FilmIndexCache.Bar() {
      @Override
      public void step(long units) {
        bar.step(units);
      }

      @Override
      public void close() {
        bar.close();
      }
    };
  }
}
