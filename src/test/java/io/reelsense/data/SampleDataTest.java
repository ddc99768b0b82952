package io.reelsense.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The committed sample reads back with the counts it was made with. */
class SampleDataTest {

  @Test
  void committedSampleHasItsCounts() {
    Path dir = SampleData.dir();
    assertThat(dir.resolve(DataLocation.IMDB_ARCHIVE)).isRegularFile();
    assertThat(SampleData.dir()).isSameAs(dir);

    ImdbCorpus corpus = ImdbReader.read(dir);
    assertThat(corpus.train()).hasSize(2000);
    assertThat(corpus.test()).hasSize(1000);
    assertThat(corpus.train().stream().filter(r -> r.label() == 1)).hasSize(1000);
    assertThat(corpus.test().stream().filter(r -> r.label() == 1)).hasSize(500);
    assertThat(corpus.all())
        .allSatisfy(
            r -> {
              assertThat(r.rating()).isBetween(1, 10);
              assertThat(r.filmId()).startsWith("tt");
              assertThat(r.label() == 1).isEqualTo(r.rating() >= 7);
            });
    Set<String> trainFilms = new HashSet<>();
    corpus.train().forEach(r -> trainFilms.add(r.filmId()));
    assertThat(corpus.test()).noneMatch(r -> trainFilms.contains(r.filmId()));

    assertThat(FilmCatalogReader.read(dir)).hasSize(1000);
  }
}
