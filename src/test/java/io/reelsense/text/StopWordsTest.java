package io.reelsense.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StopWordsTest {

  @Test
  void nltkListHasItsKnownSize() {
    assertThat(StopWords.nltkEnglish())
        .hasSize(179)
        .contains("i", "me", "don't", "t", "wouldn't", "should've")
        .doesNotContain("", "#");
  }

  @Test
  void sklearnListHasItsKnownSize() {
    assertThat(StopWords.sklearnEnglish())
        .hasSize(318)
        .contains("a", "amoungst", "couldnt", "noone", "yourselves")
        .doesNotContain("don't");
  }

  @Test
  void missingResourceIsReported() {
    assertThatThrownBy(() -> StopWords.load("nope.txt")).hasMessageContaining("nope.txt");
  }
}
