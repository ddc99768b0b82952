package io.reelsense.data;

/**
 * Caps on what reading a compressed data file may unpack, so that a decompression bomb (a small
 * {@code .gz} or {@code .tar.gz} that unpacks to gigabytes, or to millions of entries) in a user's
 * {@code --data} stops with a clear error instead of filling memory or disk. Every cap is checked
 * while the bytes stream by; nothing is allocated from the size an archive's header claims.
 *
 * <p>The defaults leave room for the real data: the IMDb archive unpacks to about 500 MB in about
 * 100,000 entries, the largest being a 2.5 MB urls file; the film catalog unpacks to under 100 MB.
 *
 * @param maxEntryBytes the most bytes one archive entry (one file inside a tar) may unpack to
 * @param maxTotalBytes the most bytes a whole compressed file may unpack to (tar headers included)
 * @param maxEntries the most entries (files and folders) one archive may hold
 */
public record ArchiveLimits(long maxEntryBytes, long maxTotalBytes, int maxEntries) {

  private static final long MIB = 1L << 20;

  /**
   * The caps used when reading {@code --data}: 64 MiB per entry, 4 GiB in all, 1,000,000 entries.
   */
  public static final ArchiveLimits DEFAULT = new ArchiveLimits(64 * MIB, 4096 * MIB, 1_000_000);

  public ArchiveLimits {
    if (maxEntryBytes <= 0 || maxTotalBytes <= 0 || maxEntries <= 0) {
      throw new IllegalArgumentException("archive caps must be positive");
    }
  }

  /** {@code bytes} for a message: {@code 64 MiB}, {@code 1.5 GiB}, or plain bytes below 1 MiB. */
  static String size(long bytes) {
    if (bytes >= 1024 * MIB) {
      double gib = bytes / (1024.0 * MIB);
      return (gib == Math.rint(gib) ? String.valueOf((long) gib) : String.format("%.1f", gib))
          + " GiB";
    }
    if (bytes >= MIB) {
      double mib = bytes / (double) MIB;
      return (mib == Math.rint(mib) ? String.valueOf((long) mib) : String.format("%.1f", mib))
          + " MiB";
    }
    return bytes + " bytes";
  }
}
