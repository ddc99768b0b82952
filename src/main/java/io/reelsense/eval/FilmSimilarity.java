package io.reelsense.eval;

import io.reelsense.data.Film;
import io.reelsense.model.TextEmbedder;
import io.reelsense.model.baseline.TfidfVectorizer;
import io.reelsense.model.similarity.EmbeddingJournal;
import io.reelsense.model.similarity.FilmIndex;
import io.reelsense.model.similarity.FilmText;
import io.reelsense.model.similarity.SparseIndex;
import io.reelsense.text.StopWords;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * Film similarity over the catalog: which films are indexed, what text of a film is embedded, and
 * how an index is built from an encoder or from TF-IDF.
 *
 * <p>An encoder embeds a film's description (the lead paragraph of its Wikipedia article) without
 * the title it opens with ({@link FilmText}); TF-IDF reads the description as it is.
 */
public final class FilmSimilarity {

  /** Genres too broad or formal to say two films are alike; ignored by the genre precision. */
  public static final Set<String> IGNORED_GENRES =
      Set.of("Silent", "Short", "Independent", "Black-and-white");

  /**
   * A film "has a description" when its description is longer than this many characters (the data
   * README's definition: 34,067 films of the catalog; 33,658 also have a genre).
   */
  public static final int MIN_DESCRIPTION_CHARS = 80;

  /** Texts embedded per call to the encoder (one progress step each). */
  public static final int CHUNK = 128;

  /**
   * TF-IDF features: words, word pairs and triples (after stop words) seen in at least two films,
   * sublinear tf. The n-grams carry the genre phrases of a Wikipedia lead ("science fiction film",
   * "American Western film"): genre precision@10 on the full catalog (2,000 queries, seed 42) was
   * 0.617 with words only, 0.649 up to pairs, 0.675 up to triples (sklearn's English stop words;
   * NLTK's gave 0.648 up to pairs).
   */
  public static TfidfVectorizer.Config tfidfConfig(Set<String> stopWords) {
    return new TfidfVectorizer.Config(1, 3, 2, 0, true, stopWords);
  }

  private FilmSimilarity() {}

  /** The text an encoder embeds for a film: {@link FilmText#of}. */
  public static String text(Film film) {
    return FilmText.of(film.title(), film.description());
  }

  /** Whether a film has a description (longer than {@link #MIN_DESCRIPTION_CHARS}). */
  public static boolean hasDescription(Film film) {
    return film.description().length() > MIN_DESCRIPTION_CHARS;
  }

  /** The films with a description, in catalog order: what an index holds. */
  public static List<Film> withDescription(List<Film> catalog) {
    return catalog.stream().filter(FilmSimilarity::hasDescription).toList();
  }

  /** A film's genres without the {@link #IGNORED_GENRES}. */
  public static Set<String> genres(Film film) {
    Set<String> g = new LinkedHashSet<>(film.genres());
    g.removeAll(IGNORED_GENRES);
    return g;
  }

  /**
   * The films with a description and at least one genre besides the ignored ones: the genre
   * precision's queries and candidates.
   */
  public static List<Film> evaluable(List<Film> catalog) {
    return catalog.stream().filter(f -> hasDescription(f) && !genres(f).isEmpty()).toList();
  }

  /** The index's entry for a film (its href is the id). */
  public static FilmIndex.Film entry(Film film) {
    return new FilmIndex.Film(film.href(), film.title(), film.year());
  }

  /** SHA-256 (hex, 16 chars) of the model name and the films' texts: tells a stale cache. */
  public static String fingerprint(String model, List<Film> films) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(model.getBytes(StandardCharsets.UTF_8));
      for (Film f : films) {
        sha.update((byte) 0);
        sha.update(f.href().getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(text(f).getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256 in this JVM", e);
    }
  }

  /**
   * Embeds films' texts and indexes them.
   *
   * @param progress called with the number of films embedded by each chunk
   */
  public static FilmIndex embed(List<Film> films, TextEmbedder embedder, IntConsumer progress) {
    try {
      return embed(films, embedder, null, progress);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Embeds films' texts and indexes them, shortest texts first (batches of texts of about the same
   * length waste little on padding), reusing and recording vectors in a journal so an interrupted
   * run resumes where it stopped.
   *
   * @param journal vectors by {@link #textKey}, read and appended to after every chunk; null for
   *     none
   * @param progress called with the number of films done by each chunk
   * @throws IOException when the journal cannot be written
   */
  public static FilmIndex embed(
      List<Film> films, TextEmbedder embedder, EmbeddingJournal journal, IntConsumer progress)
      throws IOException {
    String model = embedder.modelId();
    float[][] vectors = new float[films.size()][];
    List<Integer> todo = new ArrayList<>();
    String[] keys = new String[films.size()];
    for (int i = 0; i < films.size(); i++) {
      keys[i] = textKey(model, text(films.get(i)));
      float[] known = journal == null ? null : journal.get(keys[i]);
      if (known != null && known.length == embedder.dimension()) {
        vectors[i] = known;
      } else {
        todo.add(i);
      }
    }
    if (todo.size() < films.size()) {
      progress.accept(films.size() - todo.size());
    }
    todo.sort(Comparator.comparingInt(i -> text(films.get(i)).length()));
    for (int from = 0; from < todo.size(); from += CHUNK) {
      List<Integer> chunk = todo.subList(from, Math.min(todo.size(), from + CHUNK));
      List<float[]> out = embedder.embed(chunk.stream().map(i -> text(films.get(i))).toList());
      for (int k = 0; k < chunk.size(); k++) {
        int i = chunk.get(k);
        vectors[i] = out.get(k);
        if (journal != null) {
          journal.put(keys[i], vectors[i]);
        }
      }
      if (journal != null) {
        journal.flush();
      }
      progress.accept(chunk.size());
    }
    return FilmIndex.of(
        model,
        fingerprint(model, films),
        films.stream().map(FilmSimilarity::entry).toList(),
        Arrays.asList(vectors));
  }

  /** The key of a text embedded by a model (see {@link FilmText#key}). */
  public static String textKey(String model, String text) {
    return FilmText.key(model, text);
  }

  /**
   * TF-IDF vectors of films' texts, fitted on those films, with a sparse cosine index.
   *
   * @param vectorizer the fitted vectorizer, for queries by text
   * @param index the films' vectors
   */
  public record Tfidf(TfidfVectorizer vectorizer, SparseIndex index) {}

  /**
   * Fits TF-IDF on the films' descriptions as they are (adding the title cost 3 points of genre
   * precision with words only; dropping the opening title as {@link FilmText} does for encoders
   * changes nothing worth having: 0.674 vs 0.675) with sklearn's English stop words, and indexes
   * their vectors.
   */
  public static Tfidf tfidf(List<Film> films) {
    return tfidf(films, StopWords.sklearnEnglish());
  }

  /** {@link #tfidf(List)} with other stop words. */
  public static Tfidf tfidf(List<Film> films, Set<String> stopWords) {
    TfidfVectorizer.Fitted fitted =
        TfidfVectorizer.fit(
            films.stream().map(Film::description).toList(),
            tfidfConfig(stopWords),
            Math.max(1, Runtime.getRuntime().availableProcessors()),
            i -> {});
    return new Tfidf(
        fitted.vectorizer(), SparseIndex.of(fitted.vectors(), fitted.vectorizer().dimension()));
  }

  /**
   * An index restricted to some of its films (in the order given), with their vectors as they are;
   * films the index lacks are an error naming the first.
   */
  public static FilmIndex subset(FilmIndex index, List<Film> films) {
    Map<String, Integer> positions = new HashMap<>();
    for (int i = 0; i < index.size(); i++) {
      positions.put(index.film(i).id(), i);
    }
    List<float[]> vectors = new ArrayList<>(films.size());
    for (Film f : films) {
      Integer p = positions.get(f.href());
      if (p == null) {
        throw new IllegalArgumentException(
            "the index has no film '" + f.href() + "': rebuild it from this catalog");
      }
      vectors.add(index.vector(p));
    }
    return FilmIndex.of(
        index.model(),
        index.fingerprint(),
        films.stream().map(FilmSimilarity::entry).toList(),
        vectors);
  }
}
