package io.reelsense.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

/**
 * Fetches the data sets into a data directory: the IMDb archive (checked against its SHA-256) and
 * the film catalog, downloaded as {@code movies.json} and stored gzipped as {@link
 * DataLocation#FILM_CATALOG}. Files already there are kept; an interrupted download resumes (see
 * {@link Downloader}).
 */
public final class DataFetch {

  /** Where the IMDb archive comes from by default. */
  public static final String IMDB_URL =
      "https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz";

  /** The SHA-256 of the IMDb archive. */
  public static final String IMDB_SHA256 =
      "c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe";

  /** Where the film catalog's {@code movies.json} comes from by default. */
  public static final String CATALOG_URL =
      "https://raw.githubusercontent.com/prust/wikipedia-movie-data/master/movies.json";

  /** The downloadable data sets. */
  public enum Dataset {
    imdb,
    catalog
  }

  /** Where a data set comes from, and its expected SHA-256 ({@code null}: not checked). */
  public record Source(URI url, String sha256) {}

  /**
   * A data set's checksum is not a SHA-256 in hex; {@link #dataset} says whose.
   *
   * <p>Thrown by {@link #fetch} before anything of that data set is downloaded.
   */
  public static final class BadChecksum extends IllegalArgumentException {
    private final Dataset dataset;

    BadChecksum(Dataset dataset, IllegalArgumentException cause) {
      super(cause.getMessage(), cause);
      this.dataset = dataset;
    }

    public Dataset dataset() {
      return dataset;
    }
  }

  /** One data set fetched (or kept): its name, where it came from and what the download did. */
  public record Fetched(Dataset name, URI url, Downloader.Outcome outcome, Downloader.Result file) {

    /** The data set as an entry of {@code data fetch --json}'s {@code files}. */
    public Map<String, Object> toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", name.name());
      m.put("file", file.target().toString());
      m.put("url", url.toString());
      m.put("outcome", outcome.name().toLowerCase(Locale.ROOT));
      m.put("bytes", file.bytes());
      m.put("transferred", file.transferred());
      m.put("sha256", file.sha256());
      return m;
    }

    /** One line of the summary: the file, its size and what happened to it. */
    public String line() {
      String what =
          switch (outcome) {
            case SKIPPED -> "already there, kept";
            case DOWNLOADED -> "downloaded";
            case RESUMED -> "resumed and completed";
          };
      return String.format("%-28s %,15d bytes  %s%n", file.target(), file.bytes(), what);
    }
  }

  /** What {@link #fetch} did: the data directory and each data set, in the order fetched. */
  public record Result(Path data, List<Fetched> files) {

    /** One line per data set. */
    public String summary() {
      StringBuilder sb = new StringBuilder();
      files.forEach(f -> sb.append(f.line()));
      return sb.toString();
    }

    /** {@code data fetch --json}: {@code data} and {@code files}. */
    public Map<String, Object> toJson() {
      Map<String, Object> report = new LinkedHashMap<>();
      report.put("data", data.toAbsolutePath().normalize().toString());
      report.put("files", files.stream().map(Fetched::toJson).toList());
      return report;
    }
  }

  private DataFetch() {}

  /**
   * Fetches the {@code wanted} data sets into {@code data} (created if missing).
   *
   * @throws BadChecksum when a data set's expected SHA-256 is malformed
   * @throws Downloader.DownloadException when a download fails or its checksum does not match
   */
  public static Result fetch(
      Path data,
      Set<Dataset> wanted,
      Source imdb,
      Source catalog,
      Downloader downloader,
      Downloader.Progress progress)
      throws IOException {
    Files.createDirectories(data);
    List<Fetched> files = new ArrayList<>();
    if (wanted.contains(Dataset.imdb)) {
      Downloader.Result r =
          download(
              downloader, Dataset.imdb, imdb, data.resolve(DataLocation.IMDB_ARCHIVE), progress);
      files.add(new Fetched(Dataset.imdb, imdb.url(), r.outcome(), r));
    }
    if (wanted.contains(Dataset.catalog)) {
      Path gz = data.resolve(DataLocation.FILM_CATALOG);
      if (Files.exists(gz)) {
        Downloader.Result r =
            new Downloader.Result(gz, Downloader.Outcome.SKIPPED, Files.size(gz), 0, null);
        files.add(new Fetched(Dataset.catalog, catalog.url(), r.outcome(), r));
      } else {
        Path json = data.resolve("wikipedia-movies.json");
        Downloader.Result r = download(downloader, Dataset.catalog, catalog, json, progress);
        gzip(json, gz);
        Downloader.Result stored =
            new Downloader.Result(gz, r.outcome(), Files.size(gz), r.transferred(), r.sha256());
        files.add(new Fetched(Dataset.catalog, catalog.url(), r.outcome(), stored));
      }
    }
    return new Result(data, List.copyOf(files));
  }

  private static Downloader.Result download(
      Downloader downloader,
      Dataset dataset,
      Source source,
      Path target,
      Downloader.Progress progress)
      throws IOException {
    try {
      return downloader.fetch(source.url(), target, source.sha256(), progress);
    } catch (IllegalArgumentException e) {
      throw new BadChecksum(dataset, e);
    }
  }

  /** Gzips {@code json} into {@code gz} (no timestamp in the header) and removes {@code json}. */
  private static void gzip(Path json, Path gz) throws IOException {
    Path tmp = gz.resolveSibling(gz.getFileName() + ".tmp");
    try (InputStream in = Files.newInputStream(json);
        OutputStream out = new GZIPOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
      in.transferTo(out);
    }
    Files.move(tmp, gz, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    Files.delete(json);
  }
}
