package io.reelsense.eval.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.reelsense.avro.ScoredReview;
import io.reelsense.eval.OutputReader;
import io.reelsense.stream.DeadLetters;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LedgerTest {

  private static OutputReader.Score score(String id, long at) {
    ScoredReview s =
        ScoredReview.newBuilder()
            .setReviewId(id)
            .setLabel(1)
            .setLabelName("positive")
            .setPositiveProbability(0.9)
            .setRating(0)
            .setRatingProbability(0)
            .setModelId("m")
            .setReceivedAt(Instant.ofEpochMilli(at))
            .setScoredAt(Instant.ofEpochMilli(at))
            .setBatchSize(1)
            .setInferenceMs(1)
            .build();
    return new OutputReader.Score(s, "out", 0, 0, at, at);
  }

  private static OutputReader.Letter letter(String topic, int p, long o, String reason, long at) {
    return new OutputReader.Letter(
        null,
        DeadLetters.of(topic, p, o, "deserialize", reason, null, null, at),
        "dlq",
        0,
        0,
        at,
        at);
  }

  @Test
  void countsLostDuplicatedAndStraysWhateverTheOrderOfInputsAndOutputs() {
    Ledger l = new Ledger("in");
    // the score arrives before the producer's acknowledgement
    l.output(score("a", 1000));
    l.input(0, 0, "a", "review", Ledger.Expect.SCORED, null);
    l.input(0, 1, "b", "review", Ledger.Expect.SCORED, null);
    l.input(1, 0, "c", "review", Ledger.Expect.SCORED, null);
    l.output(score("b", 1100));
    l.output(score("b", 1200));
    l.output(letter("in", 1, 7, "unknown magic byte 0x07", 4000));
    l.output(letter("in", 1, 8, "null value (tombstone)", 4100));
    l.input(1, 8, null, "null_value", Ledger.Expect.DEAD_LETTER, "deserialize: null value");
    l.output(score("zzz", 4200));

    Ledger.Tally t = l.tally();
    assertThat(t.inputs()).isEqualTo(4);
    assertThat(l.accounted()).isEqualTo(3);
    assertThat(t.lost()).isEqualTo(1);
    assertThat(t.lostExamples()).containsExactly("c");
    assertThat(t.duplicated()).isEqualTo(1);
    assertThat(t.duplicatedExamples()).containsExactly("b");
    assertThat(t.scored()).isEqualTo(2);
    assertThat(t.deadLettered()).isEqualTo(1);
    assertThat(t.reasons()).containsEntry("deserialize/null_value", 1);
    // the dead letter at 1@7 and the score of zzz match no input
    assertThat(t.unexpected()).isEqualTo(2);
    // b is duplicated, so not as expected; the null value is
    assertThat(t.mismatched()).isEqualTo(1);
    assertThat(t.categories().get("null_value")).containsEntry("as_expected", 1);
    assertThat(t.longestGapMs()).isEqualTo(2800);
    assertThat(t.exact()).isFalse();
  }

  @Test
  void aDeadLetterWithTheWrongReasonIsNotAsExpected() {
    Ledger l = new Ledger("in");
    l.input(0, 0, "a", "empty_text", Ledger.Expect.DEAD_LETTER, "validate: empty");
    l.output(letter("in", 0, 0, "unknown magic byte 0x07", 1));
    l.input(0, 1, "b", "html", Ledger.Expect.SCORED, null);
    l.output(score("b", 2));

    Ledger.Tally t = l.tally();
    assertThat(t.lost()).isZero();
    assertThat(t.duplicated()).isZero();
    assertThat(t.mismatched()).isEqualTo(1);
    assertThat(t.mismatchExamples().get(0)).contains("empty_text a: deserialize:");
    assertThat(t.exact()).isFalse();
  }
}
