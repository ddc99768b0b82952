package io.reelsense.model.bundle;

import ai.djl.Device;
import io.reelsense.model.ReviewClassifier;
import io.reelsense.model.baseline.BaselineClassifier;
import io.reelsense.model.baseline.BaselineModel;
import io.reelsense.model.baseline.LinearHeads;
import io.reelsense.model.encoder.Devices;
import io.reelsense.model.encoder.EncoderClassifier;
import io.reelsense.model.encoder.EncoderModel;
import io.reelsense.model.encoder.Precision;
import io.reelsense.model.ensemble.EnsembleClassifier;
import io.reelsense.text.CleaningProfile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one way in and out of model bundles: a facade over one reader/writer per kind. A bundle is a
 * directory holding everything needed to classify reviews with one trained model: {@code
 * manifest.json} (see {@link BundleManifest}) and the model files it lists with their sha256; the
 * format is described in {@code docs/bundle-format.md}. Kinds:
 *
 * <ul>
 *   <li>{@code tfidf-lr}, {@code tfidf-nb} (the TF-IDF baseline): {@code vectorizer.bin.gz}
 *       (settings, vocabulary, idf) and one gzip'd binary linear model per head ({@code
 *       sentiment.bin.gz}, {@code rating.bin.gz});
 *   <li>{@code encoder} (a BERT encoder, frozen or fine-tuned, with linear heads on its pooled
 *       vector): {@code encoder/config.json} + {@code encoder/model.safetensors} (a Hugging Face
 *       checkpoint directory, loadable by {@code transformers}' {@code from_pretrained}), {@code
 *       encoder/tokenizer.json}, the heads as for the baseline, and pooling, normalization, prefix,
 *       max length and truncation in the manifest;
 *   <li>{@code ensemble}: complete member bundles in {@code members/<name>/} (any kind but
 *       ensemble) and either stacking heads ({@code sentiment.bin.gz}, {@code rating.bin.gz}, as
 *       for the baseline, over the features {@link EnsembleClassifier#stackFeatures} makes of the
 *       members' scores; every member's weight is then 1) or, without them, the weights of an
 *       average of the members' class probabilities in the manifest's {@code members} list (one set
 *       for sentiment, one for rating); the files map holds each member's {@code manifest.json},
 *       whose own files map covers the rest.
 * </ul>
 *
 * <p>Loading checks the format version, the kind, every member name and every listed file (present,
 * inside the bundle's real folder with symbolic links followed, same sha256), bounds every length
 * read from a model file before allocating, and fails with a {@link BundleException} naming the
 * file otherwise.
 */
public final class Bundles {

  /**
   * The bundle format this code writes: 2 since an ensemble may stack (a version-1 reader would
   * ignore the stacking heads and average the members instead, so it must refuse these bundles).
   */
  public static final int FORMAT_VERSION = 2;

  /** The oldest format this code reads: version 1 is version 2 without stacking ensembles. */
  public static final int OLDEST_FORMAT_VERSION = 1;

  public static final String MANIFEST = "manifest.json";
  public static final String VECTORIZER_FILE = "vectorizer.bin.gz";
  public static final String SENTIMENT_FILE = "sentiment.bin.gz";
  public static final String RATING_FILE = "rating.bin.gz";

  public static final String TASK_SENTIMENT = "sentiment";
  public static final String TASK_RATING = "rating";

  /** Kinds of bundle made of a TF-IDF vectorizer and linear heads. */
  public static final Set<String> BASELINE_KINDS = Set.of("tfidf-lr", "tfidf-nb");

  /** A BERT encoder (frozen or fine-tuned) with linear heads on its pooled vector. */
  public static final String ENCODER_KIND = "encoder";

  /** The encoder's Hugging Face checkpoint directory inside an encoder bundle. */
  public static final String ENCODER_DIR = "encoder";

  /** The encoder's tokenizer inside an encoder bundle. */
  public static final String TOKENIZER_FILE = ENCODER_DIR + "/tokenizer.json";

  /** Several bundles whose class probabilities are averaged. */
  public static final String ENSEMBLE_KIND = "ensemble";

  /** Where an ensemble keeps its member bundles. */
  public static final String MEMBERS_DIR = "members";

  private Bundles() {}

  /**
   * Loads the bundle in {@code dir} as a classifier: the sentiment head and, when present, the
   * rating head; texts are cleaned with the bundle's cleaning profile first.
   */
  public static ReviewClassifier load(Path dir) {
    return load(dir, List.of());
  }

  /**
   * As {@link #load(Path)}, and fails naming the bundle when it lacks one of {@code requiredTasks}
   * ({@code sentiment}, {@code rating}), e.g. when the stream must emit stars.
   */
  public static ReviewClassifier load(Path dir, List<String> requiredTasks) {
    return load(dir, requiredTasks, "auto");
  }

  /**
   * As {@link #load(Path, List)}, with the device encoders run on: {@code auto} (the GPU when DJL
   * finds one, else the CPU), {@code cpu}, {@code gpu} or {@code gpu:N}. Bag-of-words bundles
   * ignore it.
   */
  public static ReviewClassifier load(Path dir, List<String> requiredTasks, String device) {
    return load(dir, requiredTasks, device, Precision.FP32);
  }

  /**
   * As {@link #load(Path, List, String)}, with encoders (an encoder bundle's, an ensemble's
   * members') in {@code precision}; fp16 is refused unless the device is a GPU.
   */
  public static ReviewClassifier load(
      Path dir, List<String> requiredTasks, String device, Precision precision) {
    BundleManifest manifest = readManifest(dir);
    for (String task : requiredTasks) {
      if (!manifest.tasks().contains(task)) {
        throw new BundleException(
            "bundle "
                + dir
                + " was trained for "
                + manifest.tasks()
                + ", not "
                + task
                + " (see "
                + dir.resolve(MANIFEST)
                + "); train one with --task "
                + task
                + " or --task both");
      }
    }
    if (BASELINE_KINDS.contains(manifest.kind())) {
      return loadBaseline(dir);
    }
    if (ENCODER_KIND.equals(manifest.kind())) {
      return loadEncoder(dir, device(device, dir), EncoderClassifier.DEFAULT_BATCH_SIZE, precision);
    }
    if (ENSEMBLE_KIND.equals(manifest.kind())) {
      return EnsembleBundle.load(dir, device, precision);
    }
    throw unknownKind(dir, manifest);
  }

  /** The kinds this build loads. */
  public static List<String> knownKinds() {
    List<String> kinds = new ArrayList<>(BASELINE_KINDS.stream().sorted().toList());
    kinds.add(ENCODER_KIND);
    kinds.add(ENSEMBLE_KIND);
    return kinds;
  }

  private static BundleException unknownKind(Path dir, BundleManifest manifest) {
    return new BundleException(
        "bundle "
            + dir.resolve(MANIFEST)
            + " is of kind '"
            + manifest.kind()
            + "', which this build cannot load (known: "
            + String.join(", ", knownKinds())
            + ")");
  }

  private static Device device(String option, Path dir) {
    try {
      return Devices.parse(option);
    } catch (IllegalArgumentException e) {
      throw new BundleException(
          "cannot load the encoder of bundle " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The files a bundle of this manifest's kind must list. */
  static List<String> requiredFiles(BundleManifest manifest) {
    if (BASELINE_KINDS.contains(manifest.kind())) {
      return BaselineBundle.requiredFiles(manifest);
    }
    if (ENCODER_KIND.equals(manifest.kind())) {
      return EncoderBundle.requiredFiles(manifest);
    }
    if (ENSEMBLE_KIND.equals(manifest.kind())) {
      return manifest.members() == null
          ? List.of()
          : manifest.members().stream().map(m -> EnsembleBundle.memberManifest(m.name())).toList();
    }
    return BaselineBundle.headFiles(manifest);
  }

  /** Reads and checks {@code manifest.json}: present, parseable, of this format version. */
  public static BundleManifest readManifest(Path dir) {
    return BundleFiles.readManifest(dir);
  }

  /** Loads a TF-IDF baseline bundle. */
  public static BaselineClassifier loadBaseline(Path dir) {
    return BaselineBundle.load(dir);
  }

  /**
   * A bundle to put in an ensemble.
   *
   * @param name its folder under {@code members/} (letters, digits, {@code . _ -})
   * @param bundle the bundle directory to copy
   * @param sentimentWeight its weight for the positive probability
   * @param ratingWeight its weight for the rating distribution
   */
  public record MemberSource(
      String name, Path bundle, double sentimentWeight, double ratingWeight, boolean coverage) {

    /** A member whose coverage the stacking heads do not read. */
    public MemberSource(String name, Path bundle, double sentimentWeight, double ratingWeight) {
      this(name, bundle, sentimentWeight, ratingWeight, false);
    }
  }

  /**
   * Writes an ensemble bundle into {@code dir}: each member bundle is checked (format version, not
   * itself an ensemble) and copied into {@code members/<name>/}.
   *
   * @param stack the stacking heads; null for an ensemble that averages with the members' weights
   */
  public static BundleManifest writeEnsemble(
      Path dir,
      List<MemberSource> sources,
      LinearHeads stack,
      Map<String, Object> metrics,
      Map<String, Object> training,
      Map<String, String> data)
      throws IOException {
    return EnsembleBundle.write(dir, sources, stack, metrics, training, data);
  }

  /**
   * Loads an ensemble bundle: every member (encoders on {@code device}) and the stacking heads or
   * the weights.
   */
  public static EnsembleClassifier loadEnsemble(Path dir, String device) {
    return EnsembleBundle.load(dir, device, Precision.FP32);
  }

  /**
   * Loads an encoder bundle as a classifier on {@code device}.
   *
   * @param batchSize texts per forward pass
   */
  public static EncoderClassifier loadEncoder(Path dir, Device device, int batchSize) {
    return EncoderBundle.load(dir, device, batchSize, Precision.FP32);
  }

  /**
   * Loads an encoder bundle as a classifier on {@code device}, its encoder in {@code precision}.
   *
   * @param batchSize texts per forward pass
   */
  public static EncoderClassifier loadEncoder(
      Path dir, Device device, int batchSize, Precision precision) {
    try {
      precision.checkRunsOn(device);
    } catch (IllegalArgumentException e) {
      throw new BundleException(
          "cannot load the encoder of bundle " + dir + ": " + e.getMessage(), e);
    }
    return EncoderBundle.load(dir, device, batchSize, precision);
  }

  /**
   * Reads an encoder bundle's parts (weights, tokenizer, settings, heads) without building the
   * encoder, e.g. to fine-tune it further or to write it elsewhere.
   */
  public static EncoderModel readEncoder(Path dir) {
    return EncoderBundle.read(dir);
  }

  /**
   * Writes an encoder bundle into {@code dir} (created if needed) and returns its manifest. Serves
   * both a frozen encoder with trained heads and a fine-tuned one.
   *
   * @param cleaning the cleaning profile the texts were trained with
   * @param metrics figures to record
   * @param training the training arguments
   * @param data sha256 of the training data files, by name
   */
  public static BundleManifest writeEncoder(
      Path dir,
      EncoderModel model,
      CleaningProfile cleaning,
      Map<String, Object> metrics,
      Map<String, Object> training,
      Map<String, String> data)
      throws IOException {
    return EncoderBundle.write(dir, model, cleaning, metrics, training, data);
  }

  /**
   * Writes a TF-IDF baseline bundle into {@code dir} (created if needed) and returns its manifest.
   *
   * @param kind {@code tfidf-lr} or {@code tfidf-nb}
   * @param cleaning the cleaning profile the texts were trained with
   * @param metrics figures to record
   * @param training the training arguments
   * @param data sha256 of the training data files, by name
   */
  public static BundleManifest writeBaseline(
      Path dir,
      BaselineModel model,
      String kind,
      CleaningProfile cleaning,
      Map<String, Object> metrics,
      Map<String, Object> training,
      Map<String, String> data)
      throws IOException {
    return BaselineBundle.write(dir, model, kind, cleaning, metrics, training, data);
  }

  /** The sha256 of a file, lower-case hex. */
  public static String sha256(Path file) throws IOException {
    return BundleFiles.sha256(file);
  }

  /**
   * The code version recorded in bundles: the jar manifest's Implementation-Version and {@code git
   * describe --always --dirty} of the working directory, joined with {@code +} when both are known
   * (e.g. {@code 0.1.0-SNAPSHOT+964a334}); {@code dev} when neither is.
   */
  public static String codeVersion() {
    return BundleFiles.codeVersion();
  }
}
