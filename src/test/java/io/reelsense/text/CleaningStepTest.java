package io.reelsense.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class CleaningStepTest {

  @Test
  void stripHtmlReplacesTagsBySpaces() {
    assertThat(CleaningStep.STRIP_HTML.apply("Great.<br /><br />Really<i>good</i>"))
        .isEqualTo("Great.  Really good ");
    assertThat(CleaningStep.STRIP_HTML.apply("a<!-- hidden\n -->b")).isEqualTo("a b");
  }

  @Test
  void stripHtmlKeepsComparisonsThatAreNotTags() {
    assertThat(CleaningStep.STRIP_HTML.apply("3 < 5 > 2 and <3")).isEqualTo("3 < 5 > 2 and <3");
  }

  @Test
  void lowercaseUsesRootLocale() {
    assertThat(CleaningStep.LOWERCASE.apply("TITLE Ünd I")).isEqualTo("title ünd i");
  }

  @Test
  void removeDigitsDeletesDigitsOnly() {
    assertThat(CleaningStep.REMOVE_DIGITS.apply("10/10, the 1990s!")).isEqualTo("/, the s!");
  }

  @Test
  void collapseWhitespaceJoinsLineBreaksAndTrims() {
    assertThat(CleaningStep.COLLAPSE_WHITESPACE.apply("  a\r\n\tb \u00a0 c\n")).isEqualTo("a b c");
  }

  @Test
  void stopWordsRespectPunctuationAndContractions() {
    assertThat(CleaningStep.REMOVE_STOP_WORDS.apply("the movie, it's great!"))
        .isEqualTo("movie, great!");
    assertThat(CleaningStep.REMOVE_STOP_WORDS.apply("I didn\u2019t like the ending."))
        .isEqualTo("like ending.");
    assertThat(CleaningStep.REMOVE_STOP_WORDS.apply("movie of the.")).isEqualTo("movie.");
    assertThat(CleaningStep.REMOVE_STOP_WORDS.apply("well-made (and) o'brien"))
        .isEqualTo("well-made () o'brien");
    assertThat(CleaningStep.REMOVE_STOP_WORDS.apply("I've seen the film's end; we're done"))
        .isEqualTo("seen film's end; done");
  }

  @Test
  void stopWordsMatchCaseInsensitively() {
    assertThat(CleaningStep.REMOVE_STOP_WORDS.apply("The END", Set.of("the", "end"))).isEqualTo("");
  }

  @Test
  void parsesLabelsAndNames() {
    assertThat(CleaningStep.parse("strip-html")).isEqualTo(CleaningStep.STRIP_HTML);
    assertThat(CleaningStep.parse("REMOVE_DIGITS")).isEqualTo(CleaningStep.REMOVE_DIGITS);
    assertThatThrownBy(() -> CleaningStep.parse("stem"))
        .hasMessageContaining("unknown cleaning step 'stem'")
        .hasMessageContaining("strip-html");
  }
}
