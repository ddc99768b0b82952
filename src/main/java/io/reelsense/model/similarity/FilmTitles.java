package io.reelsense.model.similarity;

import io.reelsense.model.similarity.FilmIndex.Film;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * Finds films by title: case and white space ignored, an optional year to pick among films that
 * share a title; an unknown title gets the closest titles (containing the query, then by edit
 * distance) as suggestions.
 */
public final class FilmTitles {

  private static final int MAX_CANDIDATES = 10;

  private final List<Film> films;
  private final Map<String, int[]> byTitle;

  /** Titles of these films, by position. */
  public FilmTitles(List<Film> films) {
    this.films = List.copyOf(films);
    Map<String, List<Integer>> titles = new HashMap<>();
    for (int i = 0; i < films.size(); i++) {
      titles.computeIfAbsent(key(films.get(i).title()), t -> new ArrayList<>()).add(i);
    }
    this.byTitle = new HashMap<>(titles.size() * 2);
    titles.forEach((t, l) -> byTitle.put(t, l.stream().mapToInt(Integer::intValue).toArray()));
  }

  /**
   * The position of the film with this title (case and surrounding white space ignored), and this
   * year when it is not null.
   *
   * @throws FilmLookupException when no film matches (listing close titles) or several do (listing
   *     them with their years)
   */
  public int find(String title, Integer year) {
    int[] same = byTitle.getOrDefault(key(title), new int[0]);
    List<Integer> matches = new ArrayList<>();
    for (int p : same) {
      if (year == null || films.get(p).year() == year) {
        matches.add(p);
      }
    }
    if (matches.size() == 1) {
      return matches.get(0);
    }
    if (matches.size() > 1) {
      List<Film> candidates = matches.stream().map(films::get).toList();
      throw new FilmLookupException(
          "'"
              + title.strip()
              + "' names "
              + matches.size()
              + " films: "
              + labels(candidates)
              + "; pick one with --year",
          candidates,
          true);
    }
    if (same.length > 0) {
      List<Film> candidates = Arrays.stream(same).mapToObj(films::get).toList();
      throw new FilmLookupException(
          "no film '" + title.strip() + "' from " + year + "; there is " + labels(candidates),
          candidates,
          false);
    }
    List<Film> close = closeTitles(title);
    throw new FilmLookupException(
        "no film titled '"
            + title.strip()
            + "'"
            + (close.isEmpty() ? "" : "; did you mean: " + labels(close)),
        close,
        false);
  }

  /** Titles containing the query, then those closest by edit distance. */
  private List<Film> closeTitles(String title) {
    String q = key(title);
    LevenshteinDistance distance = new LevenshteinDistance(Math.max(3, q.length() / 3));
    record Scored(int position, int score) {}
    List<Scored> scored = new ArrayList<>();
    for (int i = 0; i < films.size(); i++) {
      String t = key(films.get(i).title());
      if (!q.isEmpty() && (t.contains(q) || q.contains(t))) {
        scored.add(new Scored(i, Math.abs(t.length() - q.length()) - 1000));
        continue;
      }
      int d = distance.apply(q, t);
      if (d >= 0) {
        scored.add(new Scored(i, d));
      }
    }
    return scored.stream()
        .sorted(Comparator.comparingInt(Scored::score).thenComparingInt(Scored::position))
        .limit(MAX_CANDIDATES)
        .map(s -> films.get(s.position()))
        .toList();
  }

  private static String labels(List<Film> films) {
    return films.stream().map(Film::label).collect(Collectors.joining(", "));
  }

  private static String key(String title) {
    return title.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
  }
}
