package io.reelsense.text;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Applies a set of {@link CleaningStep}s in their canonical order. Immutable and thread-safe.
 *
 * <pre>{@code
 * String clean = CleaningProfile.FULL.cleaner().clean(review.text());
 * TextCleaner sk = TextCleaner.of(Set.of(CleaningStep.LOWERCASE, CleaningStep.REMOVE_STOP_WORDS),
 *     StopWords.sklearnEnglish());
 * }</pre>
 */
public final class TextCleaner {

  private final List<CleaningStep> steps;
  private final Set<String> stopWords;

  TextCleaner(Collection<CleaningStep> steps, Set<String> stopWords) {
    EnumSet<CleaningStep> set = EnumSet.noneOf(CleaningStep.class);
    set.addAll(steps);
    this.steps = List.copyOf(set);
    this.stopWords = Set.copyOf(stopWords);
  }

  /** A cleaner with the given steps and NLTK's stop words. */
  public static TextCleaner of(Collection<CleaningStep> steps) {
    return new TextCleaner(steps, StopWords.nltkEnglish());
  }

  /** A cleaner with the given steps and NLTK's stop words. */
  public static TextCleaner of(CleaningStep... steps) {
    return of(List.of(steps));
  }

  /** A cleaner with the given steps and stop-word list (words in lower case). */
  public static TextCleaner of(Collection<CleaningStep> steps, Set<String> stopWords) {
    return new TextCleaner(steps, stopWords);
  }

  /** The steps, in the order they are applied. */
  public List<CleaningStep> steps() {
    return steps;
  }

  /** The stop words the {@link CleaningStep#REMOVE_STOP_WORDS} step removes. */
  public Set<String> stopWords() {
    return Collections.unmodifiableSet(stopWords);
  }

  /** Cleans one text; {@code null} is read as the empty text. */
  public String clean(String text) {
    String t = text == null ? "" : text;
    for (CleaningStep step : steps) {
      t = step.apply(t, stopWords);
    }
    return t;
  }

  /**
   * Rows that survive cleaning, and how many were dropped.
   *
   * @param kept the rows with cleaned text, in input order
   * @param dropped how many rows were blank (empty or white space only) after cleaning
   */
  public record Result<T>(List<T> kept, int dropped) {
    public Result {
      kept = List.copyOf(kept);
    }
  }

  /**
   * Cleans the text of every row and drops the rows whose cleaned text is blank.
   *
   * @param text reads a row's text
   * @param withText makes a copy of a row with the cleaned text
   */
  public <T> Result<T> cleanRows(
      Collection<T> rows, Function<T, String> text, BiFunction<T, String, T> withText) {
    List<T> kept = new ArrayList<>(rows.size());
    int dropped = 0;
    for (T row : rows) {
      String cleaned = clean(text.apply(row));
      if (cleaned.isBlank()) {
        dropped++;
      } else {
        kept.add(withText.apply(row, cleaned));
      }
    }
    return new Result<>(kept, dropped);
  }

  @Override
  public String toString() {
    return "TextCleaner" + steps.stream().map(CleaningStep::label).toList();
  }
}
