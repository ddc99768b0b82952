package io.reelsense.model.bundle;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One member of an ensemble bundle, as its manifest lists it: a complete bundle in {@code
 * members/<name>/} and its weights in the average of class probabilities (both 1 in an ensemble
 * that stacks: its heads weigh the members).
 *
 * @param name the member's folder under {@code members/}
 * @param kind the member bundle's kind (as its own manifest says)
 * @param sentimentWeight its weight in the average of positive probabilities
 * @param ratingWeight its weight in the average of rating distributions
 * @param stackCoverage true when the stacking heads also read how much of a text this TF-IDF
 *     member's vocabulary covers (its coverage features); absent (null) otherwise, as in every
 *     ensemble written before these features existed
 */
public record EnsembleMember(
    String name,
    String kind,
    double sentimentWeight,
    double ratingWeight,
    @JsonInclude(JsonInclude.Include.NON_NULL) Boolean stackCoverage) {

  /** A member whose coverage the heads do not read. */
  public EnsembleMember(String name, String kind, double sentimentWeight, double ratingWeight) {
    this(name, kind, sentimentWeight, ratingWeight, null);
  }

  /** Whether the stacking heads read this member's coverage features. */
  public boolean coverage() {
    return Boolean.TRUE.equals(stackCoverage);
  }
}
