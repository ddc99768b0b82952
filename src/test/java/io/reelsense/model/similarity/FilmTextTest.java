package io.reelsense.model.similarity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FilmTextTest {

  @Test
  void dropsTheTitleTheDescriptionOpensWith() {
    assertThat(FilmText.of("Twisted", "Twisted is a 2004 American thriller film."))
        .isEqualTo("is a 2004 American thriller film.");
    assertThat(FilmText.of("the big land", "The Big Land (1957) is a Western."))
        .isEqualTo("(1957) is a Western.");
  }

  @Test
  void keepsADescriptionThatOpensOtherwise() {
    assertThat(FilmText.of("Lisa", "A 1962 drama directed by Philip Dunne."))
        .isEqualTo("A 1962 drama directed by Philip Dunne.");
    assertThat(FilmText.of("Lisa", "Lisabeth is a 1990 film."))
        .as("only a whole-word title is dropped")
        .isEqualTo("Lisabeth is a 1990 film.");
    assertThat(FilmText.of("Cars", "Cars")).isEqualTo("Cars");
  }

  @Test
  void aFilmWithoutDescriptionIsItsTitle() {
    assertThat(FilmText.of("Pajamas", "")).isEqualTo("Pajamas");
    assertThat(FilmText.of("Pajamas", null)).isEqualTo("Pajamas");
  }

  @Test
  void keysDependOnModelAndText() {
    assertThat(FilmText.key("bge-small", "a"))
        .hasSize(32)
        .isEqualTo(FilmText.key("bge-small", "a"));
    assertThat(FilmText.key("bge-small", "a")).isNotEqualTo(FilmText.key("minilm-l6", "a"));
    assertThat(FilmText.key("bge-small", "a")).isNotEqualTo(FilmText.key("bge-small", "b"));
  }
}
