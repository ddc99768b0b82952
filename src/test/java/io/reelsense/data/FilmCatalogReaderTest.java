package io.reelsense.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilmCatalogReaderTest {

  static final String CATALOG =
      "[{\"title\": \"Caught\", \"year\": 1900, \"genres\": [], \"cast\": [], \"href\": null,"
          + " \"extract\": null},\n"
          + " {\"title\": \"Clowns Spinning Hats\", \"year\": 1900, \"genres\": [\"Silent\"],"
          + " \"cast\": [\"A\", \"B\"], \"href\": \"Clowns_Spinning_Hats\", \"extract\": \"Clowns"
          + " Spinning Hats is a silent film.\", \"thumbnail\": \"x.jpg\"},\n"
          + " {\"title\": \"Heat\", \"year\": 1995, \"genres\": [\"Crime\", \"Drama\"], \"href\":"
          + " \"Heat_(1995_film)\", \"extract\": \"Heat is a 1995 crime film.\"}]";

  @TempDir Path tmp;

  static Path writeCatalog(Path dir, String json) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(DataLocation.FILM_CATALOG);
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(json.getBytes(StandardCharsets.UTF_8));
    }
    return file;
  }

  @Test
  void readsTheFilmsOfTheGzippedArray() throws IOException {
    writeCatalog(tmp, CATALOG);

    List<Film> films = FilmCatalogReader.read(tmp);

    assertThat(films).hasSize(3);
    assertThat(films.get(0)).isEqualTo(new Film("Caught", 1900, List.of(), "", null));
    assertThat(films.get(1).genres()).containsExactly("Silent");
    assertThat(films.get(1).description()).isEqualTo("Clowns Spinning Hats is a silent film.");
    assertThat(films.get(2))
        .isEqualTo(
            new Film(
                "Heat",
                1995,
                List.of("Crime", "Drama"),
                "Heat is a 1995 crime film.",
                "Heat_(1995_film)"));
  }

  @Test
  void readsAPlainJsonFileAndStreams() throws IOException {
    Path file = tmp.resolve("films.json");
    Files.writeString(file, CATALOG);
    List<String> titles = new ArrayList<>();
    FilmCatalogReader.forEach(file, f -> titles.add(f.title()));
    assertThat(titles).containsExactly("Caught", "Clowns Spinning Hats", "Heat");
  }

  @Test
  void readsAnEmptyArray() throws IOException {
    writeCatalog(tmp, "[]");
    assertThat(FilmCatalogReader.read(tmp)).isEmpty();
  }

  @Test
  void failsWhenTheCatalogIsMissing() {
    assertThatThrownBy(() -> FilmCatalogReader.read(tmp))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("no film catalog at " + tmp.resolve(DataLocation.FILM_CATALOG));
  }

  @Test
  void failsOnSomethingElseThanAnArray() throws IOException {
    writeCatalog(tmp, "{\"title\": \"x\"}");
    assertThatThrownBy(() -> FilmCatalogReader.read(tmp))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("is not a JSON array of films");
  }

  @Test
  void failsOnATruncatedFileNamingIt() throws IOException {
    StringBuilder big = new StringBuilder("[");
    for (int i = 0; i < 2000; i++) {
      big.append(i == 0 ? "" : ",")
          .append("{\"title\": \"Film ")
          .append(i)
          .append("\", \"year\": 2000, \"extract\": \"Some text about film ")
          .append(i * 7919)
          .append(".\"}");
    }
    Path file = writeCatalog(tmp, big.append("]").toString());
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
    assertThatThrownBy(() -> FilmCatalogReader.read(tmp))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining(file.toString());
  }

  @Test
  void failsOnBrokenJson() throws IOException {
    writeCatalog(tmp, "[{\"title\": \"x\", \"year\": \"soon\"}]");
    assertThatThrownBy(() -> FilmCatalogReader.read(tmp))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("cannot parse the film catalog");
  }
}
