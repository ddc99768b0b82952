package io.reelsense.cli;

import io.reelsense.data.DataFetch;
import io.reelsense.data.Downloader;
import io.reelsense.train.Progress;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
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
  Set<DataFetch.Dataset> only;

  @Option(
      names = "--imdb-url",
      paramLabel = "URL",
      description = "Where the IMDb archive comes from (default: ${DEFAULT-VALUE}).",
      defaultValue = DataFetch.IMDB_URL)
  URI imdbUrl;

  @Option(
      names = "--imdb-sha256",
      paramLabel = "HEX",
      description = "Expected SHA-256 of the IMDb archive (default: ${DEFAULT-VALUE}).",
      defaultValue = DataFetch.IMDB_SHA256)
  String imdbSha256;

  @Option(
      names = "--catalog-url",
      paramLabel = "URL",
      description = "Where the film catalog's movies.json comes from (default: ${DEFAULT-VALUE}).",
      defaultValue = DataFetch.CATALOG_URL)
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
    Set<DataFetch.Dataset> wanted =
        only == null || only.isEmpty() ? EnumSet.allOf(DataFetch.Dataset.class) : only;
    DataFetch.Result fetched;
    try {
      fetched =
          DataFetch.fetch(
              data,
              wanted,
              new DataFetch.Source(imdbUrl, imdbSha256),
              new DataFetch.Source(catalogUrl, catalogSha256),
              new Downloader(),
              noProgress ? Downloader.Progress.NONE : bar());
    } catch (DataFetch.BadChecksum e) {
      throw new UserError("--" + e.dataset() + "-sha256: " + e.getMessage(), e);
    } catch (Downloader.DownloadException e) {
      throw new UserError(e.getMessage(), e);
    }
    return Report.of(fetched.summary(), fetched.toJson());
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
