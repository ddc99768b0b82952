package io.reelsense.model.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TfidfVectorizerTest {

  private static final List<String> DOCS = List.of("The cat sat", "the cat CAT ran.", "a dog ran");

  private static TfidfVectorizer.Config unigrams() {
    return new TfidfVectorizer.Config(1, 1, 1, 0, false, Set.of());
  }

  @Test
  void tokensAreLowercasedRunsOfTwoOrMoreWordCharacters() {
    assertThat(TfidfVectorizer.tokenize("Hello, World! a b_c I'm 42 x2 déjà-vu <br />ok"))
        .containsExactly("hello", "world", "b_c", "42", "x2", "déjà", "vu", "br", "ok");
  }

  @Test
  void idfAndL2NormMatchScikitLearn() {
    // sklearn: TfidfVectorizer().fit_transform(DOCS)[0] -> cat .517856, sat .680919, the .517856
    TfidfVectorizer.Fitted f = TfidfVectorizer.fit(DOCS, unigrams());
    TfidfVectorizer v = f.vectorizer();
    assertThat(v.dimension()).isEqualTo(5);
    assertThat(List.of(v.term(0), v.term(1), v.term(2), v.term(3), v.term(4)))
        .containsExactly("cat", "dog", "ran", "sat", "the");
    assertThat(v.idf(0)).isCloseTo(Math.log(4.0 / 3) + 1, within(1e-12));
    assertThat(v.idf(3)).isCloseTo(Math.log(2.0) + 1, within(1e-12));
    SparseVector d0 = f.vectors().get(0);
    assertThat(d0.indices()).containsExactly(0, 3, 4);
    assertThat(d0.values()[0]).isCloseTo(0.517856, within(1e-6));
    assertThat(d0.values()[1]).isCloseTo(0.680919, within(1e-6));
    assertThat(d0.values()[2]).isCloseTo(0.517856, within(1e-6));
    // transform gives the same vectors as fit
    for (int i = 0; i < DOCS.size(); i++) {
      SparseVector t = v.transform(DOCS.get(i));
      assertThat(t.indices()).containsExactly(f.vectors().get(i).indices());
      assertThat(t.values()).containsExactly(f.vectors().get(i).values());
    }
  }

  @Test
  void sublinearTfUsesOnePlusLogCount() {
    TfidfVectorizer.Config cfg = new TfidfVectorizer.Config(1, 1, 1, 0, true, Set.of());
    SparseVector d1 = TfidfVectorizer.fit(DOCS, cfg).vectors().get(1);
    // cat: tf 2 -> 1 + ln 2; ran, the: tf 1; all three have df 2, so idf cancels in the norm
    double cat = 1 + Math.log(2);
    double norm = Math.sqrt(cat * cat + 2);
    assertThat(d1.indices()).containsExactly(0, 2, 4);
    assertThat(d1.values()[0]).isCloseTo(cat / norm, within(1e-12));
    assertThat(d1.values()[1]).isCloseTo(1 / norm, within(1e-12));
  }

  @Test
  void minDfAndMaxFeaturesSelectTerms() {
    TfidfVectorizer minDf =
        TfidfVectorizer.fit(DOCS, new TfidfVectorizer.Config(1, 1, 2, 0, false, Set.of()))
            .vectorizer();
    assertThat(terms(minDf)).containsExactly("cat", "ran", "the");
    // corpus counts: cat 3, ran 2, the 2, dog 1, sat 1 -> cat, then ran before the (alphabetical)
    TfidfVectorizer top2 =
        TfidfVectorizer.fit(DOCS, new TfidfVectorizer.Config(1, 1, 1, 2, false, Set.of()))
            .vectorizer();
    assertThat(terms(top2)).containsExactly("cat", "ran");
  }

  @Test
  void stopWordsAreRemovedBeforeNgramsAreFormed() {
    TfidfVectorizer.Config cfg = new TfidfVectorizer.Config(1, 2, 1, 0, false, Set.of("the"));
    assertThat(TfidfVectorizer.analyze("the cat the cat ran", cfg))
        .containsExactly("cat", "cat", "ran", "cat cat", "cat ran");
    TfidfVectorizer v = TfidfVectorizer.fit(DOCS, cfg).vectorizer();
    assertThat(terms(v)).contains("cat sat", "cat cat", "dog ran").doesNotContain("the", "the cat");
    assertThat(v.transform("unknown words only").size()).isZero();
  }

  @Test
  void writeThenReadGivesTheSameVectors() throws Exception {
    TfidfVectorizer.Config cfg = new TfidfVectorizer.Config(1, 2, 1, 3, true, Set.of("a", "the"));
    TfidfVectorizer v = TfidfVectorizer.fit(DOCS, cfg).vectorizer();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    v.write(new DataOutputStream(bytes));
    TfidfVectorizer back =
        TfidfVectorizer.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    assertThat(back.config()).isEqualTo(cfg);
    assertThat(terms(back)).isEqualTo(terms(v));
    SparseVector a = v.transform("the cat sat on the dog");
    SparseVector b = back.transform("the cat sat on the dog");
    assertThat(b.indices()).containsExactly(a.indices());
    assertThat(b.values()).containsExactly(a.values());
  }

  @Test
  void transformFindsTheSameTermsAsTheStringsWouldWithBigramsStopWordsAndUnicode() {
    List<String> docs =
        List.of(
            "The cat sat on the mat, the cat ran",
            "Déjà vu: a DOG ran; the dog sat \uD835\uDC00\uD835\uDC01 x2 x2",
            "a b c de_f ≥ ½ Ⅻ 42 cat dog");
    TfidfVectorizer.Config cfg = new TfidfVectorizer.Config(1, 3, 1, 0, true, Set.of("the", "on"));
    TfidfVectorizer.Fitted f = TfidfVectorizer.fit(docs, cfg);
    TfidfVectorizer v = f.vectorizer();
    for (int i = 0; i < docs.size(); i++) {
      SparseVector t = v.transform(docs.get(i));
      assertThat(t.indices()).containsExactly(f.vectors().get(i).indices());
      assertThat(t.values()).containsExactly(f.vectors().get(i).values());
    }
    // an unseen text: known n-grams found, unknown ones (also "cat dog" spelt "catdog") ignored
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < v.dimension(); i++) {
      index.put(v.term(i), i);
    }
    String unseen = "The mat: catdog sat ON the cat, déjà vu ran \uD835\uDC00\uD835\uDC01 x2";
    List<Integer> expected = new ArrayList<>();
    for (String gram : TfidfVectorizer.analyze(unseen, cfg)) {
      if (index.containsKey(gram)) {
        expected.add(index.get(gram));
      }
    }
    int[] found = v.transform(unseen).indices();
    assertThat(expected).isNotEmpty();
    assertThat(found)
        .containsExactly(expected.stream().distinct().sorted().mapToInt(x -> x).toArray());
  }

  private static List<String> terms(TfidfVectorizer v) {
    return java.util.stream.IntStream.range(0, v.dimension()).mapToObj(v::term).toList();
  }

  @Test
  void anOversizedVocabularyIsRefusedBeforeAllocating() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    TfidfVectorizer.fit(
            List.of("a tiny corpus"), new TfidfVectorizer.Config(1, 1, 1, 0, true, Set.of()))
        .vectorizer()
        .write(out);
    byte[] file = bytes.toByteArray();
    // the vocabulary size is the int after the header (format, 4 settings, sublinear, 0 stop words)
    int at = 4 * 5 + 1 + 4;
    java.nio.ByteBuffer.wrap(file).putInt(at, Integer.MAX_VALUE);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> TfidfVectorizer.read(new DataInputStream(new ByteArrayInputStream(file))))
        .isInstanceOf(java.io.IOException.class)
        .hasMessageContaining(Integer.MAX_VALUE + " terms")
        .hasMessageContaining("at most " + LinearModel.MAX_DIMENSION);
  }
}
