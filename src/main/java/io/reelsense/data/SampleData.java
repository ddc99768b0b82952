package io.reelsense.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The committed sample ({@code src/main/resources/sample/}, made by {@code reelsense data sample}):
 * a data directory with {@code aclImdb_v1.tar.gz} (2,000 train + 1,000 test reviews) and {@code
 * wikipedia-movies.json.gz} (1,000 films), read by the same readers as the full data.
 */
public final class SampleData {

  /** The classpath folder of the sample. */
  public static final String RESOURCE_DIR = "/sample/";

  private static final List<String> FILES =
      List.of(DataLocation.IMDB_ARCHIVE, DataLocation.FILM_CATALOG);

  private static Path dir;

  private SampleData() {}

  /**
   * A data directory holding the sample: the classpath folder itself when the classes are a folder,
   * else (running from the jar) a temporary copy made once per process and removed at exit.
   */
  public static synchronized Path dir() {
    if (dir == null) {
      dir = locate();
    }
    return dir;
  }

  private static Path locate() {
    URL url = SampleData.class.getResource(RESOURCE_DIR + DataLocation.IMDB_ARCHIVE);
    if (url == null) {
      throw new IllegalStateException(
          "the sample is missing from the classpath ("
              + RESOURCE_DIR
              + DataLocation.IMDB_ARCHIVE
              + "); rebuild with `mvn package`");
    }
    if ("file".equals(url.getProtocol())) {
      try {
        return Path.of(url.toURI()).getParent();
      } catch (URISyntaxException e) {
        throw new IllegalStateException("bad sample location " + url, e);
      }
    }
    try {
      Path tmp = Files.createTempDirectory("reelsense-sample-");
      tmp.toFile().deleteOnExit();
      for (String name : FILES) {
        Path target = tmp.resolve(name);
        try (InputStream in = SampleData.class.getResourceAsStream(RESOURCE_DIR + name)) {
          if (in == null) {
            throw new IllegalStateException("the sample is missing " + RESOURCE_DIR + name);
          }
          Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        target.toFile().deleteOnExit();
      }
      return tmp;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy the sample to a temporary directory", e);
    }
  }
}
