package io.reelsense.cli;

import io.reelsense.data.DataLocation;
import io.reelsense.data.Downloader;
import io.reelsense.train.Progress;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code reelsense data fetch}: downloads the IMDb archive and the film catalog. */
@Command(
    name = "fetch",
    mixinStandardHelpOptions = true,
    description = {
      "Download the IMDb reviews (aclImdb_v1.tar.gz, checked against its SHA-256) and the film"
          + " catalog (movies.json, stored gzipped as wikipedia-movies.json.gz) into --data.",
      "Files already there are kept (the archive only if its checksum matches); an interrupted"
          + " download resumes from its .part file."
    })
public final class DataFetchCommand extends ReportingCommand {

  static final String IMDB_URL = "https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz";
  static final String IMDB_SHA256 =
      "c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe";
  static final String CATALOG_URL =
      "https://raw.githubusercontent.com/prust/wikipedia-movie-data/master/movies.json";
  static final String IMDB_FILE = DataLocation.IMDB_ARCHIVE;
  static final String CATALOG_FILE = DataLocation.FILM_CATALOG;

  /** The downloadable data sets. */
  enum Dataset {
    imdb,
    catalog
  }

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "Directory to download into (created if missing; default: ${DEFAULT-VALUE}).",
      defaultValue = "data")
  Path data;

  @Option(
      names = "--only",
      paramLabel = "SET",
      split = ",",
      description = "Fetch only these: imdb, catalog (default: both).")
  Set<Dataset> only;

  @Option(
      names = "--imdb-url",
      paramLabel = "URL",
      description = "Where the IMDb archive comes from (default: ${DEFAULT-VALUE}).",
      defaultValue = IMDB_URL)
  URI imdbUrl;

  @Option(
      names = "--imdb-sha256",
      paramLabel = "HEX",
      description = "Expected SHA-256 of the IMDb archive (default: ${DEFAULT-VALUE}).",
      defaultValue = IMDB_SHA256)
  String imdbSha256;

  @Option(
      names = "--catalog-url",
      paramLabel = "URL",
      description = "Where the film catalog's movies.json comes from (default: ${DEFAULT-VALUE}).",
      defaultValue = CATALOG_URL)
  URI catalogUrl;

  @Option(
      names = "--catalog-sha256",
      paramLabel = "HEX",
      description =
          "Expected SHA-256 of the downloaded movies.json (default: none; upstream changes).")
  String catalogSha256;

  @Option(names = "--no-progress", description = "Do not draw progress bars on stderr.")
  boolean noProgress;

  @Override
  protected Report execute() throws Exception {
    Set<Dataset> wanted = only == null || only.isEmpty() ? EnumSet.allOf(Dataset.class) : only;
    Files.createDirectories(data);
    Downloader downloader = new Downloader();
    List<Map<String, Object>> files = new ArrayList<>();
    StringBuilder summary = new StringBuilder();
    if (wanted.contains(Dataset.imdb)) {
      Downloader.Result r =
          download(downloader, imdbUrl, data.resolve(IMDB_FILE), imdbSha256, "--imdb-sha256");
      files.add(entry("imdb", imdbUrl, r.outcome().name().toLowerCase(java.util.Locale.ROOT), r));
      summary.append(line(r, r.outcome()));
    }
    if (wanted.contains(Dataset.catalog)) {
      Path gz = data.resolve(CATALOG_FILE);
      if (Files.exists(gz)) {
        Downloader.Result r =
            new Downloader.Result(gz, Downloader.Outcome.SKIPPED, Files.size(gz), 0, null);
        files.add(entry("catalog", catalogUrl, "skipped", r));
        summary.append(line(r, r.outcome()));
      } else {
        Path json = data.resolve("wikipedia-movies.json");
        Downloader.Result r =
            download(downloader, catalogUrl, json, catalogSha256, "--catalog-sha256");
        gzip(json, gz);
        Downloader.Result stored =
            new Downloader.Result(gz, r.outcome(), Files.size(gz), r.transferred(), r.sha256());
        files.add(
            entry(
                "catalog",
                catalogUrl,
                r.outcome().name().toLowerCase(java.util.Locale.ROOT),
                stored));
        summary.append(line(stored, r.outcome()));
      }
    }
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("data", data.toAbsolutePath().normalize().toString());
    report.put("files", files);
    return Report.of(summary.toString(), report);
  }

  private Downloader.Result download(
      Downloader downloader, URI url, Path target, String sha256, String option)
      throws IOException {
    try {
      return downloader.fetch(url, target, sha256, noProgress ? Downloader.Progress.NONE : bar());
    } catch (IllegalArgumentException e) {
      throw new UserError(option + ": " + e.getMessage(), e);
    } catch (Downloader.DownloadException e) {
      throw new UserError(e.getMessage(), e);
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

  private static Map<String, Object> entry(
      String name, URI url, String outcome, Downloader.Result r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("file", r.target().toString());
    m.put("url", url.toString());
    m.put("outcome", outcome);
    m.put("bytes", r.bytes());
    m.put("transferred", r.transferred());
    m.put("sha256", r.sha256());
    return m;
  }

  private static String line(Downloader.Result r, Downloader.Outcome outcome) {
    String what =
        switch (outcome) {
          case SKIPPED -> "already there, kept";
          case DOWNLOADED -> "downloaded";
          case RESUMED -> "resumed and completed";
        };
    return String.format("%-28s %,15d bytes  %s%n", r.target(), r.bytes(), what);
  }

  /** A progress bar on this command's stderr: size, throughput and ETA. */
  private Downloader.Progress bar() {
    PrintWriter err = err();
    return new Downloader.Progress() {
      private ProgressBar bar;

      @Override
      public void start(String name, long already, long total) {
        bar =
            new ProgressBarBuilder()
                .setTaskName(name)
                .setInitialMax(total)
                .setUnit("MiB", 1L << 20)
                .showSpeed()
                .startsFrom(already, Duration.ZERO)
                .setUpdateIntervalMillis(250)
                .setConsumer(new Progress.WriterConsumer(err))
                .build();
      }

      @Override
      public void advance(long bytes) {
        bar.stepBy(bytes);
      }

      @Override
      public void finish() {
        if (bar != null) {
          bar.close();
        }
      }
    };
  }
}
