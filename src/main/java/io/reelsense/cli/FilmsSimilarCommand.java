package io.reelsense.cli;

import io.reelsense.data.Film;
import io.reelsense.eval.SimilarFilms;
import io.reelsense.model.TextEmbedder;
import io.reelsense.model.encoder.Encoders;
import io.reelsense.model.similarity.FilmLookupException;
import io.reelsense.model.similarity.FilmText;
import java.io.FileNotFoundException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code reelsense films similar}: the films closest to a film or to a description. */
@Command(
    name = "similar",
    mixinStandardHelpOptions = true,
    description = {
      "The films whose descriptions are closest to a film's (by title, optionally --year) or to a"
          + " text (--text), by cosine of sentence embeddings (title + description) or TF-IDF.",
      "An encoder's index is built once (reelsense films index) and cached in"
          + " models/films-<model>.idx.",
      "Example: reelsense films similar \"Alien\" --year 1979 --k 5 --data ../shared/data"
    })
public final class FilmsSimilarCommand extends ReportingCommand {

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "TITLE",
      description = "Title of the film (case ignored).")
  String title;

  @Option(names = "--year", paramLabel = "Y", description = "Release year, among equal titles.")
  Integer year;

  @Option(
      names = "--text",
      paramLabel = "TEXT",
      description = "A description to match instead of a title.")
  String text;

  @Option(
      names = "--k",
      defaultValue = "10",
      paramLabel = "N",
      description = "How many films (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(
      names = "--model",
      defaultValue = "bge-small",
      paramLabel = "M",
      description = "tfidf, bge-small, minilm-l6 or e5-small (default: ${DEFAULT-VALUE}).")
  String model;

  @Mixin FilmCatalogOption catalogOption;

  @Option(
      names = "--index",
      paramLabel = "FILE",
      description = "Cached index (default: models/films-<model>.idx).")
  Path index;

  @Mixin EncoderOptions encoder;

  @Override
  protected Report execute() throws Exception {
    if ((title == null) == (text == null)) {
      throw new UserError("give either a TITLE or --text \"a description\", not both or neither");
    }
    if (text != null && year != null) {
      throw new UserError("--year goes with a TITLE, not with --text");
    }
    if (k < 1) {
      throw new UserError("--k must be at least 1, got " + k);
    }
    String name = model.trim().toLowerCase(Locale.ROOT);
    if (!name.equals("tfidf")) {
      name = FilmIndexes.encoder(name);
    }
    List<Film> catalog = catalogOption.catalog();
    Path repository = encoder.repository();
    String encoderName = name;
    try {
      SimilarFilms result =
          SimilarFilms.find(
              catalog,
              name,
              new SimilarFilms.Query(title, year, text),
              k,
              FilmIndexes.cached(
                  catalog, m -> index != null ? index : FilmIndexes.defaultFile(m), encoder, err()),
              t -> embedText(encoderName, repository, t));
      return Report.of(result.summary(), result.toJson());
    } catch (FilmLookupException e) {
      throw new UserError(e.getMessage(), e);
    }
  }

  private float[] embedText(String name, Path repository, String text) throws Exception {
    try (TextEmbedder embedder =
        Encoders.embedder(name, repository, encoder.device(), FilmText.encoderOptions(name))) {
      return embedder.embed(List.of(text)).get(0);
    } catch (FileNotFoundException e) {
      throw new UserError(e.getMessage(), e);
    }
  }
}
