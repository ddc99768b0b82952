package io.reelsense.data;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * The uncompressed side of a {@code .gz}: counts the bytes read through it and throws {@link
 * DataFormatException} naming the file and the cap as soon as they pass {@code maxBytes}, before
 * the surplus reaches the reader.
 */
final class CappedInputStream extends FilterInputStream {

  private final Path file;
  private final long maxBytes;
  private long count;

  CappedInputStream(InputStream in, Path file, long maxBytes) {
    super(in);
    this.file = file;
    this.maxBytes = maxBytes;
  }

  /** Bytes read so far. */
  long count() {
    return count;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      add(1);
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    if (n > 0) {
      add(n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = super.skip(n);
    if (skipped > 0) {
      add(skipped);
    }
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  private void add(long n) {
    count += n;
    if (count > maxBytes) {
      throw new DataFormatException(
          file.toAbsolutePath()
              + " unpacks to more than "
              + ArchiveLimits.size(maxBytes)
              + ", the cap on a compressed data file's total size (a decompression bomb, or not"
              + " the expected data)");
    }
  }
}
