package io.reelsense.model.similarity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FilmVectorsTest {

  private static FilmIndex.Film film(String id, String title) {
    return new FilmIndex.Film(id, title, 2000);
  }

  @Test
  void aRemovedFilmLeavesQueriesAndTitleLookupsAndTheLastRowTakesItsPlace() {
    FilmVectors v = new FilmVectors(3);
    v.put(film("a", "Alpha"), new float[] {1, 0, 0});
    v.put(film("b", "Beta"), new float[] {0.9f, 0.1f, 0});
    v.put(film("c", "Gamma"), new float[] {0, 1, 0});
    assertThat(v.findTitle("Beta", null)).isEqualTo("b");

    assertThat(v.remove("b")).isTrue();
    assertThat(v.remove("b")).isFalse();
    assertThat(v.size()).isEqualTo(2);
    assertThat(v.film("b")).isEmpty();
    assertThat(v.nearest(new float[] {1, 0.1f, 0}, 3))
        .extracting(n -> n.film().id())
        .containsExactly("a", "c");
    // "c" moved into b's row: its vector moved with it
    assertThat(v.vector("c")).hasValueSatisfying(x -> assertThat(x).containsExactly(0, 1, 0));
    assertThat(v.similarTo("c", 1)).extracting(n -> n.film().id()).containsExactly("a");
    assertThatThrownBy(() -> v.findTitle("Beta", null)).isInstanceOf(FilmLookupException.class);

    // same size as before a remove and an add: the title lookup still sees the new film
    v.put(film("d", "Delta"), new float[] {0, 0, 1});
    v.remove("a");
    v.put(film("e", "Epsilon"), new float[] {1, 0, 0});
    assertThat(v.findTitle("Gamma", null)).isEqualTo("c");
    v.remove("e");
    v.put(film("f", "Phi"), new float[] {1, 0, 0});
    assertThat(v.findTitle("Phi", null)).isEqualTo("f");

    v.clear();
    assertThat(v.size()).isZero();
    assertThat(v.nearest(new float[] {1, 0, 0}, 3)).isEmpty();
    assertThat(v.film("f")).isEmpty();
  }
}
