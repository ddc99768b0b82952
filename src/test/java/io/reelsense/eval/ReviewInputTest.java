package io.reelsense.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reelsense.data.Review;
import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReviewInputTest {

  private static List<Review> lines(String text) {
    return ReviewInput.lines(new BufferedReader(new StringReader(text)), "in", "p");
  }

  @Test
  void plainLinesAndJsonObjectsMix() {
    List<Review> r =
        lines(
            "Great film.\n\n"
                + "{\"id\": \"x1\", \"text\": \"Bad.\", \"film_id\": \"tt1\", \"label\": \"neg\","
                + " \"rating\": 2}\n"
                + "{\"review_id\": \"x2\", \"text\": \"Fine.\"}\n");
    assertThat(r).extracting(Review::id).containsExactly("p-1", "x1", "x2");
    assertThat(r.get(0).text()).isEqualTo("Great film.");
    assertThat(r.get(1).filmId()).isEqualTo("tt1");
    assertThat(r.get(1).label()).isZero();
    assertThat(r.get(1).rating()).isEqualTo(2);
    assertThat(r.get(2).label()).isNull();
  }

  @Test
  void badLinesNameTheSourceAndLine() {
    assertThatThrownBy(() -> lines("ok\n{\"text\": \n"))
        .isInstanceOf(EvalException.class)
        .hasMessageStartingWith("in line 2: not valid JSON");
    assertThatThrownBy(() -> lines("{\"id\": \"a\"}"))
        .hasMessageContaining("in line 1: no \"text\"");
    assertThatThrownBy(() -> lines("{\"text\": \"t\", \"label\": \"maybe\"}"))
        .hasMessageContaining("in line 1: bad label 'maybe'");
  }

  @Test
  void knowsTheUserFileExtensions() {
    assertThat(ReviewInput.knownFormat(Path.of("a.JSONL"))).isTrue();
    assertThat(ReviewInput.knownFormat(Path.of("a.csv"))).isTrue();
    assertThat(ReviewInput.knownFormat(Path.of("a.lines"))).isFalse();
  }
}
