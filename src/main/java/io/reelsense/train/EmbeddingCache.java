package io.reelsense.train;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

/**
 * Pooled vectors of a list of texts, kept in a file so that a rerun (other C, other task, an
 * ensemble) does not embed again, and an interrupted run goes on where it stopped. The file is
 * named by the sha256 of a key (model, max length, truncation, cleaning, the texts' checksum…),
 * which its header repeats; vectors are appended in input order, one chunk at a time, and a chunk
 * cut short by an interruption is dropped when the file is opened again.
 */
public final class EmbeddingCache {

  private static final String MAGIC = "reelsense-vectors-1";

  /** Texts embedded per appended chunk. */
  public static final int CHUNK = 256;

  private final Path file;
  private final String key;

  /** The cache file for {@code key} in {@code dir}. */
  public EmbeddingCache(Path dir, String key) {
    this.file = dir.resolve(sha256(key).substring(0, 32) + ".vec");
    this.key = key;
  }

  /** The file the vectors are kept in. */
  public Path file() {
    return file;
  }

  /** What a call to {@link #vectors} did. */
  public record Result(List<float[]> vectors, int cached, int embedded) {}

  /**
   * The vectors of the first {@code count} texts: those already in the file, then the rest embedded
   * with {@code embed} chunk by chunk, each chunk appended to the file as soon as it is done.
   *
   * @param texts the texts (all of them, in a fixed order: the key covers the whole list)
   * @param count how many of them are needed (a prefix)
   * @param dimension length of every vector
   * @param embed texts to vectors, same order
   * @param bar told of every embedded text
   */
  public Result vectors(
      List<String> texts,
      int count,
      int dimension,
      Function<List<String>, List<float[]>> embed,
      Progress.Bar bar)
      throws IOException {
    Files.createDirectories(file.getParent());
    List<float[]> out = readValid(dimension);
    int cached = out.size();
    bar.step(Math.min(cached, count));
    if (out.size() >= count) {
      return new Result(new ArrayList<>(out.subList(0, count)), count, 0);
    }
    boolean fresh = out.isEmpty();
    try (DataOutputStream w =
        new DataOutputStream(
            new BufferedOutputStream(
                Files.newOutputStream(
                    file,
                    StandardOpenOption.CREATE,
                    fresh ? StandardOpenOption.TRUNCATE_EXISTING : StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE),
                1 << 16))) {
      if (fresh) {
        writeHeader(w, dimension);
      }
      for (int from = out.size(); from < count; from += CHUNK) {
        int to = Math.min(count, from + CHUNK);
        List<float[]> chunk = embed.apply(texts.subList(from, to));
        writeChunk(w, chunk, dimension);
        w.flush();
        out.addAll(chunk);
        bar.step(chunk.size());
      }
    }
    return new Result(out, cached, count - cached);
  }

  /**
   * Writes {@code vectors} (those of the first texts of the key's list, in order) as the file's
   * content, replacing what it held.
   */
  public void write(List<float[]> vectors, int dimension) throws IOException {
    Files.createDirectories(file.getParent());
    try (DataOutputStream w =
        new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
      writeHeader(w, dimension);
      for (int from = 0; from < vectors.size(); from += CHUNK) {
        writeChunk(w, vectors.subList(from, Math.min(vectors.size(), from + CHUNK)), dimension);
      }
    }
  }

  private void writeHeader(DataOutputStream w, int dimension) throws IOException {
    w.writeUTF(MAGIC);
    w.writeUTF(key);
    w.writeInt(dimension);
  }

  private static void writeChunk(DataOutputStream w, List<float[]> chunk, int dimension)
      throws IOException {
    w.writeInt(chunk.size());
    for (float[] v : chunk) {
      if (v.length != dimension) {
        throw new IllegalStateException(
            "a vector of " + v.length + " values, expected " + dimension);
      }
      for (float x : v) {
        w.writeFloat(x);
      }
    }
  }

  /**
   * The complete chunks of the file when its header matches; the file is cut back to them (an empty
   * list, and the file left to be rewritten, when it is absent or of another key).
   */
  private List<float[]> readValid(int dimension) throws IOException {
    List<float[]> out = new ArrayList<>();
    if (!Files.isRegularFile(file)) {
      return out;
    }
    long valid;
    try (InputStream raw = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
      if (!MAGIC.equals(in.readUTF()) || !key.equals(in.readUTF()) || in.readInt() != dimension) {
        return out;
      }
      valid = headerLength();
      while (true) {
        int n;
        try {
          n = in.readInt();
        } catch (EOFException e) {
          break;
        }
        if (n <= 0 || n > CHUNK) {
          break;
        }
        List<float[]> chunk = new ArrayList<>(n);
        try {
          for (int i = 0; i < n; i++) {
            float[] v = new float[dimension];
            for (int j = 0; j < dimension; j++) {
              v[j] = in.readFloat();
            }
            chunk.add(v);
          }
        } catch (EOFException e) {
          break;
        }
        out.addAll(chunk);
        valid += 4 + (long) n * dimension * 4;
      }
    } catch (EOFException | java.io.UTFDataFormatException e) {
      return new ArrayList<>();
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      if (ch.size() > valid) {
        ch.truncate(valid);
      }
    }
    return out;
  }

  private long headerLength() {
    return 2L
        + MAGIC.getBytes(StandardCharsets.UTF_8).length
        + 2L
        + key.getBytes(StandardCharsets.UTF_8).length
        + 4L;
  }

  /** One checksum of a list of texts, in order: the sha256 of their sha256s, one per line. */
  public static String checksum(List<String> texts) {
    StringBuilder all = new StringBuilder();
    for (String text : texts) {
      all.append(sha256(text)).append('\n');
    }
    return sha256(all.toString());
  }

  /** Lower-case hex sha256 of a string's UTF-8 bytes. */
  public static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
