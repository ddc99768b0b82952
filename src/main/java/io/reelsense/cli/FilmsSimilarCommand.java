package io.reelsense.cli;

import io.reelsense.data.Film;
import io.reelsense.eval.FilmSimilarity;
import io.reelsense.model.TextEmbedder;
import io.reelsense.model.encoder.Encoders;
import io.reelsense.model.similarity.FilmIndex;
import io.reelsense.model.similarity.FilmLookupException;
import io.reelsense.model.similarity.FilmTitles;
import io.reelsense.model.similarity.SparseIndex;
import java.io.FileNotFoundException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "Data directory holding wikipedia-movies.json.gz.")
  Path data;

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
    List<Film> catalog = FilmIndexes.catalog(data);
    long t0 = System.nanoTime();
    List<Result> results;
    Integer query;
    FilmIndex.Film queryFilm = null;
    if (name.equals("tfidf")) {
      List<Film> films = FilmSimilarity.withDescription(catalog);
      FilmSimilarity.Tfidf tfidf = FilmSimilarity.tfidf(films);
      query = text == null ? find(new FilmTitles(entries(films))) : null;
      List<SparseIndex.Scored> near =
          query == null
              ? tfidf.index().nearest(tfidf.vectorizer().transform(text), k, -1)
              : tfidf.index().similarTo(query, k);
      queryFilm = query == null ? null : FilmSimilarity.entry(films.get(query));
      results = new ArrayList<>();
      for (SparseIndex.Scored s : near) {
        results.add(new Result(FilmSimilarity.entry(films.get(s.position())), s.score()));
      }
      name = "tfidf";
    } else {
      name = FilmIndexes.encoder(name);
      Path repository = encoder.repository();
      Path file = index != null ? index : FilmIndexes.defaultFile(name);
      FilmIndex idx =
          FilmIndexes.loadOrBuild(catalog, name, file, encoder.device, repository, false, err())
              .index();
      List<FilmIndex.Neighbour> near;
      if (text == null) {
        query = find(new FilmTitles(idx.films()));
        queryFilm = idx.film(query);
        near = idx.similarTo(query, k);
      } else {
        query = null;
        near = idx.nearest(embedText(name, repository), k, -1);
      }
      results = near.stream().map(n -> new Result(n.film(), n.score())).toList();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;

    Map<String, Object> json = new LinkedHashMap<>();
    json.put("model", name);
    StringBuilder sb = new StringBuilder();
    if (queryFilm == null) {
      json.put("text", text);
      sb.append("Films closest to the text (").append(name).append("):\n");
    } else {
      Map<String, Object> q = new LinkedHashMap<>();
      q.put("title", queryFilm.title());
      q.put("year", queryFilm.year());
      q.put("id", queryFilm.id());
      json.put("query", q);
      sb.append("Films closest to ")
          .append(queryFilm.label())
          .append(" (")
          .append(name)
          .append("):\n");
    }
    List<Map<String, Object>> neighbours = new ArrayList<>();
    int rank = 1;
    for (Result r : results) {
      sb.append(String.format(Locale.ROOT, "%3d. %.3f  %s%n", rank++, r.score(), r.film().label()));
      Map<String, Object> n = new LinkedHashMap<>();
      n.put("title", r.film().title());
      n.put("year", r.film().year());
      n.put("id", r.film().id());
      n.put("score", Math.round(r.score() * 10000) / 10000.0);
      neighbours.add(n);
    }
    json.put("k", k);
    json.put("neighbours", neighbours);
    json.put("seconds", Math.round(seconds * 1000) / 1000.0);
    return Report.of(sb.toString(), json);
  }

  private record Result(FilmIndex.Film film, double score) {}

  private static List<FilmIndex.Film> entries(List<Film> films) {
    return films.stream().map(FilmSimilarity::entry).toList();
  }

  private int find(FilmTitles titles) {
    try {
      return titles.find(title, year);
    } catch (FilmLookupException e) {
      throw new UserError(e.getMessage(), e);
    }
  }

  private float[] embedText(String name, Path repository) throws Exception {
    try (TextEmbedder embedder =
        Encoders.embedder(name, repository, encoder.device(), FilmIndexes.options(name))) {
      return embedder.embed(List.of(text)).get(0);
    } catch (FileNotFoundException e) {
      throw new UserError(e.getMessage(), e);
    }
  }
}
