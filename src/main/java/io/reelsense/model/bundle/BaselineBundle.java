package io.reelsense.model.bundle;

import io.reelsense.model.baseline.BaselineClassifier;
import io.reelsense.model.baseline.BaselineModel;
import io.reelsense.model.baseline.LinearHeads;
import io.reelsense.model.baseline.TfidfVectorizer;
import io.reelsense.text.CleaningProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the TF-IDF baseline bundles ({@code tfidf-lr}, {@code tfidf-nb}): {@code
 * vectorizer.bin.gz} (settings, vocabulary, idf) and one gzip'd linear model per head.
 */
final class BaselineBundle {

  private BaselineBundle() {}

  /** The files a baseline bundle of this manifest must list. */
  static List<String> requiredFiles(BundleManifest manifest) {
    List<String> required = new ArrayList<>();
    required.add(Bundles.VECTORIZER_FILE);
    required.addAll(headFiles(manifest));
    return required;
  }

  /** The head files a bundle with linear heads on its own features must list for its tasks. */
  static List<String> headFiles(BundleManifest manifest) {
    List<String> heads = new ArrayList<>();
    if (manifest.tasks().contains(Bundles.TASK_SENTIMENT)) {
      heads.add(Bundles.SENTIMENT_FILE);
    }
    if (manifest.tasks().contains(Bundles.TASK_RATING)) {
      heads.add(Bundles.RATING_FILE);
    }
    return heads;
  }

  static BaselineClassifier load(Path dir) {
    BundleManifest manifest =
        BundleFiles.readManifest(dir, Bundles.BASELINE_KINDS, "a TF-IDF baseline");
    BundleFiles.verifyFiles(dir, manifest, requiredFiles(manifest));
    TfidfVectorizer vectorizer =
        BundleFiles.readModelFile(dir, Bundles.VECTORIZER_FILE, TfidfVectorizer::read);
    LinearHeads heads = BundleFiles.readHeads(dir, manifest);
    BaselineModel model;
    try {
      model = new BaselineModel(vectorizer, heads.sentiment(), heads.rating());
    } catch (IllegalArgumentException e) {
      throw BundleFiles.inconsistent(dir, e);
    }
    return new BaselineClassifier(
        BundleFiles.modelId(manifest), BundleFiles.cleaner(manifest.cleaning(), dir), model);
  }

  static BundleManifest write(
      Path dir,
      BaselineModel model,
      String kind,
      CleaningProfile cleaning,
      Map<String, Object> metrics,
      Map<String, Object> training,
      Map<String, String> data)
      throws IOException {
    if (!Bundles.BASELINE_KINDS.contains(kind)) {
      throw new IllegalArgumentException("not a baseline kind: " + kind);
    }
    Files.createDirectories(dir);
    Map<String, List<String>> labels = new LinkedHashMap<>();
    Map<String, String> files = new LinkedHashMap<>();
    BundleFiles.writeModelFile(dir, Bundles.VECTORIZER_FILE, model.vectorizer()::write, files);
    BundleFiles.writeHeads(dir, model.sentiment(), model.rating(), labels, files);
    return BundleFiles.writeManifest(
        dir, kind, labels, cleaning.label(), metrics, training, data, files, null, null, null);
  }
}
