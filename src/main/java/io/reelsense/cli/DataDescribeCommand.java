package io.reelsense.cli;

import io.reelsense.data.DataDescription;
import io.reelsense.data.DataLocation;
import io.reelsense.data.Film;
import io.reelsense.data.FilmCatalogReader;
import io.reelsense.data.ImdbCorpus;
import io.reelsense.data.ImdbReader;
import io.reelsense.data.TokenCounter;
import io.reelsense.model.encoder.ModelCatalog;
import io.reelsense.text.CleaningProfile;
import io.reelsense.text.TextCleaner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code reelsense data describe}: sizes, class balance, ratings, reviews per film, the original
 * study's validation split, cleaned and token lengths of the IMDb reviews, and the size of the film
 * catalog.
 */
@Command(
    name = "describe",
    mixinStandardHelpOptions = true,
    description = {
      "Describe the IMDb reviews and the film catalog: sizes, class balance, rating histogram,"
          + " reviews per film, the trainer's 80/20 stratified split (random seed 42), mean cleaned"
          + " length, token lengths and how many reviews fit in"
          + " 128/256/384/512 tokens.",
      "Example: reelsense data describe --data ../shared/data --profile light --show 3 --json"
    })
public final class DataDescribeCommand extends ReportingCommand {

  private static final int SHOW_CHARS = 300;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description =
          "Data directory (else $REELSENSE_DATA, else ./data, else ../shared/data); an"
              + " aclImdb_v1.tar.gz file or an unpacked aclImdb/ folder also works.")
  Path data;

  @Option(
      names = "--profile",
      defaultValue = "full",
      paramLabel = "PROFILE",
      description =
          "Cleaning before measuring lengths: full, light or none (default: ${DEFAULT-VALUE}).")
  String profile;

  @Option(
      names = "--tokens",
      paramLabel = "COUNTER",
      description =
          "How to count tokens: wordpiece (BERT uncased WordPiece with [CLS]/[SEP], on the"
              + " light-cleaned text, whatever --profile says) or words (white-space words on the"
              + " --profile-cleaned text). Default: wordpiece when bge-small's vocabulary is in the"
              + " local Maven repository (reelsense models pull bge-small), else words.")
  String tokens;

  @Option(
      names = "--repo",
      paramLabel = "DIR",
      description =
          "Local Maven repository holding the vocabulary (default: -Dmaven.repo.local,"
              + " settings.xml, ~/.m2/repository).")
  Path repo;

  @Option(
      names = "--show",
      defaultValue = "0",
      paramLabel = "N",
      description = "Show the first N reviews raw and cleaned side by side.")
  int show;

  @Override
  protected Report execute() {
    CleaningProfile cleaning;
    try {
      cleaning = CleaningProfile.parse(profile);
    } catch (IllegalArgumentException e) {
      throw new UserError("--profile: " + e.getMessage());
    }
    if (show < 0) {
      throw new UserError("--show must be 0 or more, got " + show);
    }
    Path imdbPath;
    Path dir;
    if (data != null && Files.isRegularFile(data)) {
      imdbPath = data;
      dir = data.toAbsolutePath().getParent();
    } else {
      dir = DataLocation.resolve(data);
      imdbPath = dir;
    }
    long t0 = System.nanoTime();
    ImdbCorpus corpus = ImdbReader.read(imdbPath);
    List<Film> catalog = null;
    Path catalogFile = dir.resolve(DataLocation.FILM_CATALOG);
    if (Files.isRegularFile(catalogFile)) {
      catalog = FilmCatalogReader.read(catalogFile);
    } else {
      err().println("note: no film catalog at " + catalogFile + "; catalog_films is null");
    }
    TextCleaner cleaner = cleaning.cleaner();
    TokenCounter counter = counter();
    CleaningProfile tokenText =
        counter.name().equals("wordpiece") ? CleaningProfile.LIGHT : cleaning;
    DataDescription d =
        DataDescription.of(
            corpus,
            catalog,
            cleaning.label(),
            cleaner::clean,
            tokenText.label(),
            tokenText.cleaner()::clean,
            counter,
            show);
    double seconds = (System.nanoTime() - t0) / 1e9;

    Map<String, Object> json = d.toJson();
    json.put("imdb_source", ImdbReader.locate(imdbPath).toAbsolutePath().toString());
    json.put("seconds", Math.round(seconds * 100) / 100.0);
    return Report.of(summary(d, ImdbReader.locate(imdbPath), seconds), json);
  }

  private TokenCounter counter() {
    Path repository = repo != null ? repo : ModelCatalog.localRepository();
    Path jar = WordPieceCounters.jar(repository);
    if (tokens == null) {
      if (!Files.isRegularFile(jar)) {
        err()
            .println(
                "note: counting words: the BERT uncased WordPiece vocabulary ("
                    + jar
                    + ") is not in the local Maven repository; run: reelsense models pull "
                    + WordPieceCounters.MODEL);
        return TokenCounter.words();
      }
      return wordpiece(repository);
    }
    switch (tokens.trim().toLowerCase(Locale.ROOT)) {
      case "words":
        return TokenCounter.words();
      case "wordpiece":
        if (!Files.isRegularFile(jar)) {
          throw new UserError(
              "--tokens wordpiece: the BERT uncased vocabulary ("
                  + jar
                  + ") is not in the local Maven repository; run: reelsense models pull "
                  + WordPieceCounters.MODEL
                  + " (or pass --tokens words)");
        }
        return wordpiece(repository);
      default:
        throw new UserError("--tokens: unknown counter '" + tokens + "'; known: wordpiece, words");
    }
  }

  private static TokenCounter wordpiece(Path repository) {
    try {
      return WordPieceCounters.bertUncased(repository);
    } catch (IOException e) {
      throw new UserError("cannot read the WordPiece vocabulary: " + e.getMessage(), e);
    }
  }

  private String summary(DataDescription d, Path source, double seconds) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "IMDb reviews from %s (%.1f s)%n", source, seconds));
    for (String split : ImdbCorpus.SPLITS) {
      Map<String, Integer> b = d.balance().get(split);
      sb.append(
          String.format(
              Locale.ROOT,
              "  %-5s %6d reviews: %d negative, %d positive; ratings %s%n",
              split,
              split.equals("train") ? d.train() : d.test(),
              b.get("neg"),
              b.get("pos"),
              d.ratings().get(split)));
    }
    DataDescription.FilmStats f = d.films();
    sb.append(
        String.format(
            Locale.ROOT,
            "  films: %d distinct (train %d, test %d, in both %d); reviews per film min %d, mean"
                + " %.2f, max %d%n",
            f.distinct(),
            f.perSplit().get("train"),
            f.perSplit().get("test"),
            f.inBothSplits(),
            f.minReviews(),
            f.meanReviews(),
            f.maxReviews()));
    DataDescription.SplitStats s = d.split();
    sb.append(
        String.format(
            Locale.ROOT,
            "  seed split of train (80/20 stratified, seed %d): %d train, %d validation,"
                + " val_positive %d%n",
            s.seed(),
            s.train(),
            s.validation(),
            s.validationPositive()));
    sb.append(
        d.catalogFilms() == null
            ? "  film catalog: not found\n"
            : String.format(
                Locale.ROOT,
                "  film catalog: %d films, %d with a description%n",
                d.catalogFilms(),
                d.catalogWithDescription()));
    DataDescription.CleanStats c = d.cleaned();
    sb.append(
        String.format(
            Locale.ROOT,
            "  cleaning '%s': mean %.1f chars (raw %.1f; train %.1f, test %.1f), %d empty after"
                + " cleaning%n",
            d.profile(),
            c.meanChars(),
            c.meanRawChars(),
            c.meanCharsPerSplit().get("train"),
            c.meanCharsPerSplit().get("test"),
            c.emptyAfterCleaning()));
    DataDescription.TokenStats t = d.tokens();
    StringBuilder fit = new StringBuilder();
    t.fit()
        .forEach(
            (budget, share) ->
                fit.append(String.format(Locale.ROOT, " <=%d: %.1f%%", budget, share * 100)));
    sb.append(
        String.format(
            Locale.ROOT,
            "  tokens (%s, on the '%s'-cleaned text): mean %.1f, p50 %d, p90 %d, p95 %d, p99 %d, max %d;"
                + " fit%s%n",
            t.counter(),
            t.text(),
            t.mean(),
            t.p50(),
            t.p90(),
            t.p95(),
            t.p99(),
            t.max(),
            fit));
    for (DataDescription.Shown r : d.shown()) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%n%s (label %s, rating %s)%n  raw:   %s%n  clean: %s%n",
              r.id(),
              r.label(),
              r.rating(),
              abbreviate(r.raw()),
              abbreviate(r.clean())));
    }
    return sb.toString();
  }

  private static String abbreviate(String text) {
    String oneLine = text.replace('\n', ' ').replace('\r', ' ');
    return oneLine.length() <= SHOW_CHARS ? oneLine : oneLine.substring(0, SHOW_CHARS) + "…";
  }
}
