package io.reelsense.cli;

import ai.djl.Device;
import io.reelsense.data.DataLocation;
import io.reelsense.data.Film;
import io.reelsense.data.FilmCatalogReader;
import io.reelsense.eval.FilmSimilarity;
import io.reelsense.model.TextEmbedder;
import io.reelsense.model.encoder.Encoders;
import io.reelsense.model.encoder.ModelCatalog;
import io.reelsense.model.similarity.EmbeddingJournal;
import io.reelsense.model.similarity.FilmIndex;
import io.reelsense.train.Progress;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Shared by the {@code films} subcommands: the catalog, and embedding indexes cached on disk. */
final class FilmIndexes {

  /** Where indexes are cached by default. */
  static final Path DEFAULT_DIR = Path.of("models");

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
    return DEFAULT_DIR.resolve("films-" + model + ".idx");
  }

  /**
   * An encoder's index of the catalog's films with a description: read from {@code file} when it
   * was made by the same model from the same texts, else embedded (progress bar on {@code err}) and
   * saved there.
   *
   * @param force embed again even when the file is up to date
   */
  static Built loadOrBuild(
      List<Film> catalog,
      String model,
      Path file,
      String device,
      Path repository,
      boolean force,
      PrintWriter err)
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
    Device dev = EncoderOptions.parseDevice(device);
    Encoders.Options options = options(model);
    if (force) {
      Files.deleteIfExists(journal(file));
    }
    long t0 = System.nanoTime();
    FilmIndex index;
    Path journalFile = journal(file);
    try (EmbeddingJournal journal = EmbeddingJournal.open(journalFile);
        TextEmbedder embedder = open(model, repository, dev, options);
        Progress.Bar bar = Progress.bars(err).start("embed " + model, films.size())) {
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

  /**
   * How films and queries are embedded: the model's window (512 tokens, head), and e5's {@code
   * "query: "} prefix on every text (its recipe for symmetric similarity).
   */
  static Encoders.Options options(String model) {
    Encoders.Options defaults = Encoders.Options.defaults();
    return new Encoders.Options(
        defaults.truncation(), defaults.batchSize(), model.equals("e5-small") ? "query: " : "");
  }

  /** The journal of an index being built: {@code <file>.partial}, deleted once it is saved. */
  static Path journal(Path file) {
    return file.resolveSibling(file.getFileName() + ".partial");
  }

  /**
   * An index and how it was obtained.
   *
   * @param index the index
   * @param embedded true when the films were embedded now, false when read from the cache
   * @param seconds time spent embedding (0 when read)
   */
  record Built(FilmIndex index, boolean embedded, double seconds) {}

  private static TextEmbedder open(
      String model, Path repository, Device dev, Encoders.Options options) throws IOException {
    try {
      return Encoders.embedder(model, repository, dev, options);
    } catch (FileNotFoundException e) {
      throw new UserError(e.getMessage(), e);
    }
  }
}
