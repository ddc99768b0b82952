package io.reelsense.model.bundle;

import ai.djl.Device;
import io.reelsense.model.baseline.LinearModel;
import io.reelsense.model.encoder.EncoderClassifier;
import io.reelsense.model.encoder.EncoderModel;
import io.reelsense.model.encoder.HubClassificationHead;
import io.reelsense.model.encoder.Pooling;
import io.reelsense.model.encoder.Precision;
import io.reelsense.model.tokenizer.Truncation;
import io.reelsense.model.weights.BertCheckpoint;
import io.reelsense.model.weights.BertConfig;
import io.reelsense.model.weights.HfCheckpoint;
import io.reelsense.text.CleaningProfile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes encoder bundles: a Hugging Face checkpoint directory ({@code
 * encoder/config.json}, {@code encoder/model.safetensors}), {@code encoder/tokenizer.json}, the
 * linear heads on the pooled vector, and pooling, normalization, prefix, max length and truncation
 * in the manifest.
 */
final class EncoderBundle {

  static final String CONFIG = Bundles.ENCODER_DIR + "/" + HfCheckpoint.CONFIG;
  static final String WEIGHTS = Bundles.ENCODER_DIR + "/" + HfCheckpoint.WEIGHTS;

  /**
   * Files the checkpoint reader opens when present though a bundle never lists them; each must stay
   * inside the bundle like the listed ones.
   */
  private static final List<String> UNLISTED =
      List.of(Bundles.ENCODER_DIR + "/vocab.txt", Bundles.ENCODER_DIR + "/" + HfCheckpoint.INDEX);

  private EncoderBundle() {}

  /** The files an encoder bundle of this manifest must list. */
  static List<String> requiredFiles(BundleManifest manifest) {
    List<String> required = new ArrayList<>(List.of(CONFIG, WEIGHTS, Bundles.TOKENIZER_FILE));
    required.addAll(BaselineBundle.headFiles(manifest));
    return required;
  }

  static EncoderClassifier load(Path dir, Device device, int batchSize, Precision precision) {
    BundleManifest manifest = BundleFiles.readManifest(dir);
    EncoderModel model = read(dir);
    try {
      return EncoderClassifier.of(
          BundleFiles.modelId(manifest) + "/" + model.base(),
          model,
          BundleFiles.cleaner(manifest.cleaning(), dir),
          device,
          batchSize,
          precision);
    } catch (IllegalArgumentException e) {
      throw BundleFiles.inconsistent(dir, e);
    }
  }

  static EncoderModel read(Path dir) {
    BundleManifest manifest =
        BundleFiles.readManifest(dir, Set.of(Bundles.ENCODER_KIND), "an encoder");
    EncoderSection e = manifest.encoder();
    if (e == null || manifest.maxLength() == null || manifest.truncation() == null) {
      throw new BundleException(
          dir.resolve(Bundles.MANIFEST) + " lacks 'encoder', 'maxLength' or 'truncation'");
    }
    BundleFiles.verifyFiles(dir, manifest, requiredFiles(manifest));
    BundleFiles.inside(dir, Bundles.ENCODER_DIR);
    for (String name : UNLISTED) {
      BundleFiles.inside(dir, name);
    }
    BertCheckpoint checkpoint;
    try {
      checkpoint = HfCheckpoint.read(dir.resolve(Bundles.ENCODER_DIR));
    } catch (IOException ex) {
      throw new BundleException(
          "cannot read the encoder of bundle " + dir + ": " + ex.getMessage(), ex);
    }
    String tokenizer;
    Path tokenizerFile = dir.resolve(Bundles.TOKENIZER_FILE);
    try {
      tokenizer =
          Files.readString(BundleFiles.inside(dir, Bundles.TOKENIZER_FILE), StandardCharsets.UTF_8);
    } catch (IOException ex) {
      throw new BundleException("cannot read " + tokenizerFile + ": " + ex.getMessage(), ex);
    }
    try {
      Truncation.Strategy strategy = Truncation.Strategy.parse(manifest.truncation());
      Truncation truncation =
          new Truncation(
              strategy,
              manifest.maxLength(),
              strategy == Truncation.Strategy.HEAD_TAIL && e.headTokens() != null
                  ? e.headTokens()
                  : 0);
      Pooling pooling = Pooling.valueOf(e.pooling().toUpperCase(Locale.ROOT));
      return new EncoderModel(
          e.base(),
          checkpoint,
          tokenizer,
          pooling,
          e.normalize(),
          truncation,
          e.prefix(),
          e.frozen(),
          BundleFiles.readHeads(dir, manifest));
    } catch (IllegalArgumentException | NullPointerException ex) {
      throw BundleFiles.inconsistent(dir, ex);
    }
  }

  /**
   * What {@code encoder/} holds: the encoder and, when the bundle's sentiment head reads the first
   * token's raw hidden state (CLS pooling, not normalized) and has two classes, that head in the
   * architecture's own sequence-classification layout ({@link HubClassificationHead#export}), so
   * that {@code encoder/} loads in Hugging Face as {@code …ForSequenceClassification} with the
   * bundle's sentiment probabilities. A head over mean-pooled or normalized vectors has no such
   * layout: the checkpoint is written as it is.
   */
  static BertCheckpoint hubCheckpoint(EncoderModel model) {
    LinearModel sentiment = model.heads().sentiment();
    if (sentiment != null && model.pooling() == Pooling.CLS && !model.normalize()) {
      var exported = HubClassificationHead.export(model.checkpoint(), sentiment);
      if (exported.isPresent()) {
        return exported.get();
      }
    }
    return model.checkpoint();
  }

  static BundleManifest write(
      Path dir,
      EncoderModel model,
      CleaningProfile cleaning,
      Map<String, Object> metrics,
      Map<String, Object> training,
      Map<String, String> data)
      throws IOException {
    Files.createDirectories(dir.resolve(Bundles.ENCODER_DIR));
    Map<String, String> files = new LinkedHashMap<>();
    HfCheckpoint.write(hubCheckpoint(model), dir.resolve(Bundles.ENCODER_DIR), Map.of());
    Files.writeString(
        dir.resolve(Bundles.TOKENIZER_FILE), model.tokenizerJson(), StandardCharsets.UTF_8);
    for (String name : List.of(CONFIG, WEIGHTS, Bundles.TOKENIZER_FILE)) {
      files.put(name, BundleFiles.sha256(dir.resolve(name)));
    }
    Map<String, List<String>> labels = new LinkedHashMap<>();
    BundleFiles.writeHeads(dir, model.heads().sentiment(), model.heads().rating(), labels, files);
    Truncation t = model.truncation();
    BertConfig config = model.checkpoint().config();
    EncoderSection section =
        new EncoderSection(
            model.base(),
            model.pooling().name().toLowerCase(Locale.ROOT),
            model.normalize(),
            model.prefix(),
            t.strategy() == Truncation.Strategy.HEAD_TAIL ? t.headTokens() : null,
            model.frozen(),
            config.hiddenSize(),
            config.numLayers());
    return BundleFiles.writeManifest(
        dir,
        Bundles.ENCODER_KIND,
        labels,
        cleaning.label(),
        metrics,
        training,
        data,
        files,
        t,
        section,
        null);
  }
}
