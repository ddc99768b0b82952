package io.reelsense.cli;

import io.reelsense.data.Film;
import io.reelsense.eval.FilmSimilarity;
import io.reelsense.eval.GenrePrecision;
import io.reelsense.eval.ScoreFusion;
import io.reelsense.model.similarity.FilmIndex;
import io.reelsense.model.similarity.SparseIndex;
import io.reelsense.train.Progress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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

  static final int K = 10;

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

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "Data directory holding wikipedia-movies.json.gz.")
  Path data;

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
    List<Film> catalog = FilmIndexes.catalog(data);
    List<Film> pool = FilmSimilarity.evaluable(catalog);
    if (pool.size() <= K) {
      throw new UserError(
          "only "
              + pool.size()
              + " films have a description and a genre; precision@"
              + K
              + " needs more than "
              + K);
    }
    List<Set<String>> genres = pool.stream().map(FilmSimilarity::genres).toList();
    int[] drawn = GenrePrecision.queries(pool.size(), queries, seed);
    Path repository = encoder.repository();
    Progress progress = Progress.bars(err());

    Map<String, Double> precision = new LinkedHashMap<>();
    Map<String, Double> seconds = new LinkedHashMap<>();
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "Genre precision@%d over %d films with a description and a genre (%d queries, seed"
                + " %d):%n",
            K,
            pool.size(),
            drawn.length,
            seed));
    for (String name : names) {
      long t0 = System.nanoTime();
      GenrePrecision.Neighbours neighbours = neighbours(name, catalog, pool, repository);
      GenrePrecision.Result r;
      try (Progress.Bar bar = progress.start("eval " + name, drawn.length)) {
        r = GenrePrecision.measure(genres, drawn, K, neighbours, bar::step);
      }
      double s = (System.nanoTime() - t0) / 1e9;
      precision.put(name, Math.round(r.precision() * 10000) / 10000.0);
      seconds.put(name, Math.round(s * 100) / 100.0);
      sb.append(String.format(Locale.ROOT, "  %-18s %.4f  (%.1f s)%n", name, r.precision(), s));
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("films", pool.size());
    json.put("queries", drawn.length);
    json.put("seed", seed);
    json.put("k", K);
    if (weights != null && !weights.isEmpty()) {
      json.put("weights", weights);
    }
    json.put("precision_at_10", precision);
    json.put("seconds", seconds);
    return Report.of(sb.toString(), json);
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

  private GenrePrecision.Neighbours fusion(
      String name, List<Film> catalog, List<Film> pool, Path repository) throws Exception {
    String[] parts = name.split("\\+");
    double[] w = new double[parts.length];
    if (weights == null || weights.isEmpty()) {
      java.util.Arrays.fill(w, 1.0);
    } else if (weights.size() != parts.length) {
      throw new UserError(
          "--weights has "
              + weights.size()
              + " weights but "
              + name
              + " joins "
              + parts.length
              + " models");
    } else {
      for (int i = 0; i < w.length; i++) {
        w[i] = weights.get(i);
        if (!(w[i] >= 0)) {
          throw new UserError("--weights must be 0 or more, got " + weights.get(i));
        }
      }
    }
    List<ScoreFusion.Scores> scores = new java.util.ArrayList<>();
    for (String part : parts) {
      if (part.equals("tfidf")) {
        SparseIndex tfidf = FilmSimilarity.tfidf(pool).index();
        scores.add(tfidf::scores);
      } else {
        FilmIndex index = FilmSimilarity.subset(encoderIndex(part, catalog, repository), pool);
        scores.add(index::scores);
      }
    }
    return ScoreFusion.fused(scores, w);
  }

  private FilmIndex encoderIndex(String name, List<Film> catalog, Path repository)
      throws Exception {
    return FilmIndexes.loadOrBuild(
            catalog,
            name,
            indexDir.resolve("films-" + name + ".idx"),
            encoder.device,
            repository,
            false,
            err())
        .index();
  }

  private GenrePrecision.Neighbours neighbours(
      String name, List<Film> catalog, List<Film> pool, Path repository) throws Exception {
    if (name.contains("+")) {
      return fusion(name, catalog, pool, repository);
    }
    switch (name) {
      case "random":
        return GenrePrecision.random(pool.size(), seed);
      case "tfidf":
        SparseIndex tfidf = FilmSimilarity.tfidf(pool).index();
        return (q, k) -> positions(tfidf.similarTo(q, k));
      default:
        FilmIndex all =
            FilmIndexes.loadOrBuild(
                    catalog,
                    name,
                    indexDir.resolve("films-" + name + ".idx"),
                    encoder.device,
                    repository,
                    false,
                    err())
                .index();
        FilmIndex index = FilmSimilarity.subset(all, pool);
        return (q, k) ->
            index.similarTo(q, k).stream().mapToInt(FilmIndex.Neighbour::position).toArray();
    }
  }

  private static int[] positions(List<SparseIndex.Scored> scored) {
    return scored.stream().mapToInt(SparseIndex.Scored::position).toArray();
  }
}
