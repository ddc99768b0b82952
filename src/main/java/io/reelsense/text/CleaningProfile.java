package io.reelsense.text;

import java.util.EnumSet;
import java.util.Set;

/** Named sets of cleaning steps. */
public enum CleaningProfile {
  /**
   * Every step, with NLTK's stop words: the original study's preprocessing for bag-of-words models.
   */
  FULL(EnumSet.allOf(CleaningStep.class)),
  /** HTML tags and white space only: the default for transformer input. */
  LIGHT(EnumSet.of(CleaningStep.STRIP_HTML, CleaningStep.COLLAPSE_WHITESPACE)),
  /** The text as it is. */
  NONE(EnumSet.noneOf(CleaningStep.class));

  private final Set<CleaningStep> steps;
  private final TextCleaner cleaner;

  CleaningProfile(EnumSet<CleaningStep> steps) {
    this.steps = Set.copyOf(steps);
    this.cleaner = new TextCleaner(steps, StopWords.nltkEnglish());
  }

  /** The steps of this profile. */
  public Set<CleaningStep> steps() {
    return steps;
  }

  /** A cleaner that applies this profile (shared, thread-safe). */
  public TextCleaner cleaner() {
    return cleaner;
  }

  /**
   * The profile's name in reports and on the command line: {@code full}, {@code light}, {@code
   * none}.
   */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Parses {@code full}, {@code light} or {@code none} (any case). */
  public static CleaningProfile parse(String name) {
    for (CleaningProfile p : values()) {
      if (p.name().equalsIgnoreCase(name)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "unknown cleaning profile '" + name + "'; known: full, light, none");
  }
}
