package io.reelsense.text;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * English stop-word lists shipped as data resources (one lower-case word a line, {@code #} starts a
 * comment line that names the source).
 *
 * <ul>
 *   <li>{@link #nltkEnglish()}: NLTK's {@code corpora/stopwords/english}, 179 words, with
 *       contractions such as {@code don't} and their fragments ({@code don}, {@code t}); the list
 *       of the {@code full} cleaning profile.
 *   <li>{@link #sklearnEnglish()}: scikit-learn's {@code ENGLISH_STOP_WORDS}, 318 words, what
 *       {@code TfidfVectorizer(stop_words='english')} removes; for reproducing scikit-learn
 *       figures.
 * </ul>
 */
public final class StopWords {

  static final String NLTK_RESOURCE = "stopwords-nltk-english.txt";
  static final String SKLEARN_RESOURCE = "stopwords-sklearn-english.txt";

  private static final Set<String> NLTK = load(NLTK_RESOURCE);
  private static final Set<String> SKLEARN = load(SKLEARN_RESOURCE);

  private StopWords() {}

  /** NLTK's English stop words (179, immutable, in the list's order). */
  public static Set<String> nltkEnglish() {
    return NLTK;
  }

  /** scikit-learn's {@code ENGLISH_STOP_WORDS} (318, immutable, sorted). */
  public static Set<String> sklearnEnglish() {
    return SKLEARN;
  }

  /** Reads a word list resource of this package. */
  static Set<String> load(String resource) {
    InputStream in = StopWords.class.getResourceAsStream(resource);
    if (in == null) {
      throw new IllegalStateException("stop-word resource missing from the classpath: " + resource);
    }
    Set<String> words = new LinkedHashSet<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        String w = line.strip();
        if (!w.isEmpty() && !w.startsWith("#")) {
          words.add(w.toLowerCase(Locale.ROOT));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read stop-word resource " + resource, e);
    }
    return Collections.unmodifiableSet(words);
  }
}
