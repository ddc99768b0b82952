package io.reelsense.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.reelsense.data.Film;
import io.reelsense.model.encoder.ModelCatalog;
import io.reelsense.model.encoder.PretrainedModel;
import io.reelsense.model.similarity.FilmIndex;
import io.reelsense.model.similarity.FilmText;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilmIndexCacheTest {

  @TempDir Path tmp;

  private static final String DESCRIPTION =
      "A long enough description of a film about clowns who spin hats in a circus tent, night after night.";

  @Test
  void theQueryPrefixIsTheModelsOwn() {
    assertThat(ModelCatalog.get("e5-small").queryPrefix()).isEqualTo("query: ");
    assertThat(ModelCatalog.all())
        .filteredOn(m -> !m.name().equals("e5-small"))
        .extracting(PretrainedModel::queryPrefix)
        .containsOnly("");
    assertThat(FilmText.encoderOptions("e5-small").prefix()).isEqualTo("query: ");
    assertThat(FilmText.encoderOptions("bge-small").prefix()).isEmpty();
    assertThat(FilmText.encoderOptions("bge-small").truncation().maxLength()).isEqualTo(512);
  }

  @Test
  void anUpToDateCacheIsReadWithoutTouchingTheDeviceOrTheModel() throws Exception {
    List<Film> catalog =
        List.of(
            new Film("Clowns", 1901, List.of("comedy"), DESCRIPTION, "/wiki/Clowns"),
            new Film("Hats", 1902, List.of("drama"), DESCRIPTION + " Hats.", "/wiki/Hats"));
    List<Film> films = FilmSimilarity.withDescription(catalog);
    Path file = tmp.resolve("films-m.idx");
    FilmIndex.of(
            "m",
            FilmSimilarity.fingerprint("m", films),
            films.stream().map(FilmSimilarity::entry).toList(),
            List.of(new float[] {1, 0}, new float[] {0, 1}))
        .save(file);
    AtomicInteger asked = new AtomicInteger();
    StringWriter notes = new StringWriter();
    FilmIndexCache.Built built =
        FilmIndexCache.loadOrBuild(
            catalog,
            "m",
            file,
            () -> {
              asked.incrementAndGet();
              throw new IllegalStateException("the device is not needed");
            },
            tmp,
            false,
            new PrintWriter(notes),
            (task, total) -> {
              throw new IllegalStateException("nothing to embed");
            });
    assertThat(built.embedded()).isFalse();
    assertThat(built.index().size()).isEqualTo(2);
    assertThat(asked).hasValue(0);
    assertThat(notes.toString()).isEmpty();
    assertThat(FilmIndexCache.journal(file)).hasFileName("films-m.idx.partial");
    assertThat(FilmIndexCache.defaultFile("m")).isEqualTo(Path.of("models", "films-m.idx"));
  }
}
