package io.reelsense.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Builds small IMDb data sets in the upstream layout for tests: entries (path under {@code
 * aclImdb/} → text), written as a {@code .tar.gz} or as an unpacked folder.
 */
public final class ImdbFixture {

  private final Map<String, String> entries = new LinkedHashMap<>();

  /**
   * A consistent data set: for each split × label, {@code perClass} reviews with ids {@code
   * 0..perClass-1}, ratings 8 (pos) or 2 (neg), film ids {@code tt<split><label><id / 2>} (two
   * reviews per film), and the urls files <b>after</b> the reviews, as in the upstream archive.
   * Also the upstream extras that must be skipped (unsup, feat, vocab).
   */
  public static ImdbFixture standard(int perClass) {
    ImdbFixture f = new ImdbFixture();
    for (String split : List.of("test", "train")) {
      for (String label : List.of("neg", "pos")) {
        for (int id = perClass - 1; id >= 0; id--) {
          int rating = label.equals("pos") ? 7 + id % 4 : 1 + id % 4;
          f.put(
              split + "/" + label + "/" + id + "_" + rating + ".txt",
              "A " + label + " review " + id + " of " + split + ".<br /><br />The end.");
        }
      }
      for (String label : List.of("neg", "pos")) {
        f.put(split + "/urls_" + label + ".txt", urls(split, label, perClass));
      }
      f.put(split + "/labeledBow.feat", "0 0:1 1:2\n");
    }
    f.put("train/unsup/0_0.txt", "unlabeled");
    f.put("train/urls_unsup.txt", "http://www.imdb.com/title/tt9999999/usercomments\n");
    f.put("imdb.vocab", "the\nand\n");
    f.put("imdbEr.txt", "0.1\n");
    f.put("README", "upstream readme");
    return f;
  }

  /** The film id the standard fixture gives a review. */
  public static String filmId(String split, String label, int id) {
    int s = split.equals("train") ? 1 : 2;
    int l = label.equals("pos") ? 1 : 0;
    return "tt" + s + l + String.format("%05d", id / 2);
  }

  /** The urls file content for the standard fixture. */
  public static String urls(String split, String label, int count) {
    StringBuilder sb = new StringBuilder();
    for (int id = 0; id < count; id++) {
      sb.append("http://www.imdb.com/title/")
          .append(filmId(split, label, id))
          .append("/usercomments\n");
    }
    return sb.toString();
  }

  /** Adds or replaces an entry (path under {@code aclImdb/}). */
  public ImdbFixture put(String path, String text) {
    entries.put(path, text);
    return this;
  }

  /** Removes an entry. */
  public ImdbFixture remove(String path) {
    entries.remove(path);
    return this;
  }

  /** Moves the urls files to the front (as some archives have them). */
  public ImdbFixture urlsFirst() {
    Map<String, String> copy = new LinkedHashMap<>();
    entries.forEach(
        (k, v) -> {
          if (k.contains("urls_")) {
            copy.put(k, v);
          }
        });
    entries.forEach(copy::putIfAbsent);
    entries.clear();
    entries.putAll(copy);
    return this;
  }

  /** Writes {@code dir/aclImdb_v1.tar.gz} and returns its path. */
  public Path writeArchive(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path archive = dir.resolve(DataLocation.IMDB_ARCHIVE);
    try (OutputStream out = Files.newOutputStream(archive);
        GZIPOutputStream gz = new GZIPOutputStream(out);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      List<String> dirs = new ArrayList<>();
      for (Map.Entry<String, String> e : entries.entrySet()) {
        String name = "aclImdb/" + e.getKey();
        String parent = name.substring(0, name.lastIndexOf('/') + 1);
        if (!dirs.contains(parent)) {
          dirs.add(parent);
          tar.putArchiveEntry(new TarArchiveEntry(parent));
          tar.closeArchiveEntry();
        }
        byte[] bytes = e.getValue().getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(bytes.length);
        tar.putArchiveEntry(entry);
        tar.write(bytes);
        tar.closeArchiveEntry();
      }
      tar.finish();
    }
    return archive;
  }

  /** Writes {@code dir/aclImdb/…} and returns the {@code aclImdb} folder. */
  public Path writeFolder(Path dir) throws IOException {
    Path root = dir.resolve(DataLocation.IMDB_FOLDER);
    for (Map.Entry<String, String> e : entries.entrySet()) {
      Path file = root.resolve(e.getKey());
      Files.createDirectories(file.getParent());
      Files.writeString(file, e.getValue(), StandardCharsets.UTF_8);
    }
    return root;
  }
}
