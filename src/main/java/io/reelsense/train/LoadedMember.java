package io.reelsense.train;

import io.reelsense.data.Review;
import io.reelsense.model.ReviewScores;
import io.reelsense.model.ScoringClassifier;
import io.reelsense.model.baseline.BaselineClassifier;
import io.reelsense.model.baseline.TextCoverage;
import io.reelsense.model.bundle.BundleManifest;
import io.reelsense.model.bundle.Bundles;
import io.reelsense.model.encoder.EncoderClassifier;
import io.reelsense.model.encoder.EncoderModel;
import io.reelsense.model.encoder.ModelCatalog;
import io.reelsense.text.CleaningProfile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An ensemble member loaded for training: scores lists of reviews once, reusing what is cached (a
 * frozen encoder's pooled vectors, or the member's scores in {@link MemberScores}), and for a
 * TF-IDF member tells how much of each text its vocabulary covers.
 *
 * @param dir the member bundle
 * @param classifier the loaded member
 * @param encoder its encoder when it is one, else null
 * @param manifest its manifest
 */
record LoadedMember(
    Path dir, ScoringClassifier classifier, EncoderModel encoder, BundleManifest manifest)
    implements AutoCloseable {

  /** Loads the bundle in {@code dir}; encoders run on the options' device. */
  static LoadedMember open(Path dir, BundleManifest manifest, EnsembleTrainer.Options o) {
    if (Bundles.ENCODER_KIND.equals(manifest.kind())) {
      EncoderModel model = Bundles.readEncoder(dir);
      CleaningProfile cleaning = CleaningProfile.parse(manifest.cleaning());
      EncoderClassifier c =
          EncoderClassifier.of(
              manifest.kind() + "/" + model.base(),
              model,
              cleaning.cleaner()::clean,
              o.device(),
              EncoderClassifier.DEFAULT_BATCH_SIZE);
      return new LoadedMember(dir, c, model, manifest);
    }
    return new LoadedMember(
        dir, (ScoringClassifier) Bundles.load(dir, List.of(), "cpu"), null, manifest);
  }

  /** Whether it is a TF-IDF baseline, whose vocabulary coverage the stacking heads can read. */
  boolean hasVocabulary() {
    return classifier instanceof BaselineClassifier;
  }

  /**
   * The coverage of each of the first {@code n} reviews by its vocabulary, computed as the ensemble
   * computes it when it serves ({@link BaselineClassifier#coverage}).
   */
  List<TextCoverage> coverage(List<Review> reviews, int n) {
    BaselineClassifier baseline = (BaselineClassifier) classifier;
    List<TextCoverage> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(baseline.coverage(reviews.get(i).text()));
    }
    return out;
  }

  /**
   * Its scores of the first {@code n} of {@code all}, the reviews of {@code split} (the cache key
   * covers all of them, so a longer prefix later reuses these).
   */
  List<ReviewScores> scores(
      String split,
      List<Review> all,
      int n,
      EnsembleTrainer.Options o,
      String name,
      Progress progress)
      throws IOException {
    try (Progress.Bar bar = progress.start(name + " " + split, n)) {
      if (encoder != null && encoder.frozen() && isCatalog(encoder.base())) {
        CleaningProfile cleaning = CleaningProfile.parse(manifest.cleaning());
        List<String> texts = FrozenEncoderTrainer.clean(all, cleaning);
        String key =
            FrozenEncoderTrainer.cacheKey(
                ModelCatalog.get(encoder.base()).coordinates(),
                encoder.pooling(),
                encoder.normalize(),
                encoder.prefix(),
                cleaning,
                encoder.truncation(),
                split,
                texts);
        EncoderClassifier ec = (EncoderClassifier) classifier;
        List<float[]> vectors =
            new EmbeddingCache(o.cacheDir(), key)
                .vectors(texts, n, ec.embedder().dimension(), ec.embedder()::embed, bar)
                .vectors();
        List<ReviewScores> out = new ArrayList<>(n);
        for (float[] v : vectors) {
          out.add(ec.heads().scores(v));
        }
        return out;
      }
      boolean rating = manifest.tasks().contains(Bundles.TASK_RATING);
      List<String> texts = all.stream().map(Review::text).toList();
      List<float[]> packed =
          MemberScores.cache(o.cacheDir(), dir, split, texts)
              .vectors(
                  texts,
                  n,
                  MemberScores.dimension(rating),
                  chunk ->
                      classifier.score(chunk).stream()
                          .map(s -> MemberScores.pack(s, rating))
                          .toList(),
                  bar)
              .vectors();
      return packed.stream().map(MemberScores::unpack).toList();
    }
  }

  private static boolean isCatalog(String name) {
    return ModelCatalog.all().stream().anyMatch(p -> p.name().equals(name));
  }

  @Override
  public void close() {
    classifier.close();
  }
}
