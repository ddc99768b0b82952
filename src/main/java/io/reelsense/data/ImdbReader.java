package io.reelsense.data;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads the labeled IMDb reviews (Large Movie Review Dataset, Maas et al. 2011) in the upstream
 * layout, either streamed straight from {@code aclImdb_v1.tar.gz} (nothing is unpacked) or from an
 * unpacked {@code aclImdb/} folder:
 *
 * <pre>
 * aclImdb/{train,test}/{pos,neg}/&lt;id&gt;_&lt;rating&gt;.txt
 * aclImdb/{train,test}/urls_{pos,neg}.txt     line &lt;id&gt; (0-based) = the film's IMDb URL
 * </pre>
 *
 * <p>Each review gets the id {@code <split>_<pos|neg>_<id>}, its split, label (1 for {@code pos}),
 * rating (the number after the underscore) and film id ({@code tt…} from the urls file). The
 * unlabeled {@code unsup} reviews, {@code *.feat} and vocabulary files of the upstream archive are
 * skipped. The urls files may come before or after the reviews in the archive.
 *
 * <p>The reader checks what it finds: the reviews of each split × label must be exactly the ids
 * {@code 0..n-1} where {@code n} is the number of lines of the matching urls file. Any problem (a
 * wrong path, a truncated archive, a file name without a rating, a missing urls line, a count
 * mismatch) is a {@link DataFormatException} that names the file.
 */
public final class ImdbReader {

  private static final List<String> LABELS = List.of("neg", "pos");
  private static final Pattern REVIEW_FILE = Pattern.compile("(\\d+)_(\\d+)\\.txt");
  private static final Pattern URLS_FILE = Pattern.compile("urls_(pos|neg)\\.txt");
  private static final Pattern FILM_ID = Pattern.compile("tt\\d+");
  private static final int BUFFER = 1 << 16;

  private ImdbReader() {}

  /**
   * Reads both splits.
   *
   * @param path the data directory, the {@code aclImdb_v1.tar.gz} archive, or the unpacked {@code
   *     aclImdb} folder
   */
  public static ImdbCorpus read(Path path) {
    return read(path, ArchiveLimits.DEFAULT);
  }

  /** Reads both splits, unpacking no more than {@code limits} allow. */
  static ImdbCorpus read(Path path, ArchiveLimits limits) {
    Map<String, List<Review>> splits = readSplits(path, Set.copyOf(ImdbCorpus.SPLITS), limits);
    return new ImdbCorpus(splits.get("train"), splits.get("test"));
  }

  /**
   * Reads one split ({@code train} or {@code test}); the archive is still streamed to its end, but
   * the other split's texts are skipped.
   */
  public static List<Review> readSplit(Path path, String split) {
    if (!ImdbCorpus.SPLITS.contains(split)) {
      throw new IllegalArgumentException(
          "unknown split '" + split + "': expected one of " + ImdbCorpus.SPLITS);
    }
    return readSplits(path, Set.of(split), ArchiveLimits.DEFAULT).get(split);
  }

  /**
   * Finds the IMDb data at a path: the archive itself, a directory holding {@code
   * aclImdb_v1.tar.gz} (preferred) or an {@code aclImdb/} folder, or the {@code aclImdb} folder
   * itself (a directory with {@code train/} or {@code test/}).
   *
   * @return the archive file or the folder holding {@code train/} and {@code test/}
   */
  public static Path locate(Path path) {
    if (Files.isRegularFile(path)) {
      return path;
    }
    if (!Files.isDirectory(path)) {
      throw new DataFormatException(
          "no such file or directory: "
              + path.toAbsolutePath()
              + " (expected a data directory, "
              + DataLocation.IMDB_ARCHIVE
              + " or an unpacked "
              + DataLocation.IMDB_FOLDER
              + "/ folder)");
    }
    Path archive = path.resolve(DataLocation.IMDB_ARCHIVE);
    if (Files.isRegularFile(archive)) {
      return archive;
    }
    Path folder = path.resolve(DataLocation.IMDB_FOLDER);
    if (Files.isDirectory(folder)) {
      return folder;
    }
    if (Files.isDirectory(path.resolve("train")) || Files.isDirectory(path.resolve("test"))) {
      return path;
    }
    throw new DataFormatException(
        "no IMDb data in "
            + path.toAbsolutePath()
            + ": expected "
            + DataLocation.IMDB_ARCHIVE
            + " or an unpacked "
            + DataLocation.IMDB_FOLDER
            + "/ folder there (see `reelsense data fetch`)");
  }

  private static Map<String, List<Review>> readSplits(
      Path path, Set<String> wanted, ArchiveLimits limits) {
    Path source = locate(path);
    Collector collector = new Collector(source, wanted);
    if (Files.isDirectory(source)) {
      readFolder(source, collector, limits);
    } else {
      readArchive(source, collector, limits);
    }
    Map<String, List<Review>> result = new HashMap<>();
    for (String split : ImdbCorpus.SPLITS) {
      result.put(split, wanted.contains(split) ? collector.finish(split) : List.of());
    }
    return result;
  }

  private static void readArchive(Path archive, Collector collector, ArchiveLimits limits) {
    InputStream raw;
    try {
      raw = Files.newInputStream(archive);
    } catch (NoSuchFileException e) {
      throw new DataFormatException("no such file: " + archive.toAbsolutePath(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + archive.toAbsolutePath(), e);
    }
    try (InputStream file = new BufferedInputStream(raw, BUFFER);
        TarArchiveInputStream tar =
            new TarArchiveInputStream(
                new CappedInputStream(
                    new GZIPInputStream(file, BUFFER), archive, limits.maxTotalBytes()),
                BUFFER)) {
      TarArchiveEntry entry;
      int entries = 0;
      byte[] buffer = new byte[BUFFER];
      while ((entry = tar.getNextEntry()) != null) {
        if (++entries > limits.maxEntries()) {
          throw new DataFormatException(
              archive.toAbsolutePath()
                  + " holds more than "
                  + limits.maxEntries()
                  + " entries, the cap on an archive's entry count (a decompression bomb, or not"
                  + " the IMDb archive)");
        }
        if (!entry.isFile()) {
          continue;
        }
        String name = entry.getName();
        if (!collector.wants(name)) {
          continue;
        }
        byte[] bytes = readEntry(archive, name, tar, buffer, limits.maxEntryBytes());
        if (bytes.length != entry.getSize()) {
          throw truncated(archive, name + " ends early", null);
        }
        collector.accept(name, bytes);
      }
    } catch (IOException e) {
      throw truncated(archive, e.getMessage(), e);
    }
  }

  /**
   * The bytes of the current tar entry, read in chunks: the buffer grows with what actually comes,
   * never from the size the header claims, and reading stops once {@code maxBytes} is passed.
   */
  private static byte[] readEntry(
      Path archive, String name, InputStream tar, byte[] buffer, long maxBytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int n;
    while ((n = tar.read(buffer)) > 0) {
      if (out.size() + (long) n > maxBytes) {
        throw entryTooLarge(archive, name, maxBytes);
      }
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }

  private static DataFormatException entryTooLarge(Path source, String name, long maxBytes) {
    return new DataFormatException(
        source.toAbsolutePath()
            + ": entry "
            + name
            + " is larger than "
            + ArchiveLimits.size(maxBytes)
            + ", the cap on one entry's size (a decompression bomb, or not the IMDb data)");
  }

  private static DataFormatException truncated(Path archive, String detail, Throwable cause) {
    return new DataFormatException(
        "cannot read "
            + archive.toAbsolutePath()
            + ": the archive is truncated or corrupt ("
            + detail
            + "); download it again (`reelsense data fetch`)",
        cause);
  }

  private static void readFolder(Path folder, Collector collector, ArchiveLimits limits) {
    for (String split : ImdbCorpus.SPLITS) {
      if (!collector.wanted.contains(split)) {
        continue;
      }
      for (String label : LABELS) {
        String urlsName = split + "/urls_" + label + ".txt";
        Path urls = folder.resolve(urlsName);
        if (Files.isRegularFile(urls)) {
          collector.accept(urlsName, readBytes(folder, urlsName, urls, limits));
        }
        Path dir = folder.resolve(split).resolve(label);
        if (!Files.isDirectory(dir)) {
          continue;
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
          files = list.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
          throw new UncheckedIOException("cannot list " + dir.toAbsolutePath(), e);
        }
        for (Path file : files) {
          String name = split + "/" + label + "/" + file.getFileName();
          if (collector.wants(name)) {
            collector.accept(name, readBytes(folder, name, file, limits));
          }
        }
      }
    }
  }

  private static byte[] readBytes(Path folder, String name, Path file, ArchiveLimits limits) {
    try {
      if (Files.size(file) > limits.maxEntryBytes()) {
        throw entryTooLarge(folder, name, limits.maxEntryBytes());
      }
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file.toAbsolutePath(), e);
    }
  }

  /** One review as found, before its film id is known. */
  private record Found(int id, int rating, String text, String name) {}

  /** Gathers reviews and urls lines in any order, then joins and checks them. */
  private static final class Collector {
    private final Path source;
    private final Set<String> wanted;
    private final Map<String, List<Found>> reviews = new HashMap<>();
    private final Map<String, List<String>> urls = new HashMap<>();

    Collector(Path source, Set<String> wanted) {
      this.source = source;
      this.wanted = wanted;
    }

    /** Whether an entry (path relative to the archive or folder root) is to be read. */
    boolean wants(String name) {
      String[] parts = name.split("/");
      int n = parts.length;
      if (n >= 3 && wanted.contains(parts[n - 3]) && LABELS.contains(parts[n - 2])) {
        return parts[n - 1].endsWith(".txt");
      }
      return n >= 2 && wanted.contains(parts[n - 2]) && URLS_FILE.matcher(parts[n - 1]).matches();
    }

    void accept(String name, byte[] bytes) {
      String[] parts = name.split("/");
      int n = parts.length;
      String file = parts[n - 1];
      Matcher urlsMatch = URLS_FILE.matcher(file);
      if (n >= 2 && urlsMatch.matches() && wanted.contains(parts[n - 2])) {
        String key = parts[n - 2] + "/" + urlsMatch.group(1);
        String text = new String(bytes, StandardCharsets.UTF_8);
        urls.put(key, text.isEmpty() ? List.of() : List.of(text.split("\r?\n", -1)));
        List<String> lines = urls.get(key);
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
          urls.put(key, lines.subList(0, lines.size() - 1));
        }
        return;
      }
      Matcher m = REVIEW_FILE.matcher(file);
      if (!m.matches()) {
        throw new DataFormatException(
            "file name without a rating in "
                + source.toAbsolutePath()
                + ": "
                + name
                + " (expected <id>_<rating>.txt, e.g. 123_9.txt)");
      }
      int id;
      int rating;
      try {
        id = Integer.parseInt(m.group(1));
        rating = Integer.parseInt(m.group(2));
      } catch (NumberFormatException e) {
        throw new DataFormatException(
            "bad review file name in " + source.toAbsolutePath() + ": " + name, e);
      }
      if (rating < 1 || rating > 10) {
        throw new DataFormatException(
            "rating out of range 1-10 in "
                + source.toAbsolutePath()
                + ": "
                + name
                + " (expected <id>_<rating>.txt)");
      }
      String key = parts[n - 3] + "/" + parts[n - 2];
      reviews
          .computeIfAbsent(key, k -> new ArrayList<>())
          .add(new Found(id, rating, new String(bytes, StandardCharsets.UTF_8), name));
    }

    /** Joins a split's reviews with their film ids, checks the counts and sorts them. */
    List<Review> finish(String split) {
      List<Review> out = new ArrayList<>();
      for (String label : LABELS) {
        String key = split + "/" + label;
        String urlsName = split + "/urls_" + label + ".txt";
        List<Found> found = reviews.getOrDefault(key, List.of());
        List<String> lines = urls.get(key);
        if (lines == null) {
          throw new DataFormatException(
              "missing "
                  + urlsName
                  + " in "
                  + source.toAbsolutePath()
                  + (found.isEmpty()
                      ? " (and no reviews in " + key + "/): is this the aclImdb data?"
                      : " (it holds the film ids of the "
                          + found.size()
                          + " reviews in "
                          + key
                          + "/)"));
        }
        found.sort(Comparator.comparingInt(Found::id));
        TreeMap<Integer, String> seen = new TreeMap<>();
        int labelValue = label.equals("pos") ? 1 : 0;
        for (Found f : found) {
          String previous = seen.put(f.id(), f.name());
          if (previous != null) {
            throw new DataFormatException(
                "two reviews with id "
                    + f.id()
                    + " in "
                    + source.toAbsolutePath()
                    + ": "
                    + previous
                    + " and "
                    + f.name());
          }
          if (f.id() >= lines.size()) {
            throw new DataFormatException(
                "missing urls line: "
                    + f.name()
                    + " has id "
                    + f.id()
                    + " but "
                    + urlsName
                    + " in "
                    + source.toAbsolutePath()
                    + " has only "
                    + lines.size()
                    + " lines (line <id>, 0-based, is the review's film URL)");
          }
          String line = lines.get(f.id());
          Matcher film = FILM_ID.matcher(line);
          if (!film.find()) {
            throw new DataFormatException(
                "no IMDb film id (tt…) on line "
                    + f.id()
                    + " (0-based) of "
                    + urlsName
                    + " in "
                    + source.toAbsolutePath()
                    + ": '"
                    + line
                    + "'");
          }
          out.add(
              new Review(
                  split + "_" + label + "_" + f.id(),
                  split,
                  labelValue,
                  f.rating(),
                  film.group(),
                  f.text()));
        }
        if (found.size() != lines.size()) {
          throw new DataFormatException(
              "count mismatch in "
                  + source.toAbsolutePath()
                  + ": "
                  + key
                  + "/ has "
                  + found.size()
                  + " reviews but "
                  + urlsName
                  + " has "
                  + lines.size()
                  + " lines (is the archive truncated or a file missing?)");
        }
        reviews.remove(key);
      }
      return out;
    }
  }
}
