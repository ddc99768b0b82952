package io.reelsense.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextCleanerTest {

  private static final String REVIEW =
      "This is the BEST film of 2006.<br /><br />I've seen it 3 times -\nand I'd see it again!";

  @Test
  void fullProfileAppliesEveryStep() {
    assertThat(CleaningProfile.FULL.cleaner().clean(REVIEW))
        .isEqualTo("best film . seen times - see!");
  }

  @Test
  void lightProfileOnlyStripsHtmlAndWhitespace() {
    assertThat(CleaningProfile.LIGHT.cleaner().clean(REVIEW))
        .isEqualTo("This is the BEST film of 2006. I've seen it 3 times - and I'd see it again!");
  }

  @Test
  void noneProfileKeepsTheText() {
    assertThat(CleaningProfile.NONE.cleaner().clean(REVIEW)).isEqualTo(REVIEW);
    assertThat(CleaningProfile.NONE.cleaner().clean(null)).isEmpty();
  }

  @Test
  void stepsRunInCanonicalOrderWhateverTheGivenOrder() {
    TextCleaner c = TextCleaner.of(CleaningStep.REMOVE_STOP_WORDS, CleaningStep.LOWERCASE);
    assertThat(c.steps()).containsExactly(CleaningStep.LOWERCASE, CleaningStep.REMOVE_STOP_WORDS);
    assertThat(c.clean("THE End")).isEqualTo("end");
  }

  @Test
  void sklearnListCanReplaceNltk() {
    TextCleaner c =
        TextCleaner.of(
            List.of(CleaningStep.REMOVE_STOP_WORDS, CleaningStep.COLLAPSE_WHITESPACE),
            StopWords.sklearnEnglish());
    // "well" and "serious" are sklearn stop words, not NLTK ones; "don't" is NLTK's only
    assertThat(c.clean("serious movie, well done")).isEqualTo("movie,");
    assertThat(CleaningProfile.FULL.cleaner().clean("serious movie, well done"))
        .isEqualTo("serious movie, well done");
  }

  @Test
  void cleanRowsDropsBlankRowsAndCountsThem() {
    record Row(int id, String text) {}
    List<Row> rows =
        List.of(new Row(1, "A <br/> fine film"), new Row(2, "<br />"), new Row(3, "the it"));
    TextCleaner.Result<Row> r =
        CleaningProfile.FULL.cleaner().cleanRows(rows, Row::text, (row, t) -> new Row(row.id(), t));
    assertThat(r.kept()).containsExactly(new Row(1, "fine film"));
    assertThat(r.dropped()).isEqualTo(2);
  }

  @Test
  void profilesParseAndNameThemselves() {
    assertThat(CleaningProfile.parse("Light")).isEqualTo(CleaningProfile.LIGHT);
    assertThat(CleaningProfile.FULL.label()).isEqualTo("full");
    assertThat(CleaningProfile.FULL.steps()).hasSize(CleaningStep.values().length);
    assertThatThrownBy(() -> CleaningProfile.parse("heavy"))
        .hasMessageContaining("full, light, none");
  }
}
