package io.reelsense.model.baseline;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * TF-IDF features computed as scikit-learn's {@code TfidfVectorizer} does with {@code
 * lowercase=True}, {@code token_pattern=r"(?u)\b\w\w+\b"}, optional stop words, an n-gram range,
 * {@code min_df} (a count), {@code max_features} (the most frequent terms over the corpus), {@code
 * smooth_idf=True}, optional {@code sublinear_tf} and {@code norm="l2"}.
 *
 * <p>Tokens are maximal runs of word characters (letters, digits, other numbers and {@code _}) of
 * at least two characters; stop words are removed before n-grams are formed; n-grams join tokens
 * with one space. The idf of a term is {@code ln((1 + n) / (1 + df)) + 1}. Feature indices follow
 * the alphabetical order of the vocabulary. Immutable once fitted, so {@link #transform} is
 * thread-safe.
 *
 * <p>{@link #transform} finds terms without building their strings: each token is hashed where it
 * lies in the lowercased text, an n-gram's 64-bit fingerprint is a fold of its tokens' hashes, and
 * an open-addressing table maps the fingerprints of the vocabulary (distinct: the seed is chosen
 * so) to feature indices. An unknown n-gram is taken for a known one only if its fingerprint equals
 * that term's, about one chance in 10<sup>13</sup> per lookup with a million-term vocabulary.
 */
public final class TfidfVectorizer {

  private static final int FORMAT = 1;
  private static final int BLOCK = 1024;

  /** {@code 1 + ln(c)} for small counts {@code c} (index 0 unused). */
  private static final double[] SUBLINEAR = new double[256];

  static {
    for (int c = 1; c < SUBLINEAR.length; c++) {
      SUBLINEAR[c] = 1.0 + Math.log(c);
    }
  }

  /**
   * How to build the features.
   *
   * @param ngramMin smallest n-gram length (1 = single words)
   * @param ngramMax largest n-gram length
   * @param minDf keep terms that occur in at least this many training documents
   * @param maxFeatures keep at most this many terms, the most frequent over the corpus; 0 = all
   * @param sublinearTf use {@code 1 + ln(tf)} instead of the raw count
   * @param stopWords words dropped before n-grams are formed (empty = none)
   */
  public record Config(
      int ngramMin,
      int ngramMax,
      int minDf,
      int maxFeatures,
      boolean sublinearTf,
      Set<String> stopWords) {

    public Config {
      if (ngramMin < 1 || ngramMax < ngramMin) {
        throw new IllegalArgumentException(
            "n-gram range must be 1 <= min <= max, got " + ngramMin + "," + ngramMax);
      }
      if (minDf < 1) {
        throw new IllegalArgumentException("min_df must be >= 1, got " + minDf);
      }
      if (maxFeatures < 0) {
        throw new IllegalArgumentException("max_features must be >= 0, got " + maxFeatures);
      }
      stopWords = Collections.unmodifiableSet(new LinkedHashSet<>(stopWords));
    }
  }

  /** A fitted vectorizer together with the vectors of the documents it was fitted on. */
  public record Fitted(TfidfVectorizer vectorizer, List<SparseVector> vectors) {}

  private final Config config;
  private final String[] vocabulary;
  private final double[] idf;
  private final GramTable table;

  private TfidfVectorizer(Config config, String[] vocabulary, double[] idf) {
    this.config = config;
    this.vocabulary = vocabulary;
    this.idf = idf;
    this.table = GramTable.of(vocabulary, config.stopWords());
  }

  public Config config() {
    return config;
  }

  /** Number of features. */
  public int dimension() {
    return vocabulary.length;
  }

  /** The term of feature {@code i}. */
  public String term(int i) {
    return vocabulary[i];
  }

  /** The idf weight of feature {@code i}. */
  public double idf(int i) {
    return idf[i];
  }

  /** Learns the vocabulary and idf from {@code documents} and returns their vectors too. */
  public static Fitted fit(List<String> documents, Config config) {
    return fit(documents, config, 1, i -> {});
  }

  /**
   * Learns the vocabulary and idf from {@code documents} and returns their vectors too. Documents
   * are tokenized on {@code threads} threads in blocks; {@code progress} is called once per
   * document (from the calling thread).
   */
  public static Fitted fit(
      List<String> documents, Config config, int threads, IntConsumer progress) {
    int n = documents.size();
    Map<String, Integer> ids = new HashMap<>();
    int[] df = new int[1 << 16];
    long[] tf = new long[1 << 16];
    int[][] docTerms = new int[n][];
    int[][] docCounts = new int[n][];
    List<String> termsById = new ArrayList<>();
    ForkJoinPool pool = threads > 1 ? new ForkJoinPool(threads) : null;
    try {
      for (int from = 0; from < n; from += BLOCK) {
        int to = Math.min(n, from + BLOCK);
        List<List<String>> block = analyzeBlock(documents.subList(from, to), config, pool);
        for (int d = from; d < to; d++) {
          List<String> grams = block.get(d - from);
          int[] gramIds = new int[grams.size()];
          for (int g = 0; g < gramIds.length; g++) {
            String gram = grams.get(g);
            Integer id = ids.get(gram);
            if (id == null) {
              id = termsById.size();
              ids.put(gram, id);
              termsById.add(gram);
              if (id >= df.length) {
                df = Arrays.copyOf(df, df.length * 2);
                tf = Arrays.copyOf(tf, tf.length * 2);
              }
            }
            gramIds[g] = id;
          }
          int[][] counted = countSorted(gramIds);
          docTerms[d] = counted[0];
          docCounts[d] = counted[1];
          for (int k = 0; k < counted[0].length; k++) {
            df[counted[0][k]]++;
            tf[counted[0][k]] += counted[1][k];
          }
          progress.accept(d);
        }
      }
    } finally {
      if (pool != null) {
        pool.shutdown();
      }
    }

    // Select the features: min_df, then the max_features most frequent (ties: alphabetical).
    List<Integer> kept = new ArrayList<>();
    for (int id = 0; id < termsById.size(); id++) {
      if (df[id] >= config.minDf()) {
        kept.add(id);
      }
    }
    if (config.maxFeatures() > 0 && kept.size() > config.maxFeatures()) {
      final long[] tfs = tf;
      kept.sort(
          (a, b) -> {
            int c = Long.compare(tfs[b], tfs[a]);
            return c != 0 ? c : termsById.get(a).compareTo(termsById.get(b));
          });
      kept = new ArrayList<>(kept.subList(0, config.maxFeatures()));
    }
    kept.sort((a, b) -> termsById.get(a).compareTo(termsById.get(b)));

    String[] vocabulary = new String[kept.size()];
    double[] idf = new double[kept.size()];
    int[] finalId = new int[termsById.size()];
    Arrays.fill(finalId, -1);
    for (int i = 0; i < vocabulary.length; i++) {
      int id = kept.get(i);
      vocabulary[i] = termsById.get(id);
      idf[i] = Math.log((1.0 + n) / (1.0 + df[id])) + 1.0;
      finalId[id] = i;
    }
    TfidfVectorizer vectorizer = new TfidfVectorizer(config, vocabulary, idf);

    List<SparseVector> vectors = new ArrayList<>(n);
    for (int d = 0; d < n; d++) {
      int[] terms = docTerms[d];
      int[] counts = docCounts[d];
      int[] idx = new int[terms.length];
      int[] cnt = new int[terms.length];
      int m = 0;
      for (int k = 0; k < terms.length; k++) {
        int f = finalId[terms[k]];
        if (f >= 0) {
          idx[m] = f;
          cnt[m] = counts[k];
          m++;
        }
      }
      vectors.add(vectorizer.weighUnsorted(Arrays.copyOf(idx, m), Arrays.copyOf(cnt, m)));
      docTerms[d] = null;
      docCounts[d] = null;
    }
    return new Fitted(vectorizer, vectors);
  }

  /** Tokenizes a block of documents, in parallel when a pool is given (hash codes precomputed). */
  private static List<List<String>> analyzeBlock(
      List<String> docs, Config config, ForkJoinPool pool) {
    Function<String, List<String>> analyze =
        doc -> {
          List<String> grams = analyze(doc, config);
          for (String g : grams) {
            g.hashCode();
          }
          return grams;
        };
    if (pool == null) {
      return docs.stream().map(analyze).toList();
    }
    try {
      return pool.submit(() -> docs.parallelStream().map(analyze).toList()).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while tokenizing", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("tokenizing failed: " + e.getCause(), e.getCause());
    }
  }

  /** The TF-IDF vector of one document (l2-normalized; empty when no term is known). */
  public SparseVector transform(String document) {
    long[] tokens = table.tokenHashes(document);
    int t = tokens.length;
    int[] ids = new int[t * (config.ngramMax() - config.ngramMin() + 1)];
    int m = 0;
    for (int len = config.ngramMin(); len <= config.ngramMax(); len++) {
      for (int start = 0; start + len <= t; start++) {
        long fp = tokens[start];
        for (int k = 1; k < len; k++) {
          fp = GramTable.combine(fp, tokens[start + k]);
        }
        int id = table.get(fp);
        if (id >= 0) {
          ids[m++] = id;
        }
      }
    }
    int[][] counted = countSorted(Arrays.copyOf(ids, m));
    return weigh(counted[0], counted[1]);
  }

  /**
   * How much of {@code document} the vocabulary knows: its tokens (stop words dropped), its n-grams
   * of the smallest configured length (its tokens when that is 1) and how many of those are terms.
   */
  public TextCoverage coverage(String document) {
    long[] tokens = table.tokenHashes(document);
    int len = config.ngramMin();
    int grams = Math.max(0, tokens.length - len + 1);
    int known = 0;
    for (int start = 0; start < grams; start++) {
      long fp = tokens[start];
      for (int k = 1; k < len; k++) {
        fp = GramTable.combine(fp, tokens[start + k]);
      }
      if (table.get(fp) >= 0) {
        known++;
      }
    }
    return new TextCoverage(tokens.length, grams, known);
  }

  /** Sorted distinct ids and how often each occurs. */
  private static int[][] countSorted(int[] ids) {
    int[] sorted = ids.clone();
    Arrays.sort(sorted);
    int[] distinct = new int[sorted.length];
    int[] counts = new int[sorted.length];
    int m = 0;
    for (int i = 0; i < sorted.length; i++) {
      if (m > 0 && distinct[m - 1] == sorted[i]) {
        counts[m - 1]++;
      } else {
        distinct[m] = sorted[i];
        counts[m] = 1;
        m++;
      }
    }
    return new int[][] {Arrays.copyOf(distinct, m), Arrays.copyOf(counts, m)};
  }

  /** As {@link #weigh} for distinct indices in any order. */
  private SparseVector weighUnsorted(int[] idx, int[] counts) {
    long[] packed = new long[idx.length];
    for (int k = 0; k < idx.length; k++) {
      packed[k] = ((long) idx[k] << 32) | counts[k];
    }
    Arrays.sort(packed);
    int[] sortedIdx = new int[idx.length];
    int[] sortedCounts = new int[idx.length];
    for (int k = 0; k < packed.length; k++) {
      sortedIdx[k] = (int) (packed[k] >>> 32);
      sortedCounts[k] = (int) packed[k];
    }
    return weigh(sortedIdx, sortedCounts);
  }

  /** Applies tf weighting, idf and l2 normalization; {@code idx} must be increasing. */
  private SparseVector weigh(int[] idx, int[] counts) {
    double[] values = new double[idx.length];
    double norm = 0;
    for (int k = 0; k < idx.length; k++) {
      int c = counts[k];
      double t =
          !config.sublinearTf() ? c : c < SUBLINEAR.length ? SUBLINEAR[c] : 1.0 + Math.log(c);
      double v = t * idf[idx[k]];
      values[k] = v;
      norm += v * v;
    }
    if (norm > 0) {
      double inv = 1.0 / Math.sqrt(norm);
      for (int k = 0; k < values.length; k++) {
        values[k] *= inv;
      }
    }
    return new SparseVector(idx, values);
  }

  /** The lowercased tokens of a text: maximal runs of two or more word characters. */
  public static List<String> tokenize(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    List<String> tokens = new ArrayList<>();
    TokenScanner t = new TokenScanner(lower);
    while (t.next()) {
      tokens.add(lower.substring(t.start, t.end));
    }
    return tokens;
  }

  /**
   * Walks the tokens of a lowercased text as {@link #tokenize} defines them, as ranges of it: after
   * each {@link #next} that returns true, the token is {@code text.substring(start, end)}.
   */
  private static final class TokenScanner {
    private final String text;
    private int start;
    private int end;

    TokenScanner(String text) {
      this.text = text;
    }

    /** Moves to the next token; false when there are no more. */
    boolean next() {
      int len = text.length();
      int i = end;
      while (i < len) {
        int cp = text.codePointAt(i);
        if (!isWordChar(cp)) {
          i += Character.charCount(cp);
          continue;
        }
        int from = i;
        int chars = 0;
        while (i < len) {
          cp = text.codePointAt(i);
          if (!isWordChar(cp)) {
            break;
          }
          i += Character.charCount(cp);
          chars++;
        }
        if (chars >= 2) {
          start = from;
          end = i;
          return true;
        }
      }
      end = len;
      return false;
    }
  }

  /** Python's {@code \w} on str: alphanumeric ({@code str.isalnum()}) or underscore. */
  private static boolean isWordChar(int cp) {
    if (cp < 128) {
      return (cp >= 'a' && cp <= 'z')
          || (cp >= '0' && cp <= '9')
          || cp == '_'
          || (cp >= 'A' && cp <= 'Z');
    }
    if (Character.isLetterOrDigit(cp)) {
      return true;
    }
    int type = Character.getType(cp);
    return type == Character.OTHER_NUMBER || type == Character.LETTER_NUMBER;
  }

  /** Tokens without stop words, turned into the configured n-grams. */
  static List<String> analyze(String text, Config config) {
    List<String> tokens = tokenize(text);
    if (!config.stopWords().isEmpty()) {
      tokens.removeIf(config.stopWords()::contains);
    }
    if (config.ngramMin() == 1 && config.ngramMax() == 1) {
      return tokens;
    }
    List<String> grams =
        new ArrayList<>(tokens.size() * (config.ngramMax() - config.ngramMin() + 1));
    int t = tokens.size();
    for (int len = config.ngramMin(); len <= config.ngramMax(); len++) {
      for (int start = 0; start + len <= t; start++) {
        if (len == 1) {
          grams.add(tokens.get(start));
        } else {
          StringBuilder sb = new StringBuilder(tokens.get(start));
          for (int k = 1; k < len; k++) {
            sb.append(' ').append(tokens.get(start + k));
          }
          grams.add(sb.toString());
        }
      }
    }
    return grams;
  }

  /**
   * The vocabulary as an open-addressing table from n-gram fingerprints to feature indices, and the
   * tokenizer of {@link #tokenize} producing token hashes instead of strings.
   */
  private static final class GramTable {

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;
    private static final long[] NO_TOKENS = new long[0];

    private final long seed;

    /** {@code slots[2 s]} = fingerprint (0 = empty), {@code slots[2 s + 1]} = feature index. */
    private final long[] slots;

    private final int mask;

    /** Sorted hashes of the stop words. */
    private final long[] stopHashes;

    private GramTable(long seed, long[] slots, long[] stopHashes) {
      this.seed = seed;
      this.slots = slots;
      this.mask = slots.length / 2 - 1;
      this.stopHashes = stopHashes;
    }

    /** A table whose fingerprints of {@code vocabulary} are distinct (tries seeds until so). */
    static GramTable of(String[] vocabulary, Set<String> stopWords) {
      int capacity = Integer.highestOneBit(Math.max(2, vocabulary.length * 2 - 1)) << 1;
      for (long seed = 0; seed < 16; seed++) {
        long[] slots = new long[2 * capacity];
        GramTable table = new GramTable(seed, slots, stopHashes(seed, stopWords));
        boolean distinct = true;
        for (int i = 0; i < vocabulary.length && distinct; i++) {
          distinct = table.insert(table.fingerprint(vocabulary[i]), i);
        }
        if (distinct) {
          return table;
        }
      }
      throw new IllegalArgumentException(
          "the vocabulary holds the same term twice (its fingerprints collide for every seed)");
    }

    private static long[] stopHashes(long seed, Set<String> stopWords) {
      long[] h = new long[stopWords.size()];
      int i = 0;
      for (String w : stopWords) {
        h[i++] = hash(seed, w, 0, w.length());
      }
      Arrays.sort(h);
      return h;
    }

    /**
     * Fingerprint of a vocabulary term: its space-separated tokens folded with {@link #combine}.
     */
    long fingerprint(String term) {
      int end = term.indexOf(' ');
      if (end < 0) {
        return hash(seed, term, 0, term.length());
      }
      long fp = hash(seed, term, 0, end);
      while (end < term.length()) {
        int start = end + 1;
        end = term.indexOf(' ', start);
        if (end < 0) {
          end = term.length();
        }
        fp = combine(fp, hash(seed, term, start, end));
      }
      return fp;
    }

    /** False when the fingerprint is already taken. */
    private boolean insert(long fp, int id) {
      int s = slot(fp);
      while (slots[2 * s] != 0) {
        if (slots[2 * s] == fp) {
          return false;
        }
        s = (s + 1) & mask;
      }
      slots[2 * s] = fp;
      slots[2 * s + 1] = id;
      return true;
    }

    /** The feature index of the n-gram with fingerprint {@code fp}, or -1. */
    int get(long fp) {
      int s = slot(fp);
      long k;
      while ((k = slots[2 * s]) != 0) {
        if (k == fp) {
          return (int) slots[2 * s + 1];
        }
        s = (s + 1) & mask;
      }
      return -1;
    }

    private int slot(long fp) {
      return (int) (fp ^ (fp >>> 32)) & mask;
    }

    /** As {@link #tokenize}, then without stop words, but each token as its hash. */
    long[] tokenHashes(String text) {
      String lower = text.toLowerCase(Locale.ROOT);
      int len = lower.length();
      if (len == 0) {
        return NO_TOKENS;
      }
      long[] out = new long[len / 3 + 1];
      int n = 0;
      TokenScanner t = new TokenScanner(lower);
      while (t.next()) {
        long h = hash(seed, lower, t.start, t.end);
        if (stopHashes.length == 0 || Arrays.binarySearch(stopHashes, h) < 0) {
          if (n == out.length) {
            out = Arrays.copyOf(out, n * 2);
          }
          out[n++] = h;
        }
      }
      return Arrays.copyOf(out, n);
    }

    /** A token's hash: FNV-1a over its chars, then MurmurHash3's finalizer; never 0. */
    static long hash(long seed, String s, int from, int to) {
      long h = FNV_OFFSET ^ (seed * 0x9e3779b97f4a7c15L);
      for (int i = from; i < to; i++) {
        h ^= s.charAt(i);
        h *= FNV_PRIME;
      }
      return nonZero(mix(h ^ (to - from)));
    }

    /** The fingerprint of an n-gram extended by one token; never 0. */
    static long combine(long gram, long token) {
      return nonZero(mix(gram * 0x9e3779b97f4a7c15L + token));
    }

    private static long mix(long h) {
      h ^= h >>> 33;
      h *= 0xff51afd7ed558ccdL;
      h ^= h >>> 33;
      h *= 0xc4ceb9fe1a85ec53L;
      h ^= h >>> 33;
      return h;
    }

    private static long nonZero(long h) {
      return h == 0 ? 1 : h;
    }
  }

  /** Writes the configuration, vocabulary and idf (the caller owns and closes the stream). */
  public void write(DataOutputStream out) throws IOException {
    out.writeInt(FORMAT);
    out.writeInt(config.ngramMin());
    out.writeInt(config.ngramMax());
    out.writeInt(config.minDf());
    out.writeInt(config.maxFeatures());
    out.writeBoolean(config.sublinearTf());
    out.writeInt(config.stopWords().size());
    for (String w : config.stopWords()) {
      out.writeUTF(w);
    }
    out.writeInt(vocabulary.length);
    for (int i = 0; i < vocabulary.length; i++) {
      out.writeUTF(vocabulary[i]);
      out.writeDouble(idf[i]);
    }
  }

  /** The most stop words a vectorizer file may declare. */
  public static final int MAX_STOP_WORDS = 1 << 16;

  /**
   * Reads what {@link #write} wrote; the vocabulary is bounded by {@link LinearModel#MAX_DIMENSION}
   * and the stop words by {@link #MAX_STOP_WORDS} before anything is allocated.
   */
  public static TfidfVectorizer read(DataInputStream in) throws IOException {
    int format = in.readInt();
    if (format != FORMAT) {
      throw new IOException(
          "vectorizer format " + format + " is not the supported format " + FORMAT);
    }
    int ngramMin = in.readInt();
    int ngramMax = in.readInt();
    int minDf = in.readInt();
    int maxFeatures = in.readInt();
    boolean sublinear = in.readBoolean();
    int stopCount = in.readInt();
    if (stopCount < 0 || stopCount > MAX_STOP_WORDS) {
      throw new IOException(
          "declares " + stopCount + " stop words; a vectorizer has at most " + MAX_STOP_WORDS);
    }
    Set<String> stop = new LinkedHashSet<>();
    for (int i = 0; i < stopCount; i++) {
      stop.add(in.readUTF());
    }
    Config config = new Config(ngramMin, ngramMax, minDf, maxFeatures, sublinear, stop);
    int size = in.readInt();
    if (size < 0 || size > LinearModel.MAX_DIMENSION) {
      throw new IOException(
          "declares a vocabulary of "
              + size
              + " terms; a vectorizer has at most "
              + LinearModel.MAX_DIMENSION);
    }
    // grown as terms arrive, so a file that declares more than it holds allocates little
    String[] vocabulary = new String[Math.min(size, 1 << 16)];
    double[] idf = new double[vocabulary.length];
    for (int i = 0; i < size; i++) {
      if (i == vocabulary.length) {
        int grown = (int) Math.min(size, 2L * vocabulary.length);
        vocabulary = Arrays.copyOf(vocabulary, grown);
        idf = Arrays.copyOf(idf, grown);
      }
      vocabulary[i] = in.readUTF();
      idf[i] = in.readDouble();
    }
    return new TfidfVectorizer(config, vocabulary, idf);
  }
}
