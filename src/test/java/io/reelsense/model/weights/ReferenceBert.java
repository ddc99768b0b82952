package io.reelsense.model.weights;

/**
 * A plain-Java BERT forward pass over a {@link BertCheckpoint} (one sequence, no padding, double
 * accumulators): slow, simple and independent of DJL, to check an imported checkpoint against a
 * reference runtime.
 */
final class ReferenceBert {

  private final BertCheckpoint cp;
  private final BertConfig c;
  private final boolean tanhGelu;

  /** With the checkpoint's own activation. */
  ReferenceBert(BertCheckpoint cp) {
    this(cp, cp.config().hiddenAct().equals(BertConfig.GELU_TANH));
  }

  /**
   * @param tanhGelu the tanh approximation of GELU (Google's TensorFlow BERT) rather than the exact
   *     erf form (Hugging Face's {@code gelu})
   */
  ReferenceBert(BertCheckpoint cp, boolean tanhGelu) {
    this.cp = cp;
    this.c = cp.config();
    this.tanhGelu = tanhGelu;
  }

  /** The last hidden state, [tokens][hidden]. */
  float[][] sequenceOutput(int[] ids, int[] types) {
    int n = ids.length;
    int h = c.hiddenSize();
    float[] word = w("embeddings.word_embeddings.weight");
    float[] pos = w("embeddings.position_embeddings.weight");
    float[] typ = w("embeddings.token_type_embeddings.weight");
    float[][] x = new float[n][h];
    for (int t = 0; t < n; t++) {
      for (int j = 0; j < h; j++) {
        x[t][j] = word[ids[t] * h + j] + pos[t * h + j] + typ[types[t] * h + j];
      }
    }
    x = layerNorm(x, "embeddings.LayerNorm");
    for (int l = 0; l < c.numLayers(); l++) {
      String p = "encoder.layer." + l + ".";
      float[][] q = linear(x, p + "attention.self.query");
      float[][] k = linear(x, p + "attention.self.key");
      float[][] v = linear(x, p + "attention.self.value");
      float[][] ctx = new float[n][h];
      int hs = c.headSize();
      double scale = 1.0 / Math.sqrt(hs);
      for (int head = 0; head < c.numHeads(); head++) {
        int o = head * hs;
        for (int i = 0; i < n; i++) {
          double[] s = new double[n];
          double max = Double.NEGATIVE_INFINITY;
          for (int j = 0; j < n; j++) {
            double d = 0;
            for (int e = 0; e < hs; e++) {
              d += q[i][o + e] * k[j][o + e];
            }
            s[j] = d * scale;
            max = Math.max(max, s[j]);
          }
          double sum = 0;
          for (int j = 0; j < n; j++) {
            s[j] = Math.exp(s[j] - max);
            sum += s[j];
          }
          for (int e = 0; e < hs; e++) {
            double acc = 0;
            for (int j = 0; j < n; j++) {
              acc += s[j] * v[j][o + e];
            }
            ctx[i][o + e] = (float) (acc / sum);
          }
        }
      }
      float[][] a = add(linear(ctx, p + "attention.output.dense"), x);
      x = layerNorm(a, p + "attention.output.LayerNorm");
      float[][] inter = linear(x, p + "intermediate.dense");
      for (float[] row : inter) {
        for (int j = 0; j < row.length; j++) {
          row[j] = gelu(row[j]);
        }
      }
      x = layerNorm(add(linear(inter, p + "output.dense"), x), p + "output.LayerNorm");
    }
    return x;
  }

  /** tanh(W · first token + b). */
  float[] pooled(float[][] sequence) {
    float[] out = linear(new float[][] {sequence[0]}, "pooler.dense")[0];
    for (int j = 0; j < out.length; j++) {
      out[j] = (float) Math.tanh(out[j]);
    }
    return out;
  }

  private float gelu(float x) {
    if (tanhGelu) {
      return (float)
          (0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x))));
    }
    return (float) (0.5 * x * (1 + erf(x / Math.sqrt(2))));
  }

  /** erf: Taylor series below 3, the erfc continued fraction above (both to ~1e-15). */
  static double erf(double z) {
    double a = Math.abs(z);
    double r;
    if (a < 3) {
      double term = a;
      double sum = a;
      for (int k = 1; k < 200; k++) {
        term *= -a * a / k;
        double add = term / (2 * k + 1);
        sum += add;
        if (Math.abs(add) < 1e-17) {
          break;
        }
      }
      r = 2 / Math.sqrt(Math.PI) * sum;
    } else {
      // erfc continued fraction (Lentz), accurate for a >= 3
      double f = a;
      for (int k = 60; k >= 1; k--) {
        f = a + (k / 2.0) / f;
      }
      r = 1 - Math.exp(-a * a) / Math.sqrt(Math.PI) / f;
    }
    return z < 0 ? -r : r;
  }

  private float[] w(String name) {
    return cp.tensor(name).data();
  }

  private float[][] linear(float[][] x, String prefix) {
    NamedTensor wt = cp.tensor(prefix + ".weight");
    float[] w = wt.data();
    float[] b = w(prefix + ".bias");
    int out = (int) wt.shape()[0];
    int in = (int) wt.shape()[1];
    float[][] y = new float[x.length][out];
    for (int t = 0; t < x.length; t++) {
      float[] xt = x[t];
      for (int o = 0; o < out; o++) {
        double acc = b[o];
        int base = o * in;
        for (int i = 0; i < in; i++) {
          acc += xt[i] * w[base + i];
        }
        y[t][o] = (float) acc;
      }
    }
    return y;
  }

  private static float[][] add(float[][] a, float[][] b) {
    for (int t = 0; t < a.length; t++) {
      for (int j = 0; j < a[t].length; j++) {
        a[t][j] += b[t][j];
      }
    }
    return a;
  }

  private float[][] layerNorm(float[][] x, String prefix) {
    float[] g = w(prefix + ".weight");
    float[] b = w(prefix + ".bias");
    float[][] y = new float[x.length][];
    for (int t = 0; t < x.length; t++) {
      double mean = 0;
      for (float f : x[t]) {
        mean += f;
      }
      mean /= x[t].length;
      double var = 0;
      for (float f : x[t]) {
        var += (f - mean) * (f - mean);
      }
      var /= x[t].length;
      double inv = 1 / Math.sqrt(var + c.layerNormEps());
      y[t] = new float[x[t].length];
      for (int j = 0; j < x[t].length; j++) {
        y[t][j] = (float) ((x[t][j] - mean) * inv * g[j] + b[j]);
      }
    }
    return y;
  }
}
