package io.reelsense.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DataDescriptionTest {

  private static Review review(String split, int label, int id, String film, String text) {
    return new Review(
        split + (label == 1 ? "_pos_" : "_neg_") + id,
        split,
        label,
        label == 1 ? 9 : 2,
        film,
        text);
  }

  @Test
  void countsFilmsSplitsAndLengths() {
    ImdbCorpus corpus =
        new ImdbCorpus(
            List.of(
                review("train", 0, 0, "tt1", "one two"),
                review("train", 1, 0, "tt1", "one two three four"),
                review("train", 1, 1, "tt2", "x")),
            List.of(review("test", 0, 0, "tt2", "  "), review("test", 1, 0, "tt3", "a b c")));

    DataDescription d =
        DataDescription.of(corpus, List.of(), "strip", String::strip, TokenCounter.words(), 1);

    assertThat(d.train()).isEqualTo(3);
    assertThat(d.balance().get("train")).isEqualTo(Map.of("neg", 1, "pos", 2));
    assertThat(d.ratings().get("test")).containsEntry(2, 1).containsEntry(9, 1);
    assertThat(d.films().distinct()).isEqualTo(3);
    assertThat(d.films().inBothSplits()).isEqualTo(1);
    assertThat(d.films().maxReviews()).isEqualTo(2);
    assertThat(d.films().minReviews()).isEqualTo(1);
    assertThat(d.cleaned().emptyAfterCleaning()).isEqualTo(1);
    assertThat(d.cleaned().meanChars()).isEqualTo((7 + 18 + 1 + 0 + 5) / 5.0);
    assertThat(d.tokens().max()).isEqualTo(4);
    assertThat(d.tokens().p50()).isEqualTo(2);
    assertThat(d.catalogFilms()).isZero();
    assertThat(d.shown()).hasSize(1);
    assertThat(d.toJson())
        .containsKeys(
            "train", "test", "val_positive", "imdb_films", "catalog_films", "mean_clean_chars");
  }

  @Test
  void percentilesByNearestRank() {
    int[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    assertThat(DataDescription.percentile(sorted, 50)).isEqualTo(5);
    assertThat(DataDescription.percentile(sorted, 90)).isEqualTo(9);
    assertThat(DataDescription.percentile(sorted, 95)).isEqualTo(10);
    assertThat(DataDescription.percentile(new int[0], 50)).isZero();
  }

  @Test
  void wordCounterCountsRunsOfNonSpace() {
    TokenCounter words = TokenCounter.words();
    assertThat(words.name()).isEqualTo("words");
    assertThat(words.count("")).isZero();
    assertThat(words.count("  a  bc\td\n")).isEqualTo(3);
    assertThat(TokenCounter.of("chars", String::length).count("abc")).isEqualTo(3);
  }
}
