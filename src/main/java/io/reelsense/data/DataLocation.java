package io.reelsense.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where the data sets live: {@code --data DIR}, else the environment variable {@value #ENV}, else
 * {@code ./data}, else {@code ../shared/data} (both relative to the working directory).
 *
 * <p>An explicit {@code --data} or {@value #ENV} must name an existing directory. The two fallbacks
 * are taken only when they hold one of the data files ({@value #IMDB_ARCHIVE}, {@value
 * #IMDB_FOLDER}/ or {@value #FILM_CATALOG}).
 */
public final class DataLocation {

  /** Environment variable naming the data directory. */
  public static final String ENV = "REELSENSE_DATA";

  /** The upstream IMDb archive's file name. */
  public static final String IMDB_ARCHIVE = "aclImdb_v1.tar.gz";

  /** The folder the IMDb archive unpacks to. */
  public static final String IMDB_FOLDER = "aclImdb";

  /** The film catalog's file name. */
  public static final String FILM_CATALOG = "wikipedia-movies.json.gz";

  private DataLocation() {}

  /**
   * Resolves the data directory from {@code --data} (may be null), the environment and the working
   * directory.
   *
   * @throws DataFormatException listing every place tried when none holds the data
   */
  public static Path resolve(Path explicit) {
    return resolve(explicit, System.getenv(), Path.of(""));
  }

  /**
   * What a {@code --data} option names: the option itself when it is a file (an {@code
   * aclImdb_v1.tar.gz}), else the data directory {@link #resolve(Path)} finds.
   */
  public static Path resolveFileOrDir(Path explicit) {
    return explicit != null && Files.isRegularFile(explicit) ? explicit : resolve(explicit);
  }

  /** {@link #resolve(Path)} with the environment and working directory given (for tests). */
  public static Path resolve(Path explicit, Map<String, String> env, Path workingDir) {
    if (explicit != null) {
      return requireDirectory(explicit, "--data");
    }
    String fromEnv = env.get(ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return requireDirectory(Path.of(fromEnv), ENV);
    }
    List<String> tried = new ArrayList<>();
    tried.add("--data (not given)");
    tried.add(ENV + " (not set)");
    for (String candidate : List.of("data", "../shared/data")) {
      Path dir = workingDir.resolve(candidate).toAbsolutePath().normalize();
      if (holdsData(dir)) {
        return dir;
      }
      tried.add(
          "./"
              + candidate
              + " ("
              + dir
              + (Files.isDirectory(dir) ? ": no data files in it)" : ": not found)"));
    }
    throw new DataFormatException(
        "no data directory found; tried "
            + String.join(", ", tried)
            + ". Pass --data DIR or set "
            + ENV
            + " to a directory holding "
            + IMDB_ARCHIVE
            + " and "
            + FILM_CATALOG);
  }

  /** Whether the directory holds at least one of the data files. */
  public static boolean holdsData(Path dir) {
    return Files.isDirectory(dir)
        && (Files.isRegularFile(dir.resolve(IMDB_ARCHIVE))
            || Files.isDirectory(dir.resolve(IMDB_FOLDER))
            || Files.isRegularFile(dir.resolve(FILM_CATALOG)));
  }

  private static Path requireDirectory(Path dir, String source) {
    if (!Files.isDirectory(dir)) {
      throw new DataFormatException(
          "data directory "
              + dir.toAbsolutePath()
              + " (from "
              + source
              + ") "
              + (Files.exists(dir) ? "is not a directory" : "does not exist"));
    }
    return dir.toAbsolutePath().normalize();
  }
}
