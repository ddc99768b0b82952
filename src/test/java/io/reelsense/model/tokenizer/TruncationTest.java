package io.reelsense.model.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class TruncationTest {

  private static final long[] TOKENS = LongStream.rangeClosed(1, 20).toArray();

  @Test
  void headKeepsTheStart() {
    assertThat(Truncation.head(7).cut(TOKENS)).containsExactly(1, 2, 3, 4, 5);
  }

  @Test
  void tailKeepsTheEnd() {
    assertThat(Truncation.tail(7).cut(TOKENS)).containsExactly(16, 17, 18, 19, 20);
  }

  @Test
  void headTailKeepsBothEnds() {
    assertThat(Truncation.headTail(7, 2).cut(TOKENS)).containsExactly(1, 2, 18, 19, 20);
  }

  @Test
  void shortTextsAreKeptWhole() {
    long[] few = {4, 5, 6};
    assertThat(Truncation.headTail(7, 2).cut(few)).containsExactly(4, 5, 6);
    assertThat(Truncation.tail(5).cut(few)).containsExactly(4, 5, 6);
  }

  @Test
  void theDefaultHeadTailIsSunEtAl128Plus382() {
    Truncation t = Truncation.headTail(512);
    assertThat(t.headTokens()).isEqualTo(128);
    long[] cut = t.cut(LongStream.range(0, 1000).toArray());
    assertThat(cut).hasSize(510);
    assertThat(cut[127]).isEqualTo(127);
    assertThat(cut[128]).isEqualTo(1000 - 382);
  }

  @Test
  void parsesStrategyNames() {
    assertThat(Truncation.Strategy.parse("head+tail")).isEqualTo(Truncation.Strategy.HEAD_TAIL);
    assertThat(Truncation.Strategy.parse("TAIL")).isEqualTo(Truncation.Strategy.TAIL);
    assertThatThrownBy(() -> Truncation.Strategy.parse("middle"))
        .hasMessageContaining("head, tail or head+tail");
  }

  @Test
  void rejectsBudgetsThatCannotHoldText() {
    assertThatThrownBy(() -> Truncation.head(2)).hasMessageContaining("max length 2");
    assertThatThrownBy(() -> Truncation.headTail(10, 9)).hasMessageContaining("9 head tokens");
  }
}
