package io.reelsense.cli;

import io.reelsense.data.Film;
import io.reelsense.eval.EvalException;
import io.reelsense.eval.FilmGenreEvaluation;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code reelsense films eval}: genre precision@10 of film-similarity models. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = {
      "Genre precision@10: for seeded random films with a description and a genre, the share of"
          + " their 10 nearest films (among all such films) that share at least one genre, Silent,"
          + " Short, Independent and Black-and-white ignored. Encoders reuse (or build) the index"
          + " of reelsense films index.",
      "Example: reelsense films eval --models tfidf,random --data ../shared/data --json"
    })
public final class FilmsEvalCommand extends ReportingCommand {

  @Option(
      names = "--models",
      split = ",",
      defaultValue = "tfidf,random,bge-small,minilm-l6,e5-small",
      paramLabel = "M",
      description =
          "Comma-separated: tfidf, random, encoders, and fusions such as bge-small+tfidf"
              + " (standardized scores, weighted by --weights) (default: ${DEFAULT-VALUE}).")
  List<String> models;

  @Option(
      names = "--weights",
      split = ",",
      paramLabel = "W",
      description =
          "Weights of a fusion's models, in order (default: equal), e.g. 0.7,0.3 for"
              + " bge-small+tfidf.")
  List<Double> weights;

  @Option(
      names = "--queries",
      defaultValue = "2000",
      paramLabel = "N",
      description = "Query films (default: ${DEFAULT-VALUE}).")
  int queries;

  @Option(
      names = "--seed",
      defaultValue = "42",
      paramLabel = "S",
      description = "Seed of the query draw (default: ${DEFAULT-VALUE}).")
  long seed;

  @Mixin FilmCatalogOption catalogOption;

  @Option(
      names = "--index-dir",
      paramLabel = "DIR",
      defaultValue = "models",
      description = "Where encoder indexes are cached (default: ${DEFAULT-VALUE}).")
  Path indexDir;

  @Mixin EncoderOptions encoder;

  @Override
  protected Report execute() throws Exception {
    if (queries < 1) {
      throw new UserError("--queries must be at least 1, got " + queries);
    }
    List<String> names =
        models.stream()
            .map(m -> m.trim().toLowerCase(Locale.ROOT))
            .map(FilmsEvalCommand::canonical)
            .distinct()
            .toList();
    List<Film> catalog = catalogOption.catalog();
    try {
      FilmGenreEvaluation.Result result =
          FilmGenreEvaluation.run(
              catalog,
              names,
              weights,
              queries,
              seed,
              FilmIndexes.cached(
                  catalog, model -> indexDir.resolve("films-" + model + ".idx"), encoder, err()),
              FilmIndexes.bars(err()));
      return Report.of(result.summary(), result.toJson());
    } catch (EvalException e) {
      throw new UserError(e.getMessage(), e);
    }
  }

  /** tfidf, random, an encoder's canonical name, or a fusion {@code a+b} of those. */
  private static String canonical(String name) {
    if (name.contains("+")) {
      List<String> parts =
          java.util.Arrays.stream(name.split("\\+"))
              .map(String::trim)
              .map(FilmsEvalCommand::canonical)
              .toList();
      if (parts.contains("random") || parts.size() < 2) {
        throw new UserError("a fusion joins two or more of tfidf and encoders, got '" + name + "'");
      }
      return String.join("+", parts);
    }
    return name.equals("tfidf") || name.equals("random") ? name : FilmIndexes.encoder(name);
  }
}
