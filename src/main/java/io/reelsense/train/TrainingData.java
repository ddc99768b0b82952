package io.reelsense.train;

import io.reelsense.data.ImdbCorpus;
import io.reelsense.data.ImdbReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

/**
 * The IMDb reviews a training run reads, and the checksums of the files they came from (which a
 * bundle records, so that a figure can be traced to its data).
 *
 * @param imdb the archive or {@code aclImdb/} folder read
 * @param corpus its train and test splits
 * @param checksums SHA-256 of the files read, by file name
 */
public record TrainingData(Path imdb, ImdbCorpus corpus, Map<String, String> checksums) {

  /**
   * Reads the IMDb reviews of {@code data} (a data directory, an archive or an {@code aclImdb/}
   * folder), telling {@code log} which file it reads.
   */
  public static TrainingData read(Path data, PrintWriter log) throws IOException {
    Path imdb = ImdbReader.locate(data);
    log.println("reading " + imdb);
    log.flush();
    ImdbCorpus corpus = ImdbReader.read(imdb);
    return new TrainingData(imdb, corpus, DataChecksums.of(imdb, corpus));
  }
}
