package io.reelsense.model.encoder;

import io.reelsense.model.weights.Architecture;
import io.reelsense.model.weights.BertCheckpoint;
import io.reelsense.model.weights.NamedTensor;
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
