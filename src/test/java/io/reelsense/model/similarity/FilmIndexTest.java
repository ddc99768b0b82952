package io.reelsense.model.similarity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilmIndexTest {

  @TempDir Path tmp;

  private static List<FilmIndex.Film> films(int n) {
    List<FilmIndex.Film> films = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      films.add(new FilmIndex.Film("F" + i, "Film " + i, 1950 + i % 70));
    }
    return films;
  }

  private static List<float[]> vectors(int n, int d, long seed) {
    Random r = new Random(seed);
    List<float[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[] v = new float[d];
      for (int j = 0; j < d; j++) {
        v[j] = (float) r.nextGaussian();
      }
      out.add(v);
    }
    return out;
  }

  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }

  @Test
  void topKMatchesBruteForceAndLeavesTheQueryFilmOut() {
    int n = 500;
    List<float[]> vectors = vectors(n, 37, 7);
    FilmIndex index = FilmIndex.of("test", "fp", films(n), vectors);

    for (int q : new int[] {0, 17, 499}) {
      int query = q;
      List<Integer> expected =
          IntStream.range(0, n)
              .filter(i -> i != query)
              .boxed()
              .sorted(
                  Comparator.comparingDouble(
                          (Integer i) -> -cosine(vectors.get(query), vectors.get(i)))
                      .thenComparingInt(i -> i))
              .limit(10)
              .toList();
      List<FilmIndex.Neighbour> got = index.similarTo(q, 10);
      assertThat(got).extracting(FilmIndex.Neighbour::position).containsExactlyElementsOf(expected);
      assertThat(got.get(0).score())
          .isCloseTo(
              cosine(vectors.get(q), vectors.get(expected.get(0))),
              org.assertj.core.data.Offset.offset(1e-5));
      assertThat(got)
          .extracting(FilmIndex.Neighbour::score)
          .isSortedAccordingTo(Comparator.reverseOrder());
    }
    // a query vector that is a film's own vector finds that film first when nothing is excluded
    assertThat(index.nearest(vectors.get(42), 3, -1).get(0).position()).isEqualTo(42);
    assertThat(index.nearest(vectors.get(42), 3, -1).get(0).score())
        .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
  }

  @Test
  void kLargerThanTheIndexReturnsEveryOtherFilm() {
    FilmIndex index = FilmIndex.of("test", "fp", films(4), vectors(4, 3, 1));
    assertThat(index.similarTo(2, 10)).hasSize(3).noneMatch(n -> n.position() == 2);
    assertThat(index.nearest(new float[3], 2, -1)).hasSize(2);
    assertThatThrownBy(() -> index.nearest(new float[5], 2, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("5 dimensions");
  }

  @Test
  void savesAndLoadsTheSameIndex() throws IOException {
    FilmIndex index = FilmIndex.of("bge-small", "abc123", films(50), vectors(50, 16, 3));
    Path file = tmp.resolve("sub/films.idx");
    index.save(file);
    FilmIndex back = FilmIndex.load(file);

    assertThat(back.model()).isEqualTo("bge-small");
    assertThat(back.fingerprint()).isEqualTo("abc123");
    assertThat(back.films()).isEqualTo(index.films());
    assertThat(back.dimension()).isEqualTo(16);
    for (int i = 0; i < 50; i++) {
      assertThat(back.vector(i)).containsExactly(index.vector(i));
    }
    assertThat(back.similarTo(7, 5)).isEqualTo(index.similarTo(7, 5));
  }

  @Test
  void aTruncatedOrForeignFileIsAClearError() throws IOException {
    Path file = tmp.resolve("films.idx");
    FilmIndex.of("m", "fp", films(20), vectors(20, 8, 3)).save(file);
    byte[] bytes = Files.readAllBytes(file);
    Path cut = tmp.resolve("cut.idx");
    Files.write(cut, Arrays.copyOf(bytes, bytes.length - 10));
    Path foreign = tmp.resolve("foreign.idx");
    Files.writeString(foreign, "hello, this is no index");

    assertThatThrownBy(() -> FilmIndex.load(cut))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("cut.idx")
        .hasMessageContaining("truncated");
    assertThatThrownBy(() -> FilmIndex.load(foreign))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not a reelsense film index");
  }

  @Test
  void countsBeyondWhatTheFileCanHoldAreRefusedBeforeAllocating() throws IOException {
    Path file = tmp.resolve("films.idx");
    FilmIndex.of("m", "fp", films(2), vectors(2, 4, 3)).save(file);
    byte[] bytes = Files.readAllBytes(file);
    // the film count follows magic, format and the two strings "m" and "fp"
    int at = 4 + 4 + (2 + 1) + (2 + 2);
    java.nio.ByteBuffer.wrap(bytes).putInt(at, Integer.MAX_VALUE);
    Path huge = tmp.resolve("huge.idx");
    Files.write(huge, bytes);

    assertThatThrownBy(() -> FilmIndex.load(huge))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("huge.idx")
        .hasMessageContaining(Integer.MAX_VALUE + " films of 4 dims")
        .hasMessageContaining(bytes.length + " bytes");
  }

  @Test
  void findsTitlesIgnoringCaseAndPicksAmongRemakesByYear() {
    List<FilmIndex.Film> films =
        List.of(
            new FilmIndex.Film("Alien_(film)", "Alien", 1979),
            new FilmIndex.Film("Aliens_(film)", "Aliens", 1986),
            new FilmIndex.Film("King_Kong_(1933_film)", "King Kong", 1933),
            new FilmIndex.Film("King_Kong_(2005_film)", "King Kong", 2005),
            new FilmIndex.Film("Heat_(1995_film)", "Heat", 1995));
    FilmIndex index = FilmIndex.of("m", "fp", films, vectors(5, 4, 9));

    assertThat(index.find("  alien ", null)).isZero();
    assertThat(index.find("KING KONG", 2005)).isEqualTo(3);

    assertThatThrownBy(() -> index.find("King Kong", null))
        .isInstanceOfSatisfying(
            FilmLookupException.class,
            e -> {
              assertThat(e.ambiguous()).isTrue();
              assertThat(e.candidates())
                  .extracting(FilmIndex.Film::year)
                  .containsExactly(1933, 2005);
            })
        .hasMessageContaining("King Kong (1933)")
        .hasMessageContaining("King Kong (2005)")
        .hasMessageContaining("--year");
    assertThatThrownBy(() -> index.find("King Kong", 1976))
        .isInstanceOf(FilmLookupException.class)
        .hasMessageContaining("from 1976")
        .hasMessageContaining("King Kong (1933)");
    assertThatThrownBy(() -> index.find("Alein", null))
        .isInstanceOfSatisfying(
            FilmLookupException.class,
            e -> {
              assertThat(e.ambiguous()).isFalse();
              assertThat(e.candidates())
                  .first()
                  .extracting(FilmIndex.Film::title)
                  .isEqualTo("Alien");
            })
        .hasMessageContaining("no film titled 'Alein'")
        .hasMessageContaining("did you mean: Alien (1979)");
  }
}
