package io.reelsense.model.baseline;

/**
 * How much of a text a TF-IDF vocabulary knows: of the text's n-grams of the vocabulary's smallest
 * length (its tokens, as {@link TfidfVectorizer#tokenize} splits it with stop words dropped, when
 * the vocabulary holds single words), how many are terms. A TF-IDF model says little about a text
 * whose words it never saw in training, so an ensemble can read this to decide how far to trust it.
 *
 * @param tokens the text's tokens
 * @param grams its n-grams of the smallest configured length (the tokens for single words)
 * @param known those n-grams that are vocabulary terms
 */
public record TextCoverage(int tokens, int grams, int known) {

  public TextCoverage {
    if (tokens < 0 || grams < 0 || grams > tokens || known < 0 || known > grams) {
      throw new IllegalArgumentException(
          known + " known of " + grams + " n-grams of " + tokens + " tokens");
    }
  }

  /** The share of the n-grams the vocabulary knows, in [0, 1]; 0 for a text without any. */
  public double fraction() {
    return grams == 0 ? 0 : (double) known / grams;
  }

  /** The text's length as {@code ln(1 + tokens)}. */
  public double logLength() {
    return Math.log1p(tokens);
  }
}
