package io.reelsense.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ScoresTest {

  private static final Scores BOTH =
      new Scores(
          0.912344999,
          0.9,
          0.1234567,
          0.5,
          new Scores.RatingScores(0.41, 1.2345678, 0.3, 0.88, 0.40, 1.25));

  @Test
  void jsonKeepsTheKeysAndOrderScriptsRead() {
    assertThat(BOTH.toJson().keySet())
        .containsExactly(
            "test_accuracy",
            "test_f1",
            "val_accuracy",
            "val_f1",
            "test_rating_accuracy",
            "test_mae",
            "test_rating_macro_f1",
            "test_rating_implied_accuracy",
            "val_rating_accuracy",
            "val_mae");
    Scores sentimentOnly = new Scores(0.8, 0.7, 0.6, 0.5, null);
    assertThat(sentimentOnly.toJson().keySet())
        .containsExactly("test_accuracy", "test_f1", "val_accuracy", "val_f1");
    assertThat(sentimentOnly.hasRating()).isFalse();
  }

  @Test
  void everyFigureIsRoundedToFiveDecimalsOnce() {
    Map<String, Object> json = BOTH.toJson();
    assertThat(json.get("test_accuracy")).isEqualTo(0.91234);
    assertThat(json.get("val_accuracy")).isEqualTo(0.12346);
    assertThat(json.get("test_mae")).isEqualTo(1.23457);
    assertThat(Scores.roundSeconds(12.345)).isEqualTo(12.3);
  }

  @Test
  void readsBackWhatItWrote() {
    Scores back = Scores.fromJson(BOTH.toJson());
    assertThat(back.toJson()).isEqualTo(BOTH.toJson());
    assertThatThrownBy(() -> Scores.fromJson(Map.of("test_accuracy", 0.5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("test_f1");
  }
}
