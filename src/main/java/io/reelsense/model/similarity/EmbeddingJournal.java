package io.reelsense.model.similarity;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * An append-only file of vectors by key, written while a long embedding run goes on, so that an
 * interrupted run resumes where it stopped instead of embedding everything again. Each record is
 * {@code key (UTF), length (int), floats}; a record cut short by a crash at the end of the file is
 * ignored (and overwritten by the next append).
 */
public final class EmbeddingJournal implements AutoCloseable {

  private final DataOutputStream out;
  private final Map<String, float[]> entries;

  private EmbeddingJournal(DataOutputStream out, Map<String, float[]> entries) {
    this.out = out;
    this.entries = entries;
  }

  /**
   * Opens (creating it when absent) a journal, reading the complete records already there.
   *
   * @throws IOException when the file cannot be read or written
   */
  public static EmbeddingJournal open(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Map<String, float[]> entries = new HashMap<>();
    long valid = 0;
    if (Files.isRegularFile(file)) {
      try (InputStream raw = Files.newInputStream(file);
          DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
        while (true) {
          String key;
          float[] v;
          try {
            key = in.readUTF();
            int n = in.readInt();
            if (n < 0 || n > 1 << 16) {
              break;
            }
            v = new float[n];
            for (int i = 0; i < n; i++) {
              v[i] = in.readFloat();
            }
          } catch (EOFException e) {
            break;
          }
          entries.put(key, v);
          valid += recordBytes(key, v.length);
        }
      }
    }
    try (var channel =
        Files.newByteChannel(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      channel.truncate(valid);
    }
    OutputStream raw = Files.newOutputStream(file, StandardOpenOption.APPEND);
    return new EmbeddingJournal(
        new DataOutputStream(new BufferedOutputStream(raw, 1 << 16)), entries);
  }

  private static long recordBytes(String key, int floats) {
    int utf = 0;
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      utf += c >= 0x0001 && c <= 0x007F ? 1 : c > 0x07FF ? 3 : 2;
    }
    return 2L + utf + Integer.BYTES + (long) floats * Float.BYTES;
  }

  /** The vector recorded under a key, or null. */
  public float[] get(String key) {
    return entries.get(key);
  }

  /** How many vectors the journal holds. */
  public int size() {
    return entries.size();
  }

  /** Records a vector (buffered; {@link #flush} makes it durable). */
  public void put(String key, float[] vector) throws IOException {
    out.writeUTF(key);
    out.writeInt(vector.length);
    for (float x : vector) {
      out.writeFloat(x);
    }
    entries.put(key, vector.clone());
  }

  /** Writes buffered records to the file. */
  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
