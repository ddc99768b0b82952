package io.reelsense.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.reelsense.metrics.Metrics;
import io.reelsense.model.ReviewPrediction;
import io.reelsense.model.ReviewScores;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Prediction of a model being fine-tuned: class probabilities in length-sorted batches, and the
 * evaluation they give.
 */
final class FineTunePredictor {

  private final Progress progress;

  FineTunePredictor(Progress progress) {
    this.progress = progress;
  }

  /** An evaluation and the class probabilities behind it, one per review in order. */
  record Scored(Evaluation evaluation, List<ReviewScores> scores) {}

  /** Scores tokenized reviews in length-sorted batches; predictions in input order. */
  Scored evaluate(FineTuneModel model, FineTuneData.Encoded data, FineTuneOptions o, String task) {
    List<ReviewScores> scores = predict(model, data.ids(), o.evalBatchSize(), task);
    boolean sentimentHead = o.task().sentiment();
    List<ReviewPrediction> predictions =
        scores.stream().map(s -> prediction(s, sentimentHead)).toList();
    boolean rated = o.task().rating();
    return new Scored(
        Evaluation.of(data.labels(), rated ? data.stars() : null, predictions), scores);
  }

  /**
   * Class probabilities of the model for token ids (each {@code [CLS] … [SEP]}), in input order.
   */
  List<ReviewScores> predict(FineTuneModel model, List<long[]> ids, int batchSize, String task) {
    int[] lengths = ids.stream().mapToInt(a -> a.length).toArray();
    ReviewScores[] out = new ReviewScores[ids.size()];
    try (Progress.Bar bar = progress.start(task, ids.size())) {
      for (int[] batch : LengthBatches.byLength(lengths, batchSize)) {
        try (NDManager scope = model.encoder().newBatchManager()) {
          List<long[]> seqs = new ArrayList<>(batch.length);
          for (int i : batch) {
            seqs.add(ids.get(i));
          }
          Map<String, NDArray> logits = model.forward(model.encoder().pad(scope, seqs), false);
          float[] sentiment =
              logits.containsKey("sentiment")
                  ? logits.get("sentiment").softmax(1).toFloatArray()
                  : null;
          float[] rating =
              logits.containsKey("rating") ? logits.get("rating").softmax(1).toFloatArray() : null;
          for (int k = 0; k < batch.length; k++) {
            out[batch[k]] = scores(sentiment, rating, k);
          }
        }
        bar.step(batch.length);
      }
    }
    return List.of(out);
  }

  /**
   * One review's class probabilities from softmax rows (either may be null when its head is
   * absent): the positive probability of the sentiment head, else the rating mass from 7 stars up.
   */
  static ReviewScores scores(float[] sentiment, float[] rating, int row) {
    int[] classes = null;
    double[] stars = null;
    if (rating != null) {
      int n = Evaluation.STAR_CLASSES.length;
      classes = Evaluation.STAR_CLASSES.clone();
      stars = new double[n];
      for (int c = 0; c < n; c++) {
        stars[c] = rating[row * n + c];
      }
    }
    double positive =
        sentiment != null
            ? sentiment[row * 2 + 1]
            : new ReviewScores(0, classes, stars).positiveFromRating();
    return new ReviewScores(positive, classes, stars);
  }

  /**
   * The prediction of one review's probabilities: positive from 0.5 up (with a sentiment head; else
   * the side of the predicted stars), the most probable star class (the first on ties).
   */
  static ReviewPrediction prediction(ReviewScores s, boolean sentimentHead) {
    ReviewPrediction p = s.toPrediction();
    int label =
        sentimentHead ? (s.positive() >= 0.5 ? 1 : 0) : Metrics.sentimentOfStars(p.rating());
    return new ReviewPrediction(label, p.positiveProbability(), p.rating(), p.ratingProbability());
  }
}
