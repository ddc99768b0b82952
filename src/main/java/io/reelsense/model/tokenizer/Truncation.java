package io.reelsense.model.tokenizer;

import java.util.Arrays;
import java.util.Locale;

/**
 * How a text longer than {@code maxLength} tokens (counting {@code [CLS]} and {@code [SEP]}) is
 * cut: keep its head, its tail, or its head and tail (Sun et al. 2019, "How to Fine-Tune BERT for
 * Text Classification?": the first 128 and last 382 tokens work best for IMDb).
 *
 * @param strategy which part to keep
 * @param maxLength the most tokens of the result, special tokens included (at least 3)
 * @param headTokens for {@link Strategy#HEAD_TAIL}: how many of the kept text tokens come from the
 *     head (the rest, {@code maxLength - 2 - headTokens}, come from the tail); ignored otherwise
 */
public record Truncation(Strategy strategy, int maxLength, int headTokens) {

  /** Which part of a long text to keep. */
  public enum Strategy {
    HEAD,
    TAIL,
    HEAD_TAIL;

    /** Parses {@code head}, {@code tail}, {@code head+tail} or {@code head_tail}. */
    public static Strategy parse(String s) {
      String n = s.trim().toUpperCase(Locale.ROOT).replace('+', '_').replace('-', '_');
      try {
        return valueOf(n);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "truncation '" + s + "': expected head, tail or head+tail", e);
      }
    }
  }

  public Truncation {
    if (maxLength < 3) {
      throw new IllegalArgumentException("max length " + maxLength + " leaves no room for text");
    }
    if (strategy == Strategy.HEAD_TAIL && (headTokens < 0 || headTokens > maxLength - 2)) {
      throw new IllegalArgumentException(
          "head+tail: " + headTokens + " head tokens do not fit in max length " + maxLength);
    }
  }

  /** Keep the first {@code maxLength} tokens. */
  public static Truncation head(int maxLength) {
    return new Truncation(Strategy.HEAD, maxLength, 0);
  }

  /** Keep the last tokens. */
  public static Truncation tail(int maxLength) {
    return new Truncation(Strategy.TAIL, maxLength, 0);
  }

  /** Keep {@code headTokens} from the start and the rest of the budget from the end. */
  public static Truncation headTail(int maxLength, int headTokens) {
    return new Truncation(Strategy.HEAD_TAIL, maxLength, headTokens);
  }

  /**
   * Head+tail with the head taking a quarter of the budget, rounded (128 of 510 at max length 512,
   * as in Sun et al.).
   */
  public static Truncation headTail(int maxLength) {
    return headTail(maxLength, Math.round((maxLength - 2) / 4f));
  }

  /** The text tokens (no special tokens) to keep out of {@code tokens}. */
  public long[] cut(long[] tokens) {
    int budget = maxLength - 2;
    if (tokens.length <= budget) {
      return tokens;
    }
    return switch (strategy) {
      case HEAD -> Arrays.copyOf(tokens, budget);
      case TAIL -> Arrays.copyOfRange(tokens, tokens.length - budget, tokens.length);
      case HEAD_TAIL -> {
        long[] out = new long[budget];
        System.arraycopy(tokens, 0, out, 0, headTokens);
        int tail = budget - headTokens;
        System.arraycopy(tokens, tokens.length - tail, out, headTokens, tail);
        yield out;
      }
    };
  }
}
