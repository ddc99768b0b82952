package io.reelsense.eval;

import ai.djl.Device;
import io.reelsense.data.Film;
import io.reelsense.model.TextEmbedder;
import io.reelsense.model.encoder.Encoders;
import io.reelsense.model.similarity.EmbeddingJournal;
import io.reelsense.model.similarity.FilmIndex;
import io.reelsense.model.similarity.FilmText;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Embedding indexes of the film catalog cached on disk: a file per encoder, reused while the same
 * model made it from the same texts, else embedded again (resuming from the journal a stopped run
 * left) and saved.
 */
public final class FilmIndexCache {

  /** Where indexes are cached by default. */
  public static final Path DEFAULT_DIR = Path.of("models");

  private FilmIndexCache() {}

  /** The default cache file of a model's index: {@code models/films-<model>.idx}. */
  public static Path defaultFile(String model) {
    return DEFAULT_DIR.resolve("films-" + model + ".idx");
  }

  /** The journal of an index being built: {@code <file>.partial}, deleted once it is saved. */
  public static Path journal(Path file) {
    return file.resolveSibling(file.getFileName() + ".partial");
  }

  /** A progress bar the embedding steps once per film and closes at the end. */
  public interface Bar extends AutoCloseable {
    void step(long units);

    @Override
    void close();
  }

  /**
   * An index and how it was obtained.
   *
   * @param index the index
   * @param embedded true when the films were embedded now, false when read from the cache
   * @param seconds time spent embedding (0 when read)
   */
  public record Built(FilmIndex index, boolean embedded, double seconds) {

    /**
     * {@code films index}'s line: what was embedded and how fast, or that the file is up to date.
     */
    public String summary(String model, Path file) {
      return embedded
          ? String.format(
              Locale.ROOT,
              "Indexed %d films with %s (%d dimensions) in %.1f s: %s%n",
              index.size(),
              model,
              index.dimension(),
              seconds,
              file)
          : String.format(
              Locale.ROOT,
              "%s is up to date (%d films, %s); nothing embedded (--force to redo)%n",
              file,
              index.size(),
              model);
    }

    /** {@code films index --json}: model, films, dimension, file, embedded, seconds and speed. */
    public Map<String, Object> toJson(String model, Path file) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("model", model);
      json.put("films", index.size());
      json.put("dimension", index.dimension());
      json.put("file", file.toString());
      json.put("embedded", embedded);
      json.put("seconds", Math.round(seconds * 100) / 100.0);
      json.put(
          "films_per_second", seconds > 0 ? Math.round(index.size() / seconds * 10) / 10.0 : null);
      return json;
    }
  }

  /**
   * An encoder's index of the catalog's films with a description: read from {@code file} when it
   * was made by the same model from the same texts, else embedded and saved there.
   *
   * @param device asked only when the films must be embedded
   * @param repository the local Maven repository holding the model's jar
   * @param force embed again even when the file is up to date
   * @param err notes (a cache not reused, a journal resumed) and the time spent
   * @param bars opens a bar for a task and its total
   * @throws java.io.FileNotFoundException when the model's jar is not in {@code repository}
   */
  public static Built loadOrBuild(
      List<Film> catalog,
      String model,
      Path file,
      Supplier<Device> device,
      Path repository,
      boolean force,
      PrintWriter err,
      BiFunction<String, Integer, Bar> bars)
      throws IOException {
    List<Film> films = FilmSimilarity.withDescription(catalog);
    String fingerprint = FilmSimilarity.fingerprint(model, films);
    if (!force && Files.isRegularFile(file)) {
      FilmIndex cached;
      try {
        cached = FilmIndex.load(file);
      } catch (IOException e) {
        err.println("note: cannot reuse " + file + " (" + e.getMessage() + "); embedding again");
        cached = null;
      }
      if (cached != null
          && cached.model().equals(model)
          && cached.fingerprint().equals(fingerprint)) {
        return new Built(cached, false, 0);
      }
      if (cached != null) {
        err.println(
            "note: "
                + file
                + " was built by "
                + cached.model()
                + " from other texts ("
                + cached.size()
                + " films); embedding this catalog again");
      }
    }
    Device dev = device.get();
    Encoders.Options options = FilmText.encoderOptions(model);
    if (force) {
      Files.deleteIfExists(journal(file));
    }
    long t0 = System.nanoTime();
    FilmIndex index;
    Path journalFile = journal(file);
    try (EmbeddingJournal journal = EmbeddingJournal.open(journalFile);
        TextEmbedder embedder = Encoders.embedder(model, repository, dev, options);
        Bar bar = bars.apply("embed " + model, films.size())) {
      if (journal.size() > 0) {
        err.println(
            "note: resuming from " + journalFile + " (" + journal.size() + " vectors kept)");
      }
      index = FilmSimilarity.embed(films, embedder, journal, bar::step);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    index.save(file);
    Files.deleteIfExists(journalFile);
    err.printf(
        "embedded %d films with %s in %.1f s; saved %s%n", films.size(), model, seconds, file);
    err.flush();
    return new Built(index, true, seconds);
  }
}
