package io.reelsense.data;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * Reads the film catalog {@code wikipedia-movies.json.gz}: one JSON array of {@code {title, year,
 * genres[], cast[], href, extract}}, streamed with Jackson (one film in memory at a time when
 * {@link #forEach forEach} is used). A missing {@code extract} becomes an empty description,
 * missing genres an empty list, a missing year 0; {@code href} may be null (films without an
 * article).
 */
public final class FilmCatalogReader {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ObjectReader FILM_READER = MAPPER.readerFor(RawFilm.class);

  private FilmCatalogReader() {}

  /**
   * Reads every film.
   *
   * @param path the data directory (holding {@code wikipedia-movies.json.gz}) or the catalog file
   *     itself ({@code .json.gz} or plain {@code .json})
   */
  public static List<Film> read(Path path) {
    List<Film> films = new ArrayList<>();
    forEach(path, films::add);
    return films;
  }

  /** Streams the films, in file order, to a consumer. */
  public static void forEach(Path path, Consumer<? super Film> consumer) {
    forEach(path, consumer, ArchiveLimits.DEFAULT);
  }

  /** Streams the films, unpacking a {@code .gz} catalog no further than {@code limits} allow. */
  static void forEach(Path path, Consumer<? super Film> consumer, ArchiveLimits limits) {
    Path file = locate(path);
    try (InputStream in = open(file, limits);
        JsonParser parser = MAPPER.getFactory().createParser(in)) {
      if (parser.nextToken() != JsonToken.START_ARRAY) {
        throw new DataFormatException(
            file.toAbsolutePath() + " is not a JSON array of films (expected '[' first)");
      }
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.START_OBJECT) {
        RawFilm raw = FILM_READER.readValue(parser);
        consumer.accept(raw.toFilm());
      }
      if (token != JsonToken.END_ARRAY) {
        throw new DataFormatException(
            file.toAbsolutePath()
                + ": expected a film object or the end of the array at line "
                + parser.currentLocation().getLineNr()
                + ", found "
                + token);
      }
    } catch (JsonProcessingException e) {
      throw new DataFormatException(
          "cannot parse the film catalog " + file.toAbsolutePath() + ": " + e.getOriginalMessage(),
          e);
    } catch (IOException e) {
      throw new DataFormatException(
          "cannot read the film catalog "
              + file.toAbsolutePath()
              + ": the file is truncated or corrupt ("
              + e.getMessage()
              + ")",
          e);
    }
  }

  /** The catalog file at a path: the path itself, or {@code wikipedia-movies.json.gz} in it. */
  public static Path locate(Path path) {
    Path file = Files.isDirectory(path) ? path.resolve(DataLocation.FILM_CATALOG) : path;
    if (!Files.isRegularFile(file)) {
      throw new DataFormatException(
          "no film catalog at "
              + file.toAbsolutePath()
              + " (expected "
              + DataLocation.FILM_CATALOG
              + " in the data directory)");
    }
    return file;
  }

  private static InputStream open(Path file, ArchiveLimits limits) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    if (file.getFileName().toString().endsWith(".gz")) {
      try {
        return new CappedInputStream(
            new GZIPInputStream(in, 1 << 16), file, limits.maxTotalBytes());
      } catch (IOException e) {
        in.close();
        throw e;
      }
    }
    return in;
  }

  /** A film as it is in the file. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  private record RawFilm(
      String title, Integer year, List<String> genres, String href, String extract) {
    Film toFilm() {
      return new Film(
          title == null ? "" : title,
          year == null ? 0 : year,
          genres == null ? List.of() : List.copyOf(genres),
          extract == null ? "" : extract,
          href);
    }
  }
}
