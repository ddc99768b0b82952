package io.reelsense.train;

import io.reelsense.data.Review;
import io.reelsense.model.ReviewScores;
import io.reelsense.model.baseline.TextCoverage;
import io.reelsense.model.ensemble.EnsembleClassifier;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The members' scores of a list of reviews and, for the members whose coverage the heads read, each
 * review's coverage (null for the others).
 */
final class MemberRows {
  final List<List<ReviewScores>> scores;
  final List<List<TextCoverage>> coverage;

  MemberRows(int members) {
    this(new ArrayList<>(members), new ArrayList<>(members));
  }

  private MemberRows(List<List<ReviewScores>> scores, List<List<TextCoverage>> coverage) {
    this.scores = scores;
    this.coverage = coverage;
  }

  void add(
      LoadedMember member,
      boolean covered,
      String split,
      List<Review> all,
      int n,
      EnsembleTrainer.Options o,
      String name,
      Progress progress)
      throws IOException {
    scores.add(member.scores(split, all, n, o, name, progress));
    coverage.add(covered ? member.coverage(all, n) : null);
  }

  /** These reviews, then {@code next}'s. */
  MemberRows then(MemberRows next) {
    MemberRows out = new MemberRows(scores.size());
    for (int m = 0; m < scores.size(); m++) {
      List<ReviewScores> s = new ArrayList<>(scores.get(m));
      s.addAll(next.scores.get(m));
      out.scores.add(s);
      List<TextCoverage> c = null;
      if (coverage.get(m) != null) {
        c = new ArrayList<>(coverage.get(m));
        c.addAll(next.coverage.get(m));
      }
      out.coverage.add(c);
    }
    return out;
  }

  /** The stacking features of review {@code i}, as the ensemble computes them when serving. */
  float[] features(int i, boolean rating) {
    return EnsembleClassifier.stackFeatures(row(scores, i), coverageRow(coverage, i), rating);
  }

  /** The member scores of one review, in member order. */
  static List<ReviewScores> row(List<List<ReviewScores>> scores, int i) {
    List<ReviewScores> row = new ArrayList<>(scores.size());
    for (List<ReviewScores> s : scores) {
      row.add(s.get(i));
    }
    return row;
  }

  /** The coverage of review {@code i} by each member; null for the members without. */
  static List<TextCoverage> coverageRow(List<List<TextCoverage>> coverage, int i) {
    List<TextCoverage> row = new ArrayList<>(coverage.size());
    for (List<TextCoverage> c : coverage) {
      row.add(c == null ? null : c.get(i));
    }
    return row;
  }
}
