package io.reelsense.stream.film;

import static org.assertj.core.api.Assertions.assertThat;

import io.reelsense.model.similarity.FilmIndex;
import io.reelsense.stream.FakeFilmEmbedder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FilmQueriesTest {

  private final FilmCatalog catalog = new FilmCatalog(new FakeFilmEmbedder(), 10);
  private final FilmQueries queries = new FilmQueries(catalog, h -> true);

  @BeforeEach
  void fill() {
    put("kong", "King Kong", 1933, "King Kong. a giant ape is taken to new york");
    put("kong2", "King Kong", 2005, "King Kong. a giant ape from skull island in new york");
    put("heist", "Ocean's Eleven", 2001, "Ocean's Eleven. thieves plan a vegas casino heist");
    put("heist2", "Casino Job", 1999, "Casino Job. thieves rob a vegas casino");
    catalog.local(true);
  }

  private void put(String id, String title, int year, String text) {
    catalog.vectors().put(new FilmIndex.Film(id, title, year), FakeFilmEmbedder.vector(text));
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> films(FilmQueries.Answer a) {
    return (List<Map<String, Object>>) ((Map<String, Object>) a.body()).get("films");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> body(FilmQueries.Answer a) {
    return (Map<String, Object>) a.body();
  }

  @Test
  void similarById() {
    FilmQueries.Answer a = queries.answer(null, "/films/heist/similar", "k=2");
    assertThat(a.status()).isEqualTo(200);
    assertThat(films(a)).hasSize(2);
    assertThat(films(a).get(0)).containsEntry("film_id", "heist2").containsKey("score");
    assertThat(body(a)).containsEntry("model", "fake-encoder").containsEntry("films_indexed", 4);
  }

  @Test
  void similarByTitleWithYearAndByText() {
    FilmQueries.Answer a =
        queries.answer(null, "/films/similar", "title=king%20kong&year=2005&k=1");
    assertThat(a.status()).isEqualTo(200);
    assertThat(films(a)).extracting(f -> f.get("film_id")).containsExactly("kong");
    FilmQueries.Answer t =
        queries.answer(null, "/films/similar", "text=a+casino+heist+in+vegas&k=2");
    assertThat(t.status()).isEqualTo(200);
    assertThat(films(t)).extracting(f -> f.get("film_id")).containsOnly("heist", "heist2");
  }

  @Test
  void anAmbiguousTitleListsItsFilmsAndAnUnknownOneTheClosestTitles() {
    FilmQueries.Answer a = queries.answer(null, "/films/similar", "title=King+Kong");
    assertThat(a.status()).isEqualTo(409);
    assertThat(body(a).get("error").toString()).contains("names 2 films").contains("&year=");
    assertThat((List<?>) body(a).get("candidates")).hasSize(2);
    FilmQueries.Answer u = queries.answer(null, "/films/similar", "title=Oceans+Eleven");
    assertThat(u.status()).isEqualTo(404);
    assertThat(body(u).get("error").toString()).contains("did you mean");
    assertThat(body(u).get("candidates").toString()).contains("Ocean's Eleven");
  }

  @Test
  void badParametersAndUnknownIdsAreClearErrors() {
    assertThat(queries.answer(null, "/films/heist/similar", "k=0").status()).isEqualTo(400);
    assertThat(queries.answer(null, "/films/heist/similar", "k=ten").status()).isEqualTo(400);
    assertThat(queries.answer(null, "/films/similar", "").status()).isEqualTo(400);
    assertThat(queries.answer(null, "/films/similar", "title=Kong&year=abc").status())
        .isEqualTo(400);
    FilmQueries.Answer n = queries.answer(null, "/films/nope/similar", null);
    assertThat(n.status()).isEqualTo(404);
    assertThat(body(n).get("error").toString()).contains("nope");
  }
}
