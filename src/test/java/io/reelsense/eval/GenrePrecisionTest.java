package io.reelsense.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.reelsense.data.Film;
import io.reelsense.model.similarity.SparseIndex;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GenrePrecisionTest {

  /** A film whose description repeats the words given until it has a description (> 80 chars). */
  private static Film film(String title, String words, String... genres) {
    String description = words.isEmpty() ? "" : (words + " ").repeat(90 / words.length() + 1);
    return new Film(title, 2000, List.of(genres), description, title.replace(' ', '_'));
  }

  /**
   * Two tight topics of three films each: TF-IDF finds the two films of the same topic first, then
   * scores nothing; with k = 2 every neighbour shares the genre, with k = 3 two out of three do.
   */
  private static final List<Film> CATALOG =
      List.of(
          film("Space One", "astronauts rocket orbit mars astronauts rocket", "Science fiction"),
          film("Space Two", "rocket orbit mars astronauts station", "Science fiction", "Silent"),
          film("Space Three", "mars orbit astronauts rocket crew", "Science fiction"),
          film("Love One", "romance wedding kiss paris romance", "Romance"),
          film("Love Two", "wedding kiss paris romance bride", "Romance", "Comedy"),
          film("Love Three", "kiss paris romance wedding letters", "Romance"),
          film("No Genre", "rocket wedding", "Silent", "Short"),
          film("No Description", "", "Romance"),
          new Film("Too Short", 2000, List.of("Romance"), "romance wedding kiss", "Too_Short"));

  @Test
  void keepsFilmsWithADescriptionAndARealGenre() {
    List<Film> pool = FilmSimilarity.evaluable(CATALOG);
    assertThat(pool)
        .extracting(Film::title)
        .hasSize(6)
        .doesNotContain("No Genre", "No Description", "Too Short");
    assertThat(FilmSimilarity.genres(CATALOG.get(1))).containsExactly("Science fiction");
  }

  @Test
  void tfidfNeighboursShareTheGenreOfTheirTopic() {
    List<Film> pool = FilmSimilarity.evaluable(CATALOG);
    List<Set<String>> genres = pool.stream().map(FilmSimilarity::genres).toList();
    SparseIndex index = FilmSimilarity.tfidf(pool, Set.of()).index();
    GenrePrecision.Neighbours tfidf =
        (q, k) -> index.similarTo(q, k).stream().mapToInt(SparseIndex.Scored::position).toArray();
    int[] all = GenrePrecision.queries(pool.size(), 100, 42);

    GenrePrecision.Result two = GenrePrecision.measure(genres, all, 2, tfidf, i -> {});
    GenrePrecision.Result three = GenrePrecision.measure(genres, all, 3, tfidf, i -> {});

    assertThat(two.queries()).isEqualTo(6);
    assertThat(two.precision()).isEqualTo(1.0);
    assertThat(three.hits()).isEqualTo(12);
    assertThat(three.precision()).isEqualTo(12.0 / 18);
  }

  @Test
  void theWorstAndTheBestModelsScoreZeroAndOne() {
    List<Set<String>> genres =
        List.of(Set.of("A"), Set.of("A"), Set.of("B"), Set.of("B"), Set.of("A", "B"));
    int[] queries = {0, 2};
    GenrePrecision.Neighbours best = (q, k) -> q == 0 ? new int[] {1, 4} : new int[] {3, 4};
    GenrePrecision.Neighbours worst = (q, k) -> q == 0 ? new int[] {2, 3} : new int[] {0, 1};

    assertThat(GenrePrecision.measure(genres, queries, 2, best, i -> {}).precision())
        .isEqualTo(1.0);
    assertThat(GenrePrecision.measure(genres, queries, 2, worst, i -> {}).precision()).isZero();
  }

  @Test
  void queriesAndRandomNeighboursAreSeededAndNeverTheQueryItself() {
    assertThat(GenrePrecision.queries(100, 10, 42))
        .containsExactly(GenrePrecision.queries(100, 10, 42));
    assertThat(GenrePrecision.queries(100, 10, 42)).doesNotHaveDuplicates().hasSize(10);
    assertThat(GenrePrecision.queries(5, 10, 42)).hasSize(5);
    GenrePrecision.Neighbours random = GenrePrecision.random(20, 42);
    for (int q = 0; q < 20; q++) {
      assertThat(random.of(q, 10)).hasSize(10).doesNotHaveDuplicates().doesNotContain(q);
      assertThat(random.of(q, 10)).containsExactly(random.of(q, 10));
    }
  }
}
