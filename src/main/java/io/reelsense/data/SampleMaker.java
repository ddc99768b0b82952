package io.reelsense.data;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes a small, seeded sample of the data in the upstream formats, so the same readers read it:
 *
 * <ul>
 *   <li>{@code aclImdb_v1.tar.gz}: {@code aclImdb/{train,test}/{neg,pos}/<id>_<rating>.txt} and
 *       {@code urls_{neg,pos}.txt}, stratified by split × label (half negative, half positive per
 *       split); reviews keep their text, rating and film, and are renumbered {@code 0..n-1} in
 *       their original order;
 *   <li>{@code wikipedia-movies.json.gz}: a JSON array of films drawn from the catalog, each object
 *       exactly as in the source (all its keys), in the source's order;
 *   <li>{@code README.md}: what the sample holds and the command that made it.
 * </ul>
 *
 * <p>Byte-reproducible: the same source, options and seed give identical files (tar entries with a
 * fixed time, owner and mode; gzip headers without a time stamp).
 */
public final class SampleMaker {

  /** Time stamp of every tar entry: 2011-06-26, the upstream archive's release. */
  static final long TAR_TIME_MILLIS = 1_309_046_400_000L;

  private static final List<String> LABELS = List.of("neg", "pos");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private SampleMaker() {}

  /**
   * How big a sample to draw.
   *
   * @param train reviews from the official train split (half of each label; an odd count gives the
   *     extra one to {@code pos})
   * @param test reviews from the official test split
   * @param films films from the catalog
   * @param seed the random seed
   */
  public record Options(int train, int test, int films, long seed) {
    /** The committed sample's options: 2,000 train, 1,000 test, 1,000 films, seed 42. */
    public static final Options DEFAULTS = new Options(2000, 1000, 1000, 42);

    public Options {
      if (train < 0 || test < 0 || films < 0) {
        throw new IllegalArgumentException("sample sizes must not be negative");
      }
    }
  }

  /**
   * What was written.
   *
   * @param imdbArchive the written archive
   * @param imdbBytes its size
   * @param train reviews in its train split
   * @param test reviews in its test split
   * @param reviewFilms distinct IMDb film ids among the sampled reviews
   * @param catalog the written film catalog
   * @param catalogBytes its size
   * @param films films in it
   */
  public record Summary(
      Path imdbArchive,
      long imdbBytes,
      int train,
      int test,
      int reviewFilms,
      Path catalog,
      long catalogBytes,
      int films) {}

  /**
   * Draws the sample from the data in {@code source} (a data directory as {@link DataLocation}
   * finds one) and writes it into {@code out} (created when missing; the three files are replaced).
   */
  public static Summary make(Path source, Path out, Options options) {
    ImdbCorpus corpus = ImdbReader.read(source);
    Path catalogSource = FilmCatalogReader.locate(source);
    Random random = new Random(options.seed());
    List<Review> train = draw(corpus.train(), options.train(), random, "train");
    List<Review> test = draw(corpus.test(), options.test(), random, "test");
    List<JsonNode> films = drawFilms(catalogSource, options.films(), random);
    try {
      Files.createDirectories(out);
      Path archive = out.resolve(DataLocation.IMDB_ARCHIVE);
      writeAtomically(archive, o -> writeImdb(o, List.of(train, test)));
      Path catalog = out.resolve(DataLocation.FILM_CATALOG);
      writeAtomically(catalog, o -> writeFilms(o, films));
      Set<String> filmIds = new HashSet<>();
      train.forEach(r -> filmIds.add(r.filmId()));
      test.forEach(r -> filmIds.add(r.filmId()));
      Summary summary =
          new Summary(
              archive,
              Files.size(archive),
              train.size(),
              test.size(),
              filmIds.size(),
              catalog,
              Files.size(catalog),
              films.size());
      Files.writeString(out.resolve("README.md"), readme(options, summary));
      return summary;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the sample into " + out.toAbsolutePath(), e);
    }
  }

  /** Draws {@code n} reviews of a split, half of each label, keeping their original order. */
  private static List<Review> draw(List<Review> split, int n, Random random, String name) {
    List<Review> drawn = new ArrayList<>(n);
    for (int label = 0; label <= 1; label++) {
      int want = label == 0 ? n / 2 : n - n / 2;
      List<Integer> positions = new ArrayList<>();
      for (int i = 0; i < split.size(); i++) {
        if (split.get(i).label() == label) {
          positions.add(i);
        }
      }
      if (positions.size() < want) {
        throw new IllegalArgumentException(
            "the "
                + name
                + " split has "
                + positions.size()
                + " "
                + LABELS.get(label)
                + " reviews; cannot draw "
                + want);
      }
      Collections.shuffle(positions, random);
      List<Integer> chosen = new ArrayList<>(positions.subList(0, want));
      Collections.sort(chosen);
      for (int i : chosen) {
        drawn.add(split.get(i));
      }
    }
    return drawn;
  }

  private static List<JsonNode> drawFilms(Path catalog, int n, Random random) {
    List<JsonNode> all = new ArrayList<>();
    try (InputStream in = open(catalog);
        JsonParser parser = MAPPER.getFactory().createParser(in)) {
      if (parser.nextToken() != JsonToken.START_ARRAY) {
        throw new DataFormatException(catalog.toAbsolutePath() + " is not a JSON array of films");
      }
      while (parser.nextToken() == JsonToken.START_OBJECT) {
        all.add(MAPPER.readTree(parser));
      }
    } catch (IOException e) {
      throw new DataFormatException(
          "cannot read the film catalog " + catalog.toAbsolutePath() + ": " + e.getMessage(), e);
    }
    if (all.size() < n) {
      throw new IllegalArgumentException(
          "the film catalog has " + all.size() + " films; cannot draw " + n);
    }
    List<Integer> positions = new ArrayList<>(all.size());
    for (int i = 0; i < all.size(); i++) {
      positions.add(i);
    }
    Collections.shuffle(positions, random);
    List<Integer> chosen = new ArrayList<>(positions.subList(0, n));
    chosen.sort(Comparator.naturalOrder());
    List<JsonNode> films = new ArrayList<>(n);
    for (int i : chosen) {
      films.add(all.get(i));
    }
    return films;
  }

  private static InputStream open(Path file) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    return file.getFileName().toString().endsWith(".gz")
        ? new CappedInputStream(
            new GZIPInputStream(in, 1 << 16), file, ArchiveLimits.DEFAULT.maxTotalBytes())
        : in;
  }

  private static void writeImdb(OutputStream out, List<List<Review>> splits) throws IOException {
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip(out))) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      directory(tar, DataLocation.IMDB_FOLDER + "/");
      for (int s = 0; s < ImdbCorpus.SPLITS.size(); s++) {
        String split = ImdbCorpus.SPLITS.get(s);
        String base = DataLocation.IMDB_FOLDER + "/" + split + "/";
        directory(tar, base);
        for (int label = 0; label <= 1; label++) {
          String labelName = LABELS.get(label);
          List<Review> reviews = new ArrayList<>();
          for (Review r : splits.get(s)) {
            if (r.label() == label) {
              reviews.add(r);
            }
          }
          StringBuilder urls = new StringBuilder();
          directory(tar, base + labelName + "/");
          for (int id = 0; id < reviews.size(); id++) {
            Review r = reviews.get(id);
            file(
                tar,
                base + labelName + "/" + id + "_" + r.rating() + ".txt",
                r.text().getBytes(StandardCharsets.UTF_8));
            urls.append("http://www.imdb.com/title/").append(r.filmId()).append("/usercomments\n");
          }
          file(tar, base + "urls_" + labelName + ".txt", bytes(urls));
        }
      }
      tar.finish();
    }
  }

  private static void writeFilms(OutputStream out, List<JsonNode> films) throws IOException {
    try (OutputStream gz = gzip(out)) {
      StringBuilder json = new StringBuilder("[\n");
      for (int i = 0; i < films.size(); i++) {
        json.append(MAPPER.writeValueAsString(films.get(i)));
        json.append(i + 1 < films.size() ? ",\n" : "\n");
      }
      json.append("]\n");
      gz.write(bytes(json));
    }
  }

  private static byte[] bytes(CharSequence s) {
    return s.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** A gzip stream whose header has no time stamp (the JDK writes MTIME 0). */
  private static OutputStream gzip(OutputStream out) throws IOException {
    return new GZIPOutputStream(out, 1 << 16);
  }

  private static void directory(TarArchiveOutputStream tar, String name) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    fixed(e, 0755);
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
  }

  private static void file(TarArchiveOutputStream tar, String name, byte[] content)
      throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    fixed(e, 0644);
    e.setSize(content.length);
    tar.putArchiveEntry(e);
    tar.write(content);
    tar.closeArchiveEntry();
  }

  private static void fixed(TarArchiveEntry e, int mode) {
    e.setModTime(TAR_TIME_MILLIS);
    e.setMode((e.isDirectory() ? 0040000 : 0100000) | mode);
    e.setUserId(0);
    e.setGroupId(0);
    e.setUserName("");
    e.setGroupName("");
  }

  /** Writes a file's content. */
  private interface Writer {
    void write(OutputStream out) throws IOException;
  }

  private static void writeAtomically(Path target, Writer writer) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
      writer.write(out);
    }
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static String readme(Options o, Summary s) {
    return String.format(
        java.util.Locale.ROOT,
        "# Sample data\n\n"
            + "A seeded sample of the full data in the upstream formats, read by the same readers.\n"
            + "Made by `reelsense data sample --train %d --test %d --films %d --seed %d`.\n\n"
            + "- `%s`: %d train + %d test IMDb reviews (half positive in each split, ratings and"
            + " film ids kept; %d distinct films), %d bytes.\n"
            + "- `%s`: %d films of the catalog, %d bytes.\n",
        o.train(),
        o.test(),
        o.films(),
        o.seed(),
        DataLocation.IMDB_ARCHIVE,
        s.train(),
        s.test(),
        s.reviewFilms(),
        s.imdbBytes(),
        DataLocation.FILM_CATALOG,
        s.films(),
        s.catalogBytes());
  }
}
