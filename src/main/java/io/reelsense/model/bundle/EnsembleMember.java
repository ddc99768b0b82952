package io.reelsense.model.bundle;

/**
 * One member of an ensemble bundle, as its manifest lists it: a complete bundle in {@code
 * members/<name>/} and its weights in the average of class probabilities (both 1 in an ensemble
 * that stacks: its heads weigh the members).
 *
 * @param name the member's folder under {@code members/}
 * @param kind the member bundle's kind (as its own manifest says)
 * @param sentimentWeight its weight in the average of positive probabilities
 * @param ratingWeight its weight in the average of rating distributions
 */
public record EnsembleMember(
    String name, String kind, double sentimentWeight, double ratingWeight) {}
