package io.reelsense.cli;

import io.reelsense.data.Film;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** The {@code --data} option of the {@code films} commands: where the film catalog lies. */
final class FilmCatalogOption {

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "Data directory holding wikipedia-movies.json.gz.")
  Path data;

  /** The film catalog of {@code --data}, else of the usual places ({@link FilmIndexes#catalog}). */
  List<Film> catalog() {
    return FilmIndexes.catalog(data);
  }
}
