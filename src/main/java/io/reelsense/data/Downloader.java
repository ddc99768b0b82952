package io.reelsense.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads one file over HTTP(S) into place, safely:
 *
 * <ul>
 *   <li>the bytes go to {@code <target>.part} and are moved to {@code <target>} only when complete
 *       and, when a SHA-256 is given, matching it;
 *   <li>an existing {@code .part} is resumed with a {@code Range} request (a server that ignores it
 *       sends everything again, and the part is rewritten);
 *   <li>an existing target is kept and the download skipped when it matches the checksum (or when
 *       no checksum is given);
 *   <li>a checksum mismatch deletes nothing: the error gives expected and actual digests and where
 *       the bytes are.
 * </ul>
 */
public final class Downloader {

  /** What happened to one file. */
  public enum Outcome {
    /** The target was already there (and matched the checksum, when one was given). */
    SKIPPED,
    /** Downloaded from the first byte. */
    DOWNLOADED,
    /** Continued from an earlier {@code .part}. */
    RESUMED
  }

  /**
   * The result of {@link #fetch}.
   *
   * @param target the final file
   * @param outcome what was done
   * @param bytes the size of the final file
   * @param transferred bytes received over the network in this run
   * @param sha256 the file's SHA-256 (lower-case hex)
   */
  public record Result(Path target, Outcome outcome, long bytes, long transferred, String sha256) {}

  /** Progress of a transfer, for a progress bar. */
  public interface Progress {
    /**
     * A transfer starts.
     *
     * @param name the file's name
     * @param already bytes already on disk (resumed)
     * @param total the full size, or -1 when the server does not say
     */
    void start(String name, long already, long total);

    /** More bytes arrived. */
    void advance(long bytes);

    /** The transfer ended (normally or not). */
    void finish();

    /** No progress output. */
    Progress NONE =
        new Progress() {
          @Override
          public void start(String name, long already, long total) {}

          @Override
          public void advance(long bytes) {}

          @Override
          public void finish() {}
        };
  }

  /** A download that failed: an HTTP error, a short transfer, a checksum mismatch. */
  public static final class DownloadException extends IOException {
    public DownloadException(String message) {
      super(message);
    }

    public DownloadException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
  private static final int BUFFER = 1 << 16;

  private final HttpClient client;

  public Downloader() {
    this(
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(30))
            .build());
  }

  public Downloader(HttpClient client) {
    this.client = client;
  }

  /** The {@code .part} file a download of {@code target} writes to. */
  public static Path partFile(Path target) {
    return target.resolveSibling(target.getFileName() + ".part");
  }

  /**
   * Downloads {@code url} to {@code target}.
   *
   * @param sha256 the expected SHA-256 (hex, any case), or null to accept any content
   */
  public Result fetch(URI url, Path target, String sha256, Progress progress) throws IOException {
    String expected = sha256 == null ? null : sha256.strip().toLowerCase(Locale.ROOT);
    if (expected != null && !expected.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException(
          "a SHA-256 is 64 hex digits, got '" + sha256 + "' (" + sha256.length() + " characters)");
    }
    if (Files.exists(target)) {
      String actual = sha256(target);
      if (expected != null && !expected.equals(actual)) {
        throw new DownloadException(
            target
                + " exists but does not match: expected sha256 "
                + expected
                + ", actual "
                + actual
                + "; move or delete it to download again");
      }
      return new Result(target, Outcome.SKIPPED, Files.size(target), 0, actual);
    }
    Path parent = target.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Path part = partFile(target);
    long have = Files.exists(part) ? Files.size(part) : 0;
    MessageDigest digest = newDigest();
    HttpRequest.Builder request = HttpRequest.newBuilder(url).GET();
    if (have > 0) {
      request.header("Range", "bytes=" + have + "-");
    }
    HttpResponse<InputStream> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DownloadException("interrupted while connecting to " + url, e);
    } catch (IOException e) {
      throw new DownloadException("cannot reach " + url + ": " + describe(e), e);
    }
    int status = response.statusCode();
    long total;
    boolean append;
    try (InputStream body = response.body()) {
      if (status == 416 && have > 0) {
        // the part already holds everything the server has
        body.transferTo(OutputStream.nullOutputStream());
        return finish(url, part, target, expected, Outcome.RESUMED, 0);
      }
      if (status == 206 && have > 0) {
        Matcher m =
            CONTENT_RANGE.matcher(response.headers().firstValue("Content-Range").orElse(""));
        if (!m.matches() || Long.parseLong(m.group(1)) != have) {
          throw new DownloadException(
              url
                  + " answered the range request from byte "
                  + have
                  + " with Content-Range '"
                  + response.headers().firstValue("Content-Range").orElse("")
                  + "'; delete "
                  + part
                  + " to start over");
        }
        total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
        append = true;
      } else if (status == 200) {
        total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        append = false;
      } else {
        throw new DownloadException(
            url + " answered HTTP " + status + (status == 404 ? " (not found)" : ""));
      }
      if (append) {
        updateDigest(digest, part);
      } else {
        have = 0;
      }
      long received = copy(body, part, append, digest, target, have, total, progress);
      long size = have + received;
      if (total >= 0 && size != total) {
        throw new DownloadException(
            "the transfer of "
                + url
                + " stopped at "
                + size
                + " of "
                + total
                + " bytes; run again to resume from "
                + part);
      }
      String actual = HexFormat.of().formatHex(digest.digest());
      return checkAndMove(
          url,
          part,
          target,
          expected,
          actual,
          append ? Outcome.RESUMED : Outcome.DOWNLOADED,
          received);
    }
  }

  private static long copy(
      InputStream body,
      Path part,
      boolean append,
      MessageDigest digest,
      Path target,
      long have,
      long total,
      Progress progress)
      throws IOException {
    byte[] buf = new byte[BUFFER];
    long received = 0;
    progress.start(target.getFileName().toString(), have, total);
    try (OutputStream out =
        Files.newOutputStream(
            part,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
      for (int n = body.read(buf); n >= 0; n = body.read(buf)) {
        out.write(buf, 0, n);
        digest.update(buf, 0, n);
        received += n;
        progress.advance(n);
      }
    } catch (IOException e) {
      throw new DownloadException(
          "the transfer to " + part + " broke off (" + describe(e) + "); run again to resume", e);
    } finally {
      progress.finish();
    }
    return received;
  }

  private static Result finish(
      URI url, Path part, Path target, String expected, Outcome outcome, long received)
      throws IOException {
    return checkAndMove(url, part, target, expected, sha256(part), outcome, received);
  }

  private static Result checkAndMove(
      URI url,
      Path part,
      Path target,
      String expected,
      String actual,
      Outcome outcome,
      long received)
      throws IOException {
    if (expected != null && !expected.equals(actual)) {
      throw new DownloadException(
          "checksum mismatch for "
              + url
              + ": expected sha256 "
              + expected
              + ", actual "
              + actual
              + " ("
              + Files.size(part)
              + " bytes kept in "
              + part
              + "; delete it to download from scratch)");
    }
    Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return new Result(target, outcome, Files.size(target), received, actual);
  }

  /** The SHA-256 of a file, lower-case hex. */
  public static String sha256(Path file) throws IOException {
    MessageDigest digest = newDigest();
    updateDigest(digest, file);
    return HexFormat.of().formatHex(digest.digest());
  }

  private static void updateDigest(MessageDigest digest, Path file) throws IOException {
    byte[] buf = new byte[BUFFER];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        digest.update(buf, 0, n);
      }
    }
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }

  private static String describe(IOException e) {
    return Optional.ofNullable(e.getMessage()).orElse(e.getClass().getSimpleName());
  }
}
