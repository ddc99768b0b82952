package io.reelsense.text;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One switchable text-cleaning step. A {@link TextCleaner} applies its steps in this enum's order
 * (HTML first, white space last), whatever order they were given in.
 */
public enum CleaningStep {
  /**
   * Replaces HTML tags ({@code <br />}, {@code <i>}, {@code </p>}, comments) by a space. Only
   * tag-shaped text is touched: a {@code <} must be followed by a letter, {@code /} or {@code !--},
   * so {@code "3 < 5 > 2"} stays.
   */
  STRIP_HTML("strip-html"),
  /** Lower-cases with the root locale (no Turkish dotless i surprises). */
  LOWERCASE("lowercase"),
  /** Deletes decimal digits of any script ({@code \p{Nd}}); {@code "1990s"} becomes {@code "s"}. */
  REMOVE_DIGITS("remove-digits"),
  /**
   * Removes stop words; see {@link #removeStopWords(String, Set)} for what a word is. Uses NLTK's
   * list unless the cleaner was given another.
   */
  REMOVE_STOP_WORDS("remove-stop-words"),
  /** Replaces line breaks and runs of white space (Unicode) by one space and trims the ends. */
  COLLAPSE_WHITESPACE("collapse-whitespace");

  private static final Pattern HTML_TAG =
      Pattern.compile("<!--.*?-->|</?[A-Za-z][^<>]*>", Pattern.DOTALL);
  private static final Pattern DIGITS = Pattern.compile("\\p{Nd}+");
  private static final Pattern WHITESPACE =
      Pattern.compile("[\\s\\p{Z}]+", Pattern.UNICODE_CHARACTER_CLASS);

  /**
   * A word: a maximal run of letters, combining marks and digits, possibly joined by single
   * apostrophes ({@code '} or {@code ’}) to more such runs ({@code don't}, {@code o'brien}).
   */
  static final Pattern WORD =
      Pattern.compile("[\\p{L}\\p{M}\\p{N}]+(?:['\u2019][\\p{L}\\p{M}\\p{N}]+)*");

  private final String label;

  CleaningStep(String label) {
    this.label = label;
  }

  /** The step's name in reports and on the command line, e.g. {@code strip-html}. */
  public String label() {
    return label;
  }

  /** Applies this step alone (stop words: NLTK's list). */
  public String apply(String text) {
    return apply(text, StopWords.nltkEnglish());
  }

  /** Applies this step alone with the given stop-word list (used only by the stop-word step). */
  public String apply(String text, Set<String> stopWords) {
    return switch (this) {
      case STRIP_HTML -> HTML_TAG.matcher(text).replaceAll(" ");
      case LOWERCASE -> text.toLowerCase(Locale.ROOT);
      case REMOVE_DIGITS -> DIGITS.matcher(text).replaceAll("");
      case REMOVE_STOP_WORDS -> removeStopWords(text, stopWords);
      case COLLAPSE_WHITESPACE -> WHITESPACE.matcher(text).replaceAll(" ").strip();
    };
  }

  /**
   * Removes the words (see {@link #WORD}) whose lower-case form, with {@code ’} read as {@code '},
   * is in {@code stopWords}. Everything that is not a word (punctuation, symbols, white space) is
   * kept, so {@code "The movie, it's great!"} becomes {@code "movie, great!"}: the white space a
   * removed word leaves behind is not doubled, and none is left before punctuation that followed
   * it. A hyphen separates words ({@code well-made} is {@code well} and {@code made}). A word with
   * apostrophes that is not on the list is still a stop word when each of its parts is ({@code
   * i've} = {@code i} + {@code ve} with NLTK's list), as if it had been tokenized the way NLTK
   * splits contractions; {@code o'brien} and {@code film's} stay.
   */
  public static String removeStopWords(String text, Set<String> stopWords) {
    Matcher m = WORD.matcher(text);
    StringBuilder out = new StringBuilder(text.length());
    int pos = 0;
    while (m.find()) {
      String word = m.group().toLowerCase(Locale.ROOT).replace('\u2019', '\'');
      if (!isStopWord(word, stopWords)) {
        continue;
      }
      out.append(text, pos, m.start());
      pos = m.end();
      boolean afterSpace = out.length() == 0 || isSpace(out.charAt(out.length() - 1));
      boolean beforeSpace = pos < text.length() && isSpace(text.charAt(pos));
      if (afterSpace && beforeSpace) {
        while (pos < text.length() && isSpace(text.charAt(pos))) {
          pos++;
        }
      } else if (afterSpace && out.length() > 0) {
        while (out.length() > 0 && isSpace(out.charAt(out.length() - 1))) {
          out.setLength(out.length() - 1);
        }
      }
    }
    out.append(text, pos, text.length());
    return out.toString();
  }

  private static boolean isStopWord(String word, Set<String> stopWords) {
    if (stopWords.contains(word)) {
      return true;
    }
    if (word.indexOf('\'') < 0) {
      return false;
    }
    for (String part : word.split("'")) {
      if (!stopWords.contains(part)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isSpace(char c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c);
  }

  /** Parses a step label ({@code strip-html}) or constant name ({@code STRIP_HTML}). */
  public static CleaningStep parse(String name) {
    for (CleaningStep s : values()) {
      if (s.label.equalsIgnoreCase(name) || s.name().equalsIgnoreCase(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "unknown cleaning step '"
            + name
            + "'; known: "
            + java.util.Arrays.stream(values()).map(CleaningStep::label).toList());
  }
}
