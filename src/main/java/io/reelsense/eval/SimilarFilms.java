package io.reelsense.eval;

import io.reelsense.data.Film;
import io.reelsense.model.similarity.FilmIndex;
import io.reelsense.model.similarity.FilmLookupException;
import io.reelsense.model.similarity.FilmTitles;
import io.reelsense.model.similarity.SparseIndex;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code reelsense films similar}: the films nearest to a film of the catalog (found by title) or
 * to a free text, by TF-IDF over the descriptions or by an encoder's index of the catalog.
 *
 * @param model {@code tfidf} or the encoder's canonical name
 * @param text the free text asked about, or {@code null} for a film
 * @param query the film asked about, or {@code null} for a text
 * @param k how many neighbours were asked for
 * @param neighbours the nearest films, nearest first
 * @param seconds the time taken, index loading included
 */
public record SimilarFilms(
    String model,
    String text,
    FilmIndex.Film query,
    int k,
    List<Neighbour> neighbours,
    double seconds) {

  /** A neighbour and its similarity. */
  public record Neighbour(FilmIndex.Film film, double score) {}

  /** What to find neighbours of: a TITLE (with its year when several films share it), or a text. */
  public record Query(String title, Integer year, String text) {}

  /** A text's vector under the encoder. */
  public interface TextVectors {
    float[] of(String text) throws Exception;
  }

  /**
   * The {@code k} films nearest to {@code query}.
   *
   * @param model {@code tfidf} or an encoder's canonical name
   * @param indexes the encoder's index of the catalog (not asked for tfidf)
   * @param vectors embeds a free text (asked only for a text under an encoder)
   * @throws FilmLookupException when the title matches no film, or several and no year
   */
  public static SimilarFilms find(
      List<Film> catalog,
      String model,
      Query query,
      int k,
      FilmGenreEvaluation.EncoderIndexes indexes,
      TextVectors vectors)
      throws Exception {
    long t0 = System.nanoTime();
    List<Neighbour> results = new ArrayList<>();
    FilmIndex.Film queryFilm = null;
    if (model.equals("tfidf")) {
      List<Film> films = FilmSimilarity.withDescription(catalog);
      FilmSimilarity.Tfidf tfidf = FilmSimilarity.tfidf(films);
      Integer position =
          query.text() == null
              ? new FilmTitles(films.stream().map(FilmSimilarity::entry).toList())
                  .find(query.title(), query.year())
              : null;
      List<SparseIndex.Scored> near =
          position == null
              ? tfidf.index().nearest(tfidf.vectorizer().transform(query.text()), k, -1)
              : tfidf.index().similarTo(position, k);
      queryFilm = position == null ? null : FilmSimilarity.entry(films.get(position));
      for (SparseIndex.Scored s : near) {
        results.add(new Neighbour(FilmSimilarity.entry(films.get(s.position())), s.score()));
      }
    } else {
      FilmIndex idx = indexes.of(model);
      List<FilmIndex.Neighbour> near;
      if (query.text() == null) {
        int position = new FilmTitles(idx.films()).find(query.title(), query.year());
        queryFilm = idx.film(position);
        near = idx.similarTo(position, k);
      } else {
        near = idx.nearest(vectors.of(query.text()), k, -1);
      }
      near.forEach(n -> results.add(new Neighbour(n.film(), n.score())));
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    return new SimilarFilms(model, query.text(), queryFilm, k, List.copyOf(results), seconds);
  }

  /** A header naming the query and the model, then one ranked line per neighbour. */
  public String summary() {
    StringBuilder sb = new StringBuilder();
    if (query == null) {
      sb.append("Films closest to the text (").append(model).append("):\n");
    } else {
      sb.append("Films closest to ")
          .append(query.label())
          .append(" (")
          .append(model)
          .append("):\n");
    }
    int rank = 1;
    for (Neighbour r : neighbours) {
      sb.append(String.format(Locale.ROOT, "%3d. %.3f  %s%n", rank++, r.score(), r.film().label()));
    }
    return sb.toString();
  }

  /** {@code films similar --json}: model, text or query, k, neighbours and seconds. */
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("model", model);
    if (query == null) {
      json.put("text", text);
    } else {
      Map<String, Object> q = new LinkedHashMap<>();
      q.put("title", query.title());
      q.put("year", query.year());
      q.put("id", query.id());
      json.put("query", q);
    }
    List<Map<String, Object>> list = new ArrayList<>();
    for (Neighbour r : neighbours) {
      Map<String, Object> n = new LinkedHashMap<>();
      n.put("title", r.film().title());
      n.put("year", r.film().year());
      n.put("id", r.film().id());
      n.put("score", Math.round(r.score() * 10000) / 10000.0);
      list.add(n);
    }
    json.put("k", k);
    json.put("neighbours", list);
    json.put("seconds", Math.round(seconds * 1000) / 1000.0);
    return json;
  }
}
