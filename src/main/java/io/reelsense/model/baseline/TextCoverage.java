package io.reelsense.model.baseline;

/**
 * How much of a text a TF-IDF vocabulary knows: of the text's tokens (as {@link
 * TfidfVectorizer#tokenize} splits it, stop words dropped), how many are a term of the vocabulary.
 * A TF-IDF model says little about a text whose words it never saw in training, so an ensemble can
 * read this to decide how far to trust it.
 *
 * @param tokens the text's tokens
 * @param known those that are vocabulary terms (single words; the smallest n-grams when the
 *     vocabulary has no single words)
 */
public record TextCoverage(int tokens, int known) {

  public TextCoverage {
    if (tokens < 0 || known < 0 || known > tokens) {
      throw new IllegalArgumentException(known + " known of " + tokens + " tokens");
    }
  }

  /** The share of the tokens the vocabulary knows, in [0, 1]; 0 for a text without tokens. */
  public double fraction() {
    return tokens == 0 ? 0 : (double) known / tokens;
  }

  /** The text's length as {@code ln(1 + tokens)}. */
  public double logLength() {
    return Math.log1p(tokens);
  }
}
