package io.reelsense.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Decompression bombs in {@code --data}: each cap stops the read with the file and the cap. */
class ArchiveLimitsTest {

  @TempDir Path tmp;

  /** A tar.gz with one review entry of {@code size} zero bytes (a few KB on disk per MiB). */
  private Path bombWithOneEntry(long size) throws IOException {
    Path archive = tmp.resolve(DataLocation.IMDB_ARCHIVE);
    try (OutputStream out = Files.newOutputStream(archive);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(out))) {
      TarArchiveEntry e = new TarArchiveEntry("aclImdb/train/pos/0_10.txt");
      e.setSize(size);
      tar.putArchiveEntry(e);
      byte[] zeros = new byte[1 << 16];
      for (long left = size; left > 0; left -= zeros.length) {
        tar.write(zeros, 0, (int) Math.min(zeros.length, left));
      }
      tar.closeArchiveEntry();
    }
    return archive;
  }

  @Test
  void anEntryLargerThanTheDefaultCapStopsTheRead() throws IOException {
    long cap = ArchiveLimits.DEFAULT.maxEntryBytes();
    Path archive = bombWithOneEntry(cap + 1);
    assertThat(Files.size(archive)).isLessThan(cap / 100);

    assertThatThrownBy(() -> ImdbReader.read(archive))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining(archive.toAbsolutePath().toString())
        .hasMessageContaining("entry aclImdb/train/pos/0_10.txt is larger than 64 MiB")
        .hasMessageContaining("cap on one entry's size");
  }

  @Test
  void theTotalUncompressedSizeIsCappedWhileStreaming() throws IOException {
    Path archive = ImdbFixture.standard(3).writeArchive(tmp);
    ArchiveLimits limits = new ArchiveLimits(1 << 20, 8 * 1024, 1000);

    assertThatThrownBy(() -> ImdbReader.read(archive, limits))
        .isInstanceOf(DataFormatException.class)
        .hasMessage(
            archive.toAbsolutePath()
                + " unpacks to more than 8192 bytes, the cap on a compressed data file's total"
                + " size (a decompression bomb, or not the expected data)");
    // the same archive under roomy caps reads
    assertThat(ImdbReader.read(archive, new ArchiveLimits(1 << 20, 1 << 24, 1000)).size())
        .isEqualTo(12);
  }

  @Test
  void theEntryCountIsCapped() throws IOException {
    Path archive = ImdbFixture.standard(3).writeArchive(tmp);

    assertThatThrownBy(() -> ImdbReader.read(archive, new ArchiveLimits(1 << 20, 1 << 24, 5)))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining(archive.toAbsolutePath().toString())
        .hasMessageContaining("more than 5 entries, the cap on an archive's entry count");
  }

  @Test
  void aHeaderClaimingAHugeEntryAllocatesNothingFromTheClaim() throws IOException {
    // a header that claims 60 MiB (under the entry cap) while the data is cut short: the read
    // fails as truncated, having grown its buffer only with the bytes that came
    Path archive = bombWithOneEntry(60L << 20);
    byte[] all = Files.readAllBytes(archive);
    Path cut = tmp.resolve("cut").resolve(DataLocation.IMDB_ARCHIVE);
    Files.createDirectories(cut.getParent());
    Files.write(cut, java.util.Arrays.copyOf(all, all.length / 2));

    assertThatThrownBy(() -> ImdbReader.read(cut))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("truncated or corrupt");
  }

  @Test
  void aFilmCatalogBombIsCapped() throws IOException {
    Path catalog = tmp.resolve(DataLocation.FILM_CATALOG);
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(catalog))) {
      out.write("[{\"title\":\"".getBytes(StandardCharsets.UTF_8));
      byte[] spaces = new byte[1 << 16];
      java.util.Arrays.fill(spaces, (byte) 'a');
      for (int i = 0; i < 64; i++) {
        out.write(spaces);
      }
      out.write("\"}]".getBytes(StandardCharsets.UTF_8));
    }

    assertThatThrownBy(
            () -> FilmCatalogReader.forEach(catalog, f -> {}, new ArchiveLimits(1, 1 << 20, 1)))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining(catalog.toAbsolutePath().toString())
        .hasMessageContaining("unpacks to more than 1 MiB");
  }
}
