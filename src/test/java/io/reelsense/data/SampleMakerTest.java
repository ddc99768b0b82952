package io.reelsense.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleMakerTest {

  @TempDir Path tmp;
  private Path source;

  /** A small aclImdb folder (8 reviews per split x label) and a 12-film catalog. */
  @BeforeEach
  void fixture() throws IOException {
    source = tmp.resolve("full");
    for (String split : List.of("train", "test")) {
      for (String label : List.of("neg", "pos")) {
        Path dir = Files.createDirectories(source.resolve("aclImdb").resolve(split).resolve(label));
        StringBuilder urls = new StringBuilder();
        for (int id = 0; id < 8; id++) {
          int rating = label.equals("pos") ? 7 + id % 4 : 1 + id % 4;
          Files.writeString(
              dir.resolve(id + "_" + rating + ".txt"),
              split + " " + label + " review " + id + " caf\u00e9<br /><br />end",
              StandardCharsets.UTF_8);
          urls.append("http://www.imdb.com/title/tt00")
              .append(split.equals("train") ? 1 : 2)
              .append(label.equals("pos") ? 1 : 0)
              .append(id / 2)
              .append("/usercomments\n");
        }
        Files.writeString(
            source.resolve("aclImdb").resolve(split).resolve("urls_" + label + ".txt"), urls);
      }
    }
    StringBuilder films = new StringBuilder("[");
    for (int i = 0; i < 12; i++) {
      films
          .append(i == 0 ? "" : ",")
          .append("{\"title\":\"Film ")
          .append(i)
          .append("\",\"year\":")
          .append(1990 + i)
          .append(",\"cast\":[\"A\"],\"genres\":[\"Drama\"],\"href\":\"Film_")
          .append(i)
          .append("\",\"extract\":\"About film ")
          .append(i)
          .append(".\",\"thumbnail_width\":220}");
    }
    films.append("]");
    try (OutputStream out =
        new GZIPOutputStream(Files.newOutputStream(source.resolve("wikipedia-movies.json.gz")))) {
      out.write(films.toString().getBytes(StandardCharsets.UTF_8));
    }
  }

  private static final SampleMaker.Options SMALL = new SampleMaker.Options(6, 4, 5, 42);

  @Test
  void sameSeedGivesIdenticalBytes() throws IOException {
    SampleMaker.make(source, tmp.resolve("a"), SMALL);
    SampleMaker.make(source, tmp.resolve("b"), SMALL);
    for (String f : List.of("aclImdb_v1.tar.gz", "wikipedia-movies.json.gz", "README.md")) {
      assertThat(Files.readAllBytes(tmp.resolve("a").resolve(f)))
          .as(f)
          .isEqualTo(Files.readAllBytes(tmp.resolve("b").resolve(f)));
    }
    SampleMaker.make(source, tmp.resolve("c"), new SampleMaker.Options(6, 4, 5, 7));
    assertThat(Files.readAllBytes(tmp.resolve("c").resolve("aclImdb_v1.tar.gz")))
        .isNotEqualTo(Files.readAllBytes(tmp.resolve("a").resolve("aclImdb_v1.tar.gz")));
  }

  @Test
  void gzipHeadersCarryNoTimeStamp() throws IOException {
    SampleMaker.make(source, tmp.resolve("a"), SMALL);
    byte[] gz = Files.readAllBytes(tmp.resolve("a").resolve("aclImdb_v1.tar.gz"));
    assertThat(new byte[] {gz[4], gz[5], gz[6], gz[7]}).containsOnly(0);
  }

  @Test
  void sampleReadsBackStratifiedWithRatingsFilmsAndTextsKept() throws IOException {
    Path out = tmp.resolve("s");
    SampleMaker.Summary summary = SampleMaker.make(source, out, SMALL);
    assertThat(summary.train()).isEqualTo(6);
    assertThat(summary.test()).isEqualTo(4);
    assertThat(summary.films()).isEqualTo(5);
    assertThat(summary.imdbBytes()).isEqualTo(Files.size(out.resolve("aclImdb_v1.tar.gz")));

    ImdbCorpus sample = ImdbReader.read(out);
    assertThat(sample.train()).hasSize(6);
    assertThat(sample.test()).hasSize(4);
    assertThat(sample.train().stream().filter(r -> r.label() == 1)).hasSize(3);
    assertThat(sample.test().stream().filter(r -> r.label() == 1)).hasSize(2);
    assertThat(sample.train()).extracting(Review::id).contains("train_neg_0", "train_pos_2");

    Map<String, Review> byText =
        ImdbReader.read(source).all().stream()
            .collect(Collectors.toMap(Review::text, Function.identity()));
    for (Review r : sample.all()) {
      Review original = byText.get(r.text());
      assertThat(original).as(r.id()).isNotNull();
      assertThat(r.split()).isEqualTo(original.split());
      assertThat(r.label()).isEqualTo(original.label());
      assertThat(r.rating()).isEqualTo(original.rating());
      assertThat(r.filmId()).isEqualTo(original.filmId());
    }

    List<Film> films = FilmCatalogReader.read(out);
    assertThat(films).hasSize(5);
    assertThat(films).extracting(Film::year).isSorted();
    String json;
    try (var in =
        new GZIPInputStream(Files.newInputStream(out.resolve("wikipedia-movies.json.gz")))) {
      json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(json).contains("\"cast\":[\"A\"]").contains("\"thumbnail_width\":220");
  }

  @Test
  void refusesToDrawMoreThanThereIs() {
    assertThatThrownBy(
            () -> SampleMaker.make(source, tmp.resolve("x"), new SampleMaker.Options(20, 4, 5, 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the train split has 8 neg reviews; cannot draw 10");
    assertThatThrownBy(
            () -> SampleMaker.make(source, tmp.resolve("x"), new SampleMaker.Options(2, 2, 50, 1)))
        .hasMessage("the film catalog has 12 films; cannot draw 50");
  }
}
