package io.reelsense.data;

import java.util.Objects;
import java.util.function.ToIntFunction;

/**
 * Counts the tokens of a text, for length statistics ({@code data describe}). The default counts
 * white-space separated words; a subword tokenizer (BERT WordPiece) plugs in through {@link #of}.
 */
public interface TokenCounter {

  /** The counter's name in reports, e.g. {@code words} or {@code wordpiece}. */
  String name();

  /** Number of tokens in a text. */
  int count(String text);

  /** White-space separated words. */
  static TokenCounter words() {
    return of("words", TokenCounter::countWords);
  }

  /** A named counter from a function. */
  static TokenCounter of(String name, ToIntFunction<String> count) {
    Objects.requireNonNull(name);
    Objects.requireNonNull(count);
    return new TokenCounter() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public int count(String text) {
        return count.applyAsInt(text);
      }

      @Override
      public String toString() {
        return "TokenCounter[" + name + "]";
      }
    };
  }

  /** Number of maximal runs of non-white-space characters. */
  private static int countWords(String text) {
    int words = 0;
    boolean inWord = false;
    for (int i = 0; i < text.length(); i++) {
      boolean space = Character.isWhitespace(text.charAt(i));
      if (!space && !inWord) {
        words++;
      }
      inWord = !space;
    }
    return words;
  }
}
