package io.reelsense.model.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** How much of a text a fitted TF-IDF vocabulary knows. */
class TextCoverageTest {

  private static final List<String> DOCS =
      List.of("a great film with great acting", "a dull film, dull plot", "the acting was great");

  private static TfidfVectorizer fit(int ngramMin, int ngramMax, Set<String> stop) {
    return TfidfVectorizer.fit(
            DOCS, new TfidfVectorizer.Config(ngramMin, ngramMax, 1, 0, true, stop))
        .vectorizer();
  }

  @Test
  void aTextOfVocabularyWordsIsCoveredAndOneOfUnknownWordsIsNot() {
    TfidfVectorizer v = fit(1, 3, Set.of());
    TextCoverage known = v.coverage("Great film, DULL plot with great acting");
    assertThat(known.tokens()).isEqualTo(7);
    assertThat(known.fraction()).isEqualTo(1.0);
    TextCoverage unknown = v.coverage("zesty ramen, friendly waiters");
    assertThat(unknown.tokens()).isEqualTo(4);
    assertThat(unknown.fraction()).isEqualTo(0.0);
    TextCoverage half = v.coverage("great ramen");
    assertThat(half.fraction()).isEqualTo(0.5);
    assertThat(half.logLength()).isEqualTo(Math.log1p(2));
    // single-character runs are not tokens, and an empty text covers nothing
    assertThat(v.coverage("").fraction()).isEqualTo(0.0);
    assertThat(v.coverage("").tokens()).isZero();
  }

  @Test
  void stopWordsAreNotCountedAndBigramVocabulariesCountBigrams() {
    TfidfVectorizer v = fit(1, 1, Set.of("the", "was"));
    // "the" and "was" are dropped before counting, as before vectorizing
    assertThat(v.coverage("the acting was great")).isEqualTo(new TextCoverage(2, 2, 2));
    TfidfVectorizer bigrams = fit(2, 2, Set.of());
    // "great film" is a vocabulary bigram, "film great" is not: half the bigrams
    assertThat(bigrams.coverage("great film great")).isEqualTo(new TextCoverage(3, 2, 1));
    assertThat(bigrams.coverage("great film").fraction()).isEqualTo(1.0);
    assertThat(bigrams.coverage("film").fraction()).isEqualTo(0.0);
  }

  @Test
  void theClassifierCleansTheTextAsBeforeScoring() {
    TfidfVectorizer v = fit(1, 1, Set.of());
    LinearModel head =
        new LinearModel(
            new int[] {0, 1},
            LinearModel.Link.LOGISTIC,
            new float[1][v.dimension()],
            new double[1]);
    UnaryOperator<String> strip = t -> t.replace("<br />", " ");
    BaselineClassifier c = new BaselineClassifier("t", strip, new BaselineModel(v, head, null));
    // "br" would be an unknown token without the cleaning
    assertThat(c.coverage("great<br />film").fraction()).isEqualTo(1.0);
    assertThat(c.coverage(null).tokens()).isZero();
  }

  @Test
  void knownCannotExceedTokens() {
    assertThatThrownBy(() -> new TextCoverage(2, 1, 2))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
