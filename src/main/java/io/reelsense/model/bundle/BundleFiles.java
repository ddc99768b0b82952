package io.reelsense.model.bundle;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.reelsense.model.baseline.LinearHeads;
import io.reelsense.model.baseline.LinearModel;
import io.reelsense.model.tokenizer.Truncation;
import io.reelsense.text.CleaningProfile;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The one place for a bundle's files: the manifest (read, checked, written), the sha256 of every
 * model file, the provenance a manifest records (format and code version, creation time), the
 * gzip'd binary files of linear heads, and the check that every path a manifest names stays inside
 * the bundle's real folder, symbolic links followed.
 */
final class BundleFiles {

  /**
   * The largest {@code manifest.json} read: a manifest holds settings, figures and checksums, a few
   * kilobytes; anything far larger is not a manifest and is refused before it is parsed.
   */
  static final long MAX_MANIFEST_BYTES = 4L << 20;

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private BundleFiles() {}

  /** Reads and checks {@code manifest.json}: present, inside, bounded, of a readable version. */
  static BundleManifest readManifest(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new BundleException(
          "model bundle " + dir + " is not a directory (pass the folder made by 'train --out')");
    }
    Path file = dir.resolve(Bundles.MANIFEST);
    if (!Files.isRegularFile(file)) {
      throw new BundleException(
          "model bundle " + dir + " has no " + Bundles.MANIFEST + ": missing " + file);
    }
    inside(dir, Bundles.MANIFEST);
    BundleManifest manifest;
    try {
      long size = Files.size(file);
      if (size > MAX_MANIFEST_BYTES) {
        throw new BundleException(
            file + " is " + size + " bytes; a manifest is at most " + MAX_MANIFEST_BYTES);
      }
      manifest = MAPPER.readValue(file.toFile(), BundleManifest.class);
    } catch (IOException e) {
      throw new BundleException("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (manifest.formatVersion() < Bundles.OLDEST_FORMAT_VERSION
        || manifest.formatVersion() > Bundles.FORMAT_VERSION) {
      throw new BundleException(
          file
              + " has bundle format version "
              + manifest.formatVersion()
              + " but this build reads versions "
              + Bundles.OLDEST_FORMAT_VERSION
              + " to "
              + Bundles.FORMAT_VERSION
              + "; retrain the model with this build or use the reelsense version that made it ("
              + manifest.codeVersion()
              + ")");
    }
    if (manifest.kind() == null || manifest.tasks() == null || manifest.tasks().isEmpty()) {
      throw new BundleException(file + " lacks 'kind' or 'tasks'");
    }
    return manifest;
  }

  /** {@link #readManifest(Path)}, failing unless the bundle is of one of {@code kinds}. */
  static BundleManifest readManifest(Path dir, Set<String> kinds, String what) {
    BundleManifest manifest = readManifest(dir);
    if (!kinds.contains(manifest.kind())) {
      throw new BundleException(
          dir.resolve(Bundles.MANIFEST) + " is of kind '" + manifest.kind() + "', not " + what);
    }
    return manifest;
  }

  /**
   * Writes {@code manifest.json} of a bundle whose model files are written, with its provenance:
   * this format and code version, created now; one task per entry of {@code labels}.
   *
   * @param truncation how an encoder cuts texts; null for other kinds
   * @param encoder the encoder section; null for other kinds
   * @param members the ensemble's members; null for other kinds
   */
  static BundleManifest writeManifest(
      Path dir,
      String kind,
      Map<String, List<String>> labels,
      String cleaning,
      Map<String, Object> metrics,
      Map<String, Object> training,
      Map<String, String> data,
      Map<String, String> files,
      Truncation truncation,
      EncoderSection encoder,
      List<EnsembleMember> members)
      throws IOException {
    BundleManifest manifest =
        new BundleManifest(
            Bundles.FORMAT_VERSION,
            kind,
            new ArrayList<>(labels.keySet()),
            labels,
            cleaning,
            truncation == null ? null : truncation.maxLength(),
            truncation == null ? null : truncationName(truncation.strategy()),
            metrics,
            training,
            data,
            codeVersion(),
            Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
            files,
            encoder,
            members);
    MAPPER.writeValue(dir.resolve(Bundles.MANIFEST).toFile(), manifest);
    return manifest;
  }

  /**
   * {@code head}, {@code tail} or {@code head+tail}, as {@link Truncation.Strategy#parse} reads.
   */
  static String truncationName(Truncation.Strategy strategy) {
    return switch (strategy) {
      case HEAD -> "head";
      case TAIL -> "tail";
      case HEAD_TAIL -> "head+tail";
    };
  }

  /**
   * Checks the model files of a bundle: {@code required} are listed, and every listed file lies
   * inside the bundle's real folder (symbolic links followed), is a regular file and has the listed
   * sha256.
   */
  static void verifyFiles(Path dir, BundleManifest manifest, List<String> required) {
    if (manifest.files() == null) {
      throw new BundleException(dir.resolve(Bundles.MANIFEST) + " lacks 'files'");
    }
    for (String name : required) {
      if (!manifest.files().containsKey(name)) {
        throw new BundleException(
            dir.resolve(Bundles.MANIFEST) + " does not list the model file " + name);
      }
    }
    for (Map.Entry<String, String> e : manifest.files().entrySet()) {
      Path file = inside(dir, e.getKey());
      if (!Files.isRegularFile(file)) {
        throw new BundleException(
            "model bundle "
                + dir
                + " is incomplete: missing "
                + dir.resolve(e.getKey())
                + " (listed in "
                + Bundles.MANIFEST
                + ")");
      }
      String actual;
      try {
        actual = sha256(file);
      } catch (IOException ex) {
        throw new BundleException("cannot read " + file + ": " + ex.getMessage(), ex);
      }
      if (!actual.equalsIgnoreCase(e.getValue())) {
        throw new BundleException(
            dir.resolve(e.getKey())
                + " is damaged or was replaced: its sha256 differs from the one in "
                + Bundles.MANIFEST);
      }
    }
  }

  /**
   * The real path of {@code name} (relative, {@code /}-separated) in the bundle {@code dir}, when
   * it exists; {@code dir.resolve(name)} when it does not. Fails when the name is absolute, steps
   * out with {@code ..}, or reaches outside the bundle's real folder through a symbolic link (of
   * the file itself or of any folder on its way, for a file not there too).
   */
  static Path inside(Path dir, String name) {
    Path root = realPath(dir);
    Path relative = dir.getFileSystem().getPath(name);
    Path file = root.resolve(relative).normalize();
    if (name.isEmpty() || relative.isAbsolute() || !file.startsWith(root) || file.equals(root)) {
      throw outside(dir, name);
    }
    Path existing = file;
    while (!Files.exists(existing)) {
      existing = existing.getParent();
    }
    Path real = realPath(existing);
    if (!real.startsWith(root)) {
      throw outside(dir, name);
    }
    return existing == file ? real : dir.resolve(name);
  }

  private static BundleException outside(Path dir, String name) {
    return new BundleException(
        dir.resolve(Bundles.MANIFEST)
            + " names a file outside the bundle: "
            + name
            + " (a bundle's files are relative paths inside its folder, not symbolic links out"
            + " of it)");
  }

  private static Path realPath(Path path) {
    try {
      return path.toRealPath();
    } catch (IOException e) {
      throw new BundleException("cannot resolve " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * The heads a bundle's tasks name, read from {@code sentiment.bin.gz} and {@code rating.bin.gz}.
   */
  static LinearHeads readHeads(Path dir, BundleManifest manifest) {
    LinearModel sentiment = null;
    LinearModel rating = null;
    if (manifest.tasks().contains(Bundles.TASK_SENTIMENT)) {
      sentiment = readModelFile(dir, Bundles.SENTIMENT_FILE, LinearModel::read);
    }
    if (manifest.tasks().contains(Bundles.TASK_RATING)) {
      rating = readModelFile(dir, Bundles.RATING_FILE, LinearModel::read);
    }
    return new LinearHeads(sentiment, rating);
  }

  /** Writes the heads that are not null, adding their labels and files' sha256. */
  static void writeHeads(
      Path dir,
      LinearModel sentiment,
      LinearModel rating,
      Map<String, List<String>> labels,
      Map<String, String> files)
      throws IOException {
    if (sentiment != null) {
      labels.put(Bundles.TASK_SENTIMENT, List.of("negative", "positive"));
      writeModelFile(dir, Bundles.SENTIMENT_FILE, sentiment::write, files);
    }
    if (rating != null) {
      List<String> stars = new ArrayList<>();
      for (int c : rating.classes()) {
        stars.add(Integer.toString(c));
      }
      labels.put(Bundles.TASK_RATING, stars);
      writeModelFile(dir, Bundles.RATING_FILE, rating::write, files);
    }
  }

  /** Writes one gzip'd binary model file. */
  interface Writer {
    void write(DataOutputStream out) throws IOException;
  }

  /** Reads one gzip'd binary model file. */
  interface Reader<T> {
    T read(DataInputStream in) throws IOException;
  }

  /** Writes {@code name} in {@code dir} gzip'd and records its sha256 in {@code files}. */
  static void writeModelFile(Path dir, String name, Writer writer, Map<String, String> files)
      throws IOException {
    Path file = dir.resolve(name);
    try (OutputStream raw = Files.newOutputStream(file);
        DataOutputStream out =
            new DataOutputStream(
                new BufferedOutputStream(new GZIPOutputStream(raw, 1 << 16), 1 << 16))) {
      writer.write(out);
    }
    files.put(name, sha256(file));
  }

  /** Reads the gzip'd model file {@code name}; any failure names the file. */
  static <T> T readModelFile(Path dir, String name, Reader<T> reader) {
    Path file = dir.resolve(name);
    try (InputStream raw = Files.newInputStream(inside(dir, name));
        DataInputStream in =
            new DataInputStream(
                new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16))) {
      return reader.read(in);
    } catch (IOException | RuntimeException e) {
      if (e instanceof BundleException b) {
        throw b;
      }
      throw new BundleException("cannot read model file " + file + ": " + e.getMessage(), e);
    }
  }

  /** The sha256 of a file, lower-case hex. */
  static String sha256(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** The cleaner of a profile named in a manifest; fails naming the bundle when unknown. */
  static UnaryOperator<String> cleaner(String profile, Path dir) {
    if (profile == null) {
      throw new BundleException(
          dir.resolve(Bundles.MANIFEST) + " lacks 'cleaning' (full, light or none)");
    }
    CleaningProfile p;
    try {
      p = CleaningProfile.parse(profile);
    } catch (IllegalArgumentException e) {
      throw new BundleException(dir.resolve(Bundles.MANIFEST) + ": " + e.getMessage(), e);
    }
    return p == CleaningProfile.NONE ? UnaryOperator.identity() : p.cleaner()::clean;
  }

  /** The model id a loaded bundle reports: its kind and the code version that made it. */
  static String modelId(BundleManifest manifest) {
    return manifest.kind() + "@" + manifest.codeVersion();
  }

  /** A failure while building a model from a read bundle, naming the bundle. */
  static BundleException inconsistent(Path dir, RuntimeException e) {
    return new BundleException("bundle " + dir + " is inconsistent: " + e.getMessage(), e);
  }

  /**
   * The code version recorded in bundles: the jar manifest's Implementation-Version and {@code git
   * describe --always --dirty} of the working directory, joined with {@code +} when both are known
   * (e.g. {@code 0.1.0-SNAPSHOT+964a334}); {@code dev} when neither is.
   */
  static String codeVersion() {
    String jar = Bundles.class.getPackage().getImplementationVersion();
    String git = gitDescribe();
    if (jar != null && git != null) {
      return jar + "+" + git;
    }
    return jar != null ? jar : git != null ? git : "dev";
  }

  private static String gitDescribe() {
    try {
      Process p =
          new ProcessBuilder("git", "describe", "--always", "--dirty")
              .redirectErrorStream(true)
              .start();
      byte[] output = p.getInputStream().readAllBytes();
      if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) {
        String s = new String(output, StandardCharsets.UTF_8).strip();
        return s.isEmpty() || s.contains("\n") ? null : s;
      }
      return null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
