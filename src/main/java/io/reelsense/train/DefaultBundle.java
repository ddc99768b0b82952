package io.reelsense.train;

import io.reelsense.data.ImdbCorpus;
import io.reelsense.data.ImdbReader;
import io.reelsense.model.bundle.Bundles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The bundle a demo or a reliability run scores with when none is named: the one given, else the
 * shared one ({@code models/tfidf-lr}, what {@code train --out models/tfidf-lr} writes), else the
 * one an earlier run trained into its own directory, else a TF-IDF baseline (default arguments)
 * trained there now.
 */
public final class DefaultBundle {

  private DefaultBundle() {}

  /** Where the bundle came from. */
  public enum Source {
    /** named on the command line */
    GIVEN,
    /** the shared bundle */
    SHARED,
    /** trained by an earlier run into the run's own directory */
    EARLIER,
    /** trained now */
    TRAINED
  }

  /**
   * The bundle chosen.
   *
   * @param dir the bundle directory
   * @param source where it came from
   * @param trained what training reported; null unless {@code source} is {@link Source#TRAINED} and
   *     training has finished
   */
  public record Choice(Path dir, Source source, TrainedBundle trained) {}

  /**
   * Finds the bundle, or trains one.
   *
   * @param given the bundle named on the command line; null for none (its manifest is checked)
   * @param shared the shared bundle, used when it has a manifest
   * @param own the run's own bundle directory: used when an earlier run trained into it, else
   *     trained into
   * @param imdb the IMDb data the baseline is trained on (an archive, a data or an {@code aclImdb/}
   *     folder)
   * @param chosen told the choice once made (before training starts, when it trains)
   */
  public static Choice findOrTrain(
      Path given, Path shared, Path own, Path imdb, Progress progress, Consumer<Choice> chosen)
      throws IOException {
    Choice choice;
    if (given != null) {
      Bundles.readManifest(given);
      choice = new Choice(given, Source.GIVEN, null);
    } else if (hasManifest(shared)) {
      choice = new Choice(shared, Source.SHARED, null);
    } else if (hasManifest(own)) {
      Bundles.readManifest(own);
      choice = new Choice(own, Source.EARLIER, null);
    } else {
      chosen.accept(new Choice(own, Source.TRAINED, null));
      ImdbCorpus corpus = ImdbReader.read(imdb);
      TrainedBundle trained =
          BaselineTrainer.trainBundle(
              own, corpus, BaselineOptions.defaults(), DataChecksums.of(imdb, corpus), progress);
      return new Choice(own, Source.TRAINED, trained);
    }
    chosen.accept(choice);
    return choice;
  }

  private static boolean hasManifest(Path dir) {
    return Files.isRegularFile(dir.resolve(Bundles.MANIFEST));
  }
}
