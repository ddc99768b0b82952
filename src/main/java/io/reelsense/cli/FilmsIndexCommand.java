package io.reelsense.cli;

import io.reelsense.data.Film;
import io.reelsense.eval.FilmIndexCache;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code reelsense films index}: embeds the catalog's films once and caches the index. */
@Command(
    name = "index",
    mixinStandardHelpOptions = true,
    description = {
      "Embed every film of the catalog that has a description (the description without the"
          + " title it opens with) and save the index, so queries and evaluations do not embed again. An"
          + " index made by the same model from the same texts is reused.",
      "Example: reelsense films index --model bge-small --data ../shared/data"
    })
public final class FilmsIndexCommand extends ReportingCommand {

  @Option(
      names = "--model",
      defaultValue = "bge-small",
      paramLabel = "M",
      description =
          "bge-small, minilm-l6, e5-small or bert-base-uncased (default: ${DEFAULT-VALUE}).")
  String model;

  @Mixin FilmCatalogOption catalogOption;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Index file (default: models/films-<model>.idx).")
  Path out;

  @Option(names = "--force", description = "Embed again even when the index is up to date.")
  boolean force;

  @Mixin EncoderOptions encoder;

  @Override
  protected Report execute() throws Exception {
    if (model.trim().toLowerCase(Locale.ROOT).equals("tfidf")) {
      throw new UserError(
          "--model tfidf needs no index: TF-IDF is fitted in a second on every query");
    }
    String name = FilmIndexes.encoder(model);
    List<Film> catalog = catalogOption.catalog();
    Path file = out != null ? out : FilmIndexes.defaultFile(name);
    Path repository = encoder.repository();
    FilmIndexCache.Built built =
        FilmIndexes.loadOrBuild(catalog, name, file, encoder.device, repository, force, err());
    return Report.of(built.summary(name, file), built.toJson(name, file));
  }
}
