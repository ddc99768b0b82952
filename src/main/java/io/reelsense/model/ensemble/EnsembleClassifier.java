package io.reelsense.model.ensemble;

import io.reelsense.model.ReviewScores;
import io.reelsense.model.ScoringClassifier;
import io.reelsense.model.baseline.BaselineClassifier;
import io.reelsense.model.baseline.LinearHeads;
import io.reelsense.model.baseline.TextCoverage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Combines the class probabilities of several models, in one of two ways fitted on validation by
 * the trainer: a weighted average (the positive probability with one set of weights, the rating
 * distribution with another), or stacking, where logistic-regression heads read every member's
 * log-odds of positive and log rating probabilities ({@link #stackFeatures}) and, for the TF-IDF
 * members marked so, their log-odds times how much of the text their vocabulary covers and times
 * how long it is (so the heads can learn to trust a TF-IDF member only on text whose words it
 * knows). Each member cleans and encodes texts its own way. Closing it closes the members.
 */
public final class EnsembleClassifier implements ScoringClassifier {

  private final String modelId;
  private final List<ScoringClassifier> members;
  private final double[] sentimentWeights;
  private final double[] ratingWeights;
  private final LinearHeads stack;
  private final boolean[] coverage;
  private final List<String> tasks;

  /**
   * Coverage features per marked member: its log-odds times the text's coverage, and times the
   * text's log length. Only products: coverage and length alone would let the heads shift the class
   * prior by length, which on IMDb (long texts, near-full coverage) is fitted on a range far from
   * short text of other domains and extrapolates badly there.
   */
  public static final int COVERAGE_WIDTH = 2;

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
    this(modelId, members, sentimentWeights, ratingWeights, null);
  }

  /**
   * A stacked ensemble: every member runs, {@code stack} turns their scores into the ensemble's.
   *
   * @param members the models, owned (closed) by the ensemble from now on
   * @param stack heads over {@link #stackFeatures} of the members' scores; a rating head only if
   *     every member has one
   */
  public EnsembleClassifier(String modelId, List<ScoringClassifier> members, LinearHeads stack) {
    this(modelId, members, stack, new boolean[members.size()]);
  }

  /**
   * A stacked ensemble whose heads also read the coverage features of some TF-IDF members.
   *
   * @param members the models, owned (closed) by the ensemble from now on
   * @param stack heads over {@link #stackFeatures} of the members' scores and coverage
   * @param coverage per member, whether the heads read its coverage features; only a TF-IDF
   *     baseline ({@link BaselineClassifier}) can be marked
   */
  public EnsembleClassifier(
      String modelId, List<ScoringClassifier> members, LinearHeads stack, boolean[] coverage) {
    this(modelId, members, ones(members.size()), ones(members.size()), stack, coverage);
  }

  private EnsembleClassifier(
      String modelId,
      List<ScoringClassifier> members,
      double[] sentimentWeights,
      double[] ratingWeights,
      LinearHeads stack) {
    this(modelId, members, sentimentWeights, ratingWeights, stack, new boolean[members.size()]);
  }

  private EnsembleClassifier(
      String modelId,
      List<ScoringClassifier> members,
      double[] sentimentWeights,
      double[] ratingWeights,
      LinearHeads stack,
      boolean[] coverage) {
    if (members.isEmpty()) {
      throw new IllegalArgumentException("an ensemble needs at least one member");
    }
    if (coverage.length != members.size()) {
      throw new IllegalArgumentException(
          coverage.length + " coverage marks for " + members.size() + " members");
    }
    for (int m = 0; m < coverage.length; m++) {
      if (coverage[m] && !(members.get(m) instanceof BaselineClassifier)) {
        throw new IllegalArgumentException(
            "member "
                + m
                + " ("
                + members.get(m).modelId()
                + ") is not a TF-IDF baseline, so it has no vocabulary coverage");
      }
    }
    this.coverage = coverage.clone();
    this.modelId = modelId;
    this.members = List.copyOf(members);
    this.sentimentWeights = normalized(sentimentWeights, members.size(), "sentiment");
    this.ratingWeights = normalized(ratingWeights, members.size(), "rating");
    List<String> common = new ArrayList<>(List.of("sentiment", "rating"));
    for (ScoringClassifier m : members) {
      common.retainAll(m.tasks());
    }
    if (stack != null) {
      boolean rating = stack.rating() != null;
      if (rating && !common.contains("rating")) {
        throw new IllegalArgumentException(
            "the stacking heads rate, but not every member has a rating head");
      }
      int expected = stackDimension(rating, coverage);
      if (stack.dimension() != expected) {
        throw new IllegalArgumentException(
            "the stacking heads read "
                + stack.dimension()
                + " features, "
                + members.size()
                + " members"
                + (marked(coverage) > 0 ? " (with the coverage of " + marked(coverage) + ")" : "")
                + " give "
                + expected);
      }
      if (!rating) {
        common.remove("rating");
      }
    } else if (marked(coverage) > 0) {
      throw new IllegalArgumentException("coverage features need stacking heads");
    }
    this.stack = stack;
    if (!common.contains("sentiment")) {
      // every member yields a positive probability, from its sentiment head or its rating head
      common.add(0, "sentiment");
    }
    this.tasks = List.copyOf(common);
  }

  private static double[] ones(int n) {
    double[] w = new double[n];
    Arrays.fill(w, 1);
    return w;
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

  /** The stacking heads; null when the ensemble averages. */
  public LinearHeads stack() {
    return stack;
  }

  /** Per member, whether the stacking heads read its coverage features. */
  public boolean[] coverage() {
    return coverage.clone();
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
    boolean covered = marked(coverage) > 0;
    List<ReviewScores> out = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      List<ReviewScores> row = new ArrayList<>(members.size());
      for (List<ReviewScores> m : perMember) {
        row.add(m == null ? null : m.get(i));
      }
      if (stack == null) {
        out.add(combine(row, sentimentWeights, ratingWeights, rating));
      } else if (covered) {
        out.add(stack.scores(stackFeatures(row, coverageRow(texts.get(i)), rating)));
      } else {
        out.add(stack.scores(stackFeatures(row, rating)));
      }
    }
    return out;
  }

  /** The coverage of one text by each marked member; null for the others. */
  private List<TextCoverage> coverageRow(String text) {
    List<TextCoverage> row = new ArrayList<>(members.size());
    for (int m = 0; m < members.size(); m++) {
      row.add(coverage[m] ? ((BaselineClassifier) members.get(m)).coverage(text) : null);
    }
    return row;
  }

  /** How many members are marked. */
  public static int marked(boolean[] coverage) {
    int n = 0;
    for (boolean c : coverage) {
      n += c ? 1 : 0;
    }
    return n;
  }

  /** The number of stacking features of the members, {@code coverage} marking some. */
  public static int stackDimension(boolean rating, boolean[] coverage) {
    return coverage.length * stackWidth(rating) + marked(coverage) * COVERAGE_WIDTH;
  }

  /** Stacking features per member: 1, or 9 when the ensemble rates. */
  public static int stackWidth(boolean rating) {
    return rating ? 9 : 1;
  }

  /**
   * What the stacking heads read of one review: per member, in order, the log-odds of positive and,
   * when {@code rating}, the log probability of each star class (probabilities kept within [1e-6, 1
   * - 1e-6], so a member's certainty does not become an infinity).
   */
  public static float[] stackFeatures(List<ReviewScores> row, boolean rating) {
    return stackFeatures(row, Collections.nCopies(row.size(), null), rating);
  }

  /**
   * What the stacking heads read of one review: {@link #stackFeatures(List, boolean)}, then for
   * each member with a coverage (in order) {@value #COVERAGE_WIDTH} features, {@code c z} and
   * {@code L z}: the member's log-odds of positive {@code z} times the share {@code c} of the
   * text's tokens in its vocabulary, and times the text's length {@code L = ln(1 + tokens)}. The
   * heads' weight on the member is then {@code w + u c + v L}: they can trust it only where it
   * knows the words.
   *
   * @param coverage per member, the text's coverage by its vocabulary; null for members whose
   *     coverage the heads do not read
   */
  public static float[] stackFeatures(
      List<ReviewScores> row, List<TextCoverage> coverage, boolean rating) {
    if (coverage.size() != row.size()) {
      throw new IllegalArgumentException(
          coverage.size() + " coverages for " + row.size() + " members");
    }
    int width = stackWidth(rating);
    int covered = (int) coverage.stream().filter(Objects::nonNull).count();
    float[] x = new float[row.size() * width + covered * COVERAGE_WIDTH];
    for (int m = 0; m < row.size(); m++) {
      ReviewScores s = row.get(m);
      double p = clamp(s.positive());
      x[m * width] = (float) Math.log(p / (1 - p));
      if (rating) {
        if (!s.hasRating() || s.rating().length != width - 1) {
          throw new IllegalArgumentException(
              "member " + m + " gave no distribution over " + (width - 1) + " star classes");
        }
        for (int k = 0; k < width - 1; k++) {
          x[m * width + 1 + k] = (float) Math.log(clamp(s.rating()[k]));
        }
      }
    }
    int at = row.size() * width;
    for (int m = 0; m < row.size(); m++) {
      TextCoverage c = coverage.get(m);
      if (c == null) {
        continue;
      }
      double z = x[m * width];
      double share = c.fraction();
      double length = c.logLength();
      x[at++] = (float) (share * z);
      x[at++] = (float) (length * z);
    }
    return x;
  }

  private static double clamp(double p) {
    return Math.min(1 - 1e-6, Math.max(1e-6, p));
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
