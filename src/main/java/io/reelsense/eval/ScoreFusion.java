package io.reelsense.eval;

import java.util.List;

/**
 * Late fusion of film-similarity models: each model scores the query film against every film, each
 * model's scores are standardized over the candidates (z-scores: cosines of a dense encoder and of
 * TF-IDF live on different scales), and the weighted sum ranks the films.
 */
public final class ScoreFusion {

  /** One model's similarity of a film with every film, by position. */
  public interface Scores {
    float[] of(int position);
  }

  private ScoreFusion() {}

  /**
   * Neighbours by the weighted sum of the models' standardized scores.
   *
   * @param weights one per model, any positive scale
   */
  public static GenrePrecision.Neighbours fused(List<Scores> models, double[] weights) {
    if (models.isEmpty() || models.size() != weights.length) {
      throw new IllegalArgumentException(
          models.size() + " models but " + weights.length + " weights");
    }
    return (q, k) -> {
      double[] sum = null;
      for (int m = 0; m < models.size(); m++) {
        float[] s = models.get(m).of(q);
        if (sum == null) {
          sum = new double[s.length];
        }
        double mean = 0;
        for (int i = 0; i < s.length; i++) {
          if (i != q) {
            mean += s[i];
          }
        }
        mean /= Math.max(1, s.length - 1);
        double var = 0;
        for (int i = 0; i < s.length; i++) {
          if (i != q) {
            var += (s[i] - mean) * (s[i] - mean);
          }
        }
        double sd = Math.sqrt(var / Math.max(1, s.length - 1));
        double scale = sd > 0 ? weights[m] / sd : 0;
        for (int i = 0; i < s.length; i++) {
          sum[i] += (s[i] - mean) * scale;
        }
      }
      return topK(sum, k, q);
    };
  }

  /** The positions of the {@code k} highest scores, best first (ties by position), but one. */
  public static int[] topK(double[] scores, int k, int exclude) {
    int keep = Math.min(k, scores.length - (exclude >= 0 && exclude < scores.length ? 1 : 0));
    if (keep <= 0) {
      return new int[0];
    }
    double[] best = new double[keep];
    int[] pos = new int[keep];
    int filled = 0;
    for (int i = 0; i < scores.length; i++) {
      if (i == exclude) {
        continue;
      }
      double s = scores[i];
      if (filled == keep && s <= best[keep - 1]) {
        continue;
      }
      int at = filled < keep ? filled++ : keep - 1;
      while (at > 0 && best[at - 1] < s) {
        best[at] = best[at - 1];
        pos[at] = pos[at - 1];
        at--;
      }
      best[at] = s;
      pos[at] = i;
    }
    return pos;
  }
}
