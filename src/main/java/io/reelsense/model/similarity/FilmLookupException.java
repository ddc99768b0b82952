package io.reelsense.model.similarity;

import java.util.List;

/**
 * A title that names no film, or several: the message says which and lists the candidates (with
 * their years), so a user can retry with the exact title or {@code --year}.
 */
public final class FilmLookupException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient List<FilmIndex.Film> candidates;
  private final boolean ambiguous;

  FilmLookupException(String message, List<FilmIndex.Film> candidates, boolean ambiguous) {
    super(message);
    this.candidates = List.copyOf(candidates);
    this.ambiguous = ambiguous;
  }

  /** Close titles (unknown title) or the films sharing the title (ambiguous title). */
  public List<FilmIndex.Film> candidates() {
    return candidates;
  }

  /** True when several films match, false when none does. */
  public boolean ambiguous() {
    return ambiguous;
  }
}
