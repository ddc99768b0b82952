package io.reelsense.model.baseline;

/**
 * The fitted TF-IDF baseline: one vectorizer and up to two linear heads over its features.
 *
 * @param vectorizer text to TF-IDF features
 * @param sentiment classes 0 (negative) and 1 (positive); null when not trained
 * @param rating classes are stars (1-4, 7-10); null when not trained
 */
public record BaselineModel(TfidfVectorizer vectorizer, LinearModel sentiment, LinearModel rating) {

  public BaselineModel {
    if (sentiment == null && rating == null) {
      throw new IllegalArgumentException("a baseline model needs a sentiment or a rating head");
    }
    checkHead("sentiment", sentiment, vectorizer);
    checkHead("rating", rating, vectorizer);
  }

  private static void checkHead(String name, LinearModel head, TfidfVectorizer vectorizer) {
    if (head != null && head.dimension() != vectorizer.dimension()) {
      throw new IllegalArgumentException(
          name
              + " head has "
              + head.dimension()
              + " weights per class but the vectorizer "
              + vectorizer.dimension()
              + " features");
    }
  }
}
