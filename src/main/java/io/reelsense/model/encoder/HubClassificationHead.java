package io.reelsense.model.encoder;

import io.reelsense.model.baseline.LinearModel;
import io.reelsense.model.weights.Architecture;
import io.reelsense.model.weights.BertCheckpoint;
import io.reelsense.model.weights.BertConfig;
import io.reelsense.model.weights.NamedTensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The sequence-classification head a hub checkpoint ships ({@code BertForSequenceClassification}
 * and its RoBERTa and DistilBERT kin), applied to the first token's last hidden state: a dense
 * layer, an activation, then the output layer that gives one logit per label.
 *
 * <ul>
 *   <li>BERT: {@code pooler.dense} + tanh, {@code classifier}
 *   <li>RoBERTa: {@code classifier.dense} + tanh, {@code classifier.out_proj}
 *   <li>DistilBERT: {@code pre_classifier} + ReLU, {@code classifier}
 * </ul>
 *
 * @param architecture which head this is (its activation)
 * @param dense the first layer's weight, {@code [H, H]}
 * @param denseBias its bias, {@code [H]}
 * @param out the output layer's weight, {@code [labels, H]}
 * @param outBias its bias, {@code [labels]}
 */
public record HubClassificationHead(
    Architecture architecture,
    NamedTensor dense,
    NamedTensor denseBias,
    NamedTensor out,
    NamedTensor outBias) {

  /** The head the checkpoint holds, if it holds a whole one. */
  public static Optional<HubClassificationHead> of(BertCheckpoint checkpoint) {
    Architecture a = checkpoint.config().architecture();
    String dense =
        switch (a) {
          case BERT -> "pooler.dense";
          case ROBERTA -> "classifier.dense";
          case DISTILBERT -> "pre_classifier";
        };
    String out = a == Architecture.ROBERTA ? "classifier.out_proj" : "classifier";
    var t = checkpoint.tensors();
    if (!t.containsKey(dense + ".weight")
        || !t.containsKey(dense + ".bias")
        || !t.containsKey(out + ".weight")
        || !t.containsKey(out + ".bias")) {
      return Optional.empty();
    }
    return Optional.of(
        new HubClassificationHead(
            a,
            t.get(dense + ".weight"),
            t.get(dense + ".bias"),
            t.get(out + ".weight"),
            t.get(out + ".bias")));
  }

  /**
   * {@code encoder}'s tensors with {@code sentiment} written as the architecture's own
   * sequence-classification head (any head it held before is dropped), so that Hugging Face's
   * {@code …ForSequenceClassification} and {@link #of} give the same class probabilities as {@code
   * sentiment} on the first token's last hidden state. Empty when {@code sentiment} is not a
   * two-class model (binary logistic or two-row softmax).
   *
   * <p>The hub heads have a dense layer and an activation before the output layer, where {@code
   * sentiment} is one linear layer; the dense layer is written so that it passes the vector
   * through. The first token's state is a layer norm's output, so every component lies within
   * {@code B = max_i(|gamma_i| sqrt(H - 1) + |beta_i|)} of 0. For ReLU (DistilBERT) the dense layer
   * is the identity with bias {@code B}, which keeps every input positive, and the output bias
   * takes {@code W B} back: exact up to float rounding. For tanh (BERT, RoBERTa) the dense layer is
   * {@code eps I} with {@code eps = 1e-3 / B}, where {@code tanh(y) = y} to a relative 3.4e-7, and
   * the output weights are divided by {@code eps}.
   *
   * <p>A binary logistic model's one score {@code z} becomes the two logits {@code (0, z)}, whose
   * softmax is {@code (1 - sigmoid(z), sigmoid(z))}.
   */
  public static Optional<BertCheckpoint> export(BertCheckpoint encoder, LinearModel sentiment) {
    int[] classes = sentiment.classes();
    boolean logistic = sentiment.link() == LinearModel.Link.LOGISTIC && sentiment.rows() == 1;
    boolean softmax = sentiment.link() == LinearModel.Link.SOFTMAX && sentiment.rows() == 2;
    if (classes.length != 2 || !(logistic || softmax)) {
      return Optional.empty();
    }
    BertConfig c = encoder.config();
    int h = c.hiddenSize();
    if (sentiment.dimension() != h) {
      throw new IllegalArgumentException(
          "the head takes " + sentiment.dimension() + " inputs but the encoder gives " + h);
    }
    String norm = "encoder.layer." + (c.numLayers() - 1) + ".output.LayerNorm.";
    float[] gamma = encoder.tensor(norm + "weight").data();
    float[] beta = encoder.tensor(norm + "bias").data();
    double bound = 0;
    for (int i = 0; i < h; i++) {
      bound = Math.max(bound, Math.abs(gamma[i]) * Math.sqrt(h - 1) + Math.abs(beta[i]));
    }
    bound = Math.max(bound, 1e-6);
    double[][] w = new double[2][h];
    double[] b = new double[2];
    if (logistic) {
      float[] row = sentiment.row(0);
      for (int j = 0; j < h; j++) {
        w[1][j] = row[j];
      }
      b[1] = sentiment.intercept(0);
    } else {
      for (int r = 0; r < 2; r++) {
        float[] row = sentiment.row(r);
        for (int j = 0; j < h; j++) {
          w[r][j] = row[j];
        }
        b[r] = sentiment.intercept(r);
      }
    }
    Architecture a = c.architecture();
    float[] dense = new float[h * h];
    float[] denseBias = new float[h];
    float[] out = new float[2 * h];
    float[] outBias = new float[2];
    if (a == Architecture.DISTILBERT) {
      for (int i = 0; i < h; i++) {
        dense[i * h + i] = 1f;
        denseBias[i] = (float) bound;
      }
      for (int r = 0; r < 2; r++) {
        double shift = 0;
        for (int j = 0; j < h; j++) {
          out[r * h + j] = (float) w[r][j];
          shift += (double) out[r * h + j] * denseBias[j];
        }
        outBias[r] = (float) (b[r] - shift);
      }
    } else {
      double eps = 1e-3 / bound;
      for (int i = 0; i < h; i++) {
        dense[i * h + i] = (float) eps;
      }
      for (int r = 0; r < 2; r++) {
        for (int j = 0; j < h; j++) {
          out[r * h + j] = (float) (w[r][j] / eps);
        }
        outBias[r] = (float) b[r];
      }
    }
    String densePrefix =
        switch (a) {
          case BERT -> "pooler.dense";
          case ROBERTA -> "classifier.dense";
          case DISTILBERT -> "pre_classifier";
        };
    String outPrefix = a == Architecture.ROBERTA ? "classifier.out_proj" : "classifier";
    Map<String, NamedTensor> tensors = new LinkedHashMap<>();
    encoder
        .tensors()
        .forEach(
            (name, t) -> {
              if (!isHead(name)) {
                tensors.put(name, t);
              }
            });
    put(tensors, densePrefix + ".weight", new long[] {h, h}, dense);
    put(tensors, densePrefix + ".bias", new long[] {h}, denseBias);
    put(tensors, outPrefix + ".weight", new long[] {2, h}, out);
    put(tensors, outPrefix + ".bias", new long[] {2}, outBias);
    return Optional.of(new BertCheckpoint(c, tensors));
  }

  /** Whether a tensor belongs to a classification head (BERT's pooler included). */
  static boolean isHead(String name) {
    return name.startsWith("classifier.")
        || name.startsWith("pre_classifier.")
        || name.startsWith("pooler.");
  }

  private static void put(Map<String, NamedTensor> tensors, String name, long[] shape, float[] v) {
    tensors.put(name, new NamedTensor(name, shape, v));
  }

  /** Number of labels. */
  public int labels() {
    return (int) out.shape()[0];
  }

  /** The logits of one sequence from its first token's last hidden state ({@code [H]}). */
  public float[] logits(float[] first) {
    float[] h = affine(dense, denseBias, first);
    for (int i = 0; i < h.length; i++) {
      // tanh for BERT and RoBERTa, ReLU for DistilBERT
      h[i] = architecture == Architecture.DISTILBERT ? Math.max(0f, h[i]) : (float) Math.tanh(h[i]);
    }
    return affine(out, outBias, h);
  }

  /** {@code W x + b} with W in PyTorch's {@code [out, in]} layout. */
  private static float[] affine(NamedTensor w, NamedTensor b, float[] x) {
    int rows = (int) w.shape()[0];
    int cols = (int) w.shape()[1];
    if (cols != x.length) {
      throw new IllegalArgumentException(
          w.name() + " takes " + cols + " inputs, got a vector of " + x.length);
    }
    float[] y = new float[rows];
    for (int r = 0; r < rows; r++) {
      double s = b.data()[r];
      for (int c = 0; c < cols; c++) {
        s += (double) w.data()[r * cols + c] * x[c];
      }
      y[r] = (float) s;
    }
    return y;
  }
}
