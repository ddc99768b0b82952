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

  /**
   * How a run words its choice: {@code demo(…)} notes every choice, indented under its step, and
   * the new model's test accuracy; {@link #RELIABILITY} notes all but a given bundle.
   *
   * @param trainedOn what the baseline is trained on, as the demo says it
   */
  public record Notes(boolean demo, String trainedOn) {
    /** The reliability run's words. */
    public static final Notes RELIABILITY = new Notes(false, "the committed sample");

    /** The demo's words; {@code trainSplit}: which train split the baseline learns from. */
    public static Notes demo(String trainSplit) {
      return new Notes(true, trainSplit);
    }

    /** The line for {@code c}; null for none. */
    String line(Choice c) {
      if (demo) {
        return switch (c.source()) {
          case GIVEN -> "      using --bundle " + c.dir();
          case SHARED -> "      using " + c.dir();
          case EARLIER -> "      using the model a previous demo built: " + c.dir();
          case TRAINED ->
              "      no bundle found: training the TF-IDF baseline on "
                  + trainedOn
                  + " into "
                  + c.dir();
        };
      }
      return switch (c.source()) {
        case GIVEN -> null;
        case SHARED -> "using the bundle " + c.dir();
        case EARLIER -> "using the bundle a previous run trained: " + c.dir();
        case TRAINED ->
            "no bundle: training the TF-IDF baseline on " + trainedOn + " into " + c.dir();
      };
    }
  }

  /**
   * {@link #findOrTrain(Path, Path, Path, Path, Progress, Consumer)} that says its choice in the
   * words of {@code notes}, one line at a time to {@code out}.
   */
  public static Path findOrTrain(
      Path given,
      Path shared,
      Path own,
      Path imdb,
      Progress progress,
      Notes notes,
      Consumer<String> out)
      throws IOException {
    Choice choice =
        findOrTrain(
            given,
            shared,
            own,
            imdb,
            progress,
            c -> {
              String line = notes.line(c);
              if (line != null) {
                out.accept(line);
              }
            });
    if (notes.demo() && choice.trained() != null) {
      out.accept(
          "      offline test accuracy of the new model: "
              + choice.trained().figures().get("test_accuracy"));
    }
    return choice.dir();
  }

  private static boolean hasManifest(Path dir) {
    return Files.isRegularFile(dir.resolve(Bundles.MANIFEST));
  }
}
