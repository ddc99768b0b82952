package io.reelsense.train;

import io.reelsense.model.baseline.LinearHeads;
import io.reelsense.model.baseline.LinearModel;
import io.reelsense.model.bundle.BundleManifest;
import io.reelsense.model.bundle.Bundles;
import io.reelsense.model.encoder.EncoderModel;
import io.reelsense.model.weights.NamedTensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Turns a fine-tuned model into an {@code encoder} bundle ({@link Bundles#writeEncoder}): the
 * fine-tuned encoder, its tokenizer, the model's pooling (not normalized: the heads were trained on
 * the raw pooled vector) and the heads as softmax linear models.
 */
public final class FineTuneBundles {

  private FineTuneBundles() {}

  /** The servable model of a completed run. */
  public static EncoderModel model(
      FineTuner.Base base, FineTuneOptions options, FineTuner.Result result) {
    LinearModel sentiment = head(result.heads(), "sentiment", new int[] {0, 1});
    LinearModel rating = head(result.heads(), "rating", Evaluation.STAR_CLASSES);
    return new EncoderModel(
        base.name(),
        result.encoder(),
        base.tokenizerJson(),
        base.pooling(),
        false,
        options.servingTruncation(),
        "",
        false,
        new LinearHeads(sentiment, rating));
  }

  /** Writes the bundle of a completed run into {@code dir}. */
  public static BundleManifest write(
      Path dir,
      FineTuner.Base base,
      FineTuneOptions options,
      FineTuner.Result result,
      Map<String, Object> metrics,
      Map<String, Object> training,
      Map<String, String> data)
      throws IOException {
    return Bundles.writeEncoder(
        dir, model(base, options, result), options.cleaning(), metrics, training, data);
  }

  private static LinearModel head(Map<String, NamedTensor> heads, String task, int[] classes) {
    NamedTensor w = heads.get(task + ".weight");
    NamedTensor b = heads.get(task + ".bias");
    if (w == null || b == null) {
      return null;
    }
    int rows = Math.toIntExact(w.shape()[0]);
    int cols = Math.toIntExact(w.shape()[1]);
    float[][] weights = new float[rows][cols];
    double[] intercepts = new double[rows];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(w.data(), r * cols, weights[r], 0, cols);
      intercepts[r] = b.data()[r];
    }
    return new LinearModel(classes, LinearModel.Link.SOFTMAX, weights, intercepts);
  }
}
