package io.reelsense.model.ensemble;

import io.reelsense.model.ReviewScores;
import io.reelsense.model.ScoringClassifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Averages the class probabilities of several models: the positive probability with one set of
 * weights, the rating distribution with another (weights fitted on validation by the trainer). Each
 * member cleans and encodes texts its own way. Closing it closes the members.
 */
public final class EnsembleClassifier implements ScoringClassifier {

  private final String modelId;
  private final List<ScoringClassifier> members;
  private final double[] sentimentWeights;
  private final double[] ratingWeights;
  private final List<String> tasks;

  /**
   * @param members the models, owned (closed) by the ensemble from now on
   * @param sentimentWeights one non-negative weight per member, not all zero
   * @param ratingWeights one non-negative weight per member, not all zero; ignored unless every
   *     member has a rating head
   */
  public EnsembleClassifier(
      String modelId,
      List<ScoringClassifier> members,
      double[] sentimentWeights,
      double[] ratingWeights) {
    if (members.isEmpty()) {
      throw new IllegalArgumentException("an ensemble needs at least one member");
    }
    this.modelId = modelId;
    this.members = List.copyOf(members);
    this.sentimentWeights = normalized(sentimentWeights, members.size(), "sentiment");
    this.ratingWeights = normalized(ratingWeights, members.size(), "rating");
    List<String> common = new ArrayList<>(List.of("sentiment", "rating"));
    for (ScoringClassifier m : members) {
      common.retainAll(m.tasks());
    }
    if (!common.contains("sentiment")) {
      // every member yields a positive probability, from its sentiment head or its rating head
      common.add(0, "sentiment");
    }
    this.tasks = List.copyOf(common);
  }

  /** Weights divided by their sum; an error naming the task when one is negative or all are 0. */
  public static double[] normalized(double[] weights, int members, String task) {
    if (weights.length != members) {
      throw new IllegalArgumentException(
          weights.length + " " + task + " weights for " + members + " members");
    }
    double sum = 0;
    for (double w : weights) {
      if (!(w >= 0)) {
        throw new IllegalArgumentException(
            task + " weights must be >= 0: " + Arrays.toString(weights));
      }
      sum += w;
    }
    if (sum <= 0) {
      throw new IllegalArgumentException(task + " weights are all 0");
    }
    double[] out = new double[weights.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = weights[i] / sum;
    }
    return out;
  }

  @Override
  public String modelId() {
    return modelId;
  }

  @Override
  public List<String> tasks() {
    return tasks;
  }

  /** The members, in order. */
  public List<ScoringClassifier> members() {
    return members;
  }

  @Override
  public List<ReviewScores> score(List<String> texts) {
    boolean rating = tasks.contains("rating");
    List<List<ReviewScores>> perMember = new ArrayList<>(members.size());
    for (int m = 0; m < members.size(); m++) {
      boolean needed = sentimentWeights[m] > 0 || (rating && ratingWeights[m] > 0);
      // a member with no weight is not run (an encoder on the CPU is costly)
      perMember.add(needed ? members.get(m).score(texts) : null);
    }
    List<ReviewScores> out = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      List<ReviewScores> row = new ArrayList<>(members.size());
      for (List<ReviewScores> m : perMember) {
        row.add(m == null ? null : m.get(i));
      }
      out.add(combine(row, sentimentWeights, ratingWeights, rating));
    }
    return out;
  }

  /**
   * The weighted average of members' scores (weights already summing to 1): positive probabilities
   * always, rating distributions when {@code rating} (every member must then have one, over the
   * same classes). Members of weight 0 are skipped (their scores may be null).
   */
  public static ReviewScores combine(
      List<ReviewScores> scores,
      double[] sentimentWeights,
      double[] ratingWeights,
      boolean rating) {
    double positive = 0;
    for (int m = 0; m < scores.size(); m++) {
      if (sentimentWeights[m] > 0) {
        positive += sentimentWeights[m] * scores.get(m).positive();
      }
    }
    if (!rating) {
      return new ReviewScores(positive, null, null);
    }
    int[] classes = null;
    for (int m = 0; m < scores.size() && classes == null; m++) {
      if (ratingWeights[m] > 0) {
        classes = scores.get(m).ratingClasses();
      }
    }
    double[] dist = new double[classes.length];
    for (int m = 0; m < scores.size(); m++) {
      if (ratingWeights[m] == 0) {
        continue;
      }
      ReviewScores s = scores.get(m);
      if (!Arrays.equals(s.ratingClasses(), classes)) {
        throw new IllegalStateException(
            "members rate over different classes: "
                + Arrays.toString(classes)
                + " and "
                + Arrays.toString(s.ratingClasses()));
      }
      for (int k = 0; k < dist.length; k++) {
        dist[k] += ratingWeights[m] * s.rating()[k];
      }
    }
    return new ReviewScores(positive, classes, dist);
  }

  @Override
  public void close() {
    RuntimeException first = null;
    for (ScoringClassifier m : members) {
      try {
        m.close();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
