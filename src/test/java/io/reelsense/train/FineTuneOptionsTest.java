package io.reelsense.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reelsense.model.tokenizer.Truncation;
import org.junit.jupiter.api.Test;

class FineTuneOptionsTest {

  @Test
  void withoutAServeLengthValidationAndTheBundleCutAsTrainingDoes() {
    FineTuneOptions o = with(Truncation.headTail(128), 0);
    assertThat(o.servingTruncation()).isEqualTo(Truncation.headTail(128));
    assertThat(o.asMap()).doesNotContainKeys("serve_max_length", "serve_truncation");
  }

  @Test
  void headTailKeepsItsHeadShareAtTheServeLength() {
    FineTuneOptions o = with(Truncation.headTail(128, 32), 512);
    assertThat(o.servingTruncation()).isEqualTo(Truncation.headTail(512, 130));
    assertThat(o.asMap())
        .containsEntry("max_length", 128)
        .containsEntry("truncation", "head+tail:32")
        .containsEntry("serve_max_length", 512)
        .containsEntry("serve_truncation", "head+tail:130");
  }

  @Test
  void headAndTailOnlyChangeTheirLength() {
    assertThat(with(Truncation.head(128), 256).servingTruncation()).isEqualTo(Truncation.head(256));
    assertThat(with(Truncation.tail(128), 64).servingTruncation()).isEqualTo(Truncation.tail(64));
  }

  @Test
  void aServeLengthBeyondTheEncodersIsRejected() {
    assertThatThrownBy(() -> with(Truncation.head(128), 513))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("513");
  }

  private static FineTuneOptions with(Truncation truncation, int serveMaxLength) {
    FineTuneOptions d = FineTuneOptions.defaults();
    return new FineTuneOptions(
        d.task(),
        d.cleaning(),
        d.epochs(),
        d.batchSize(),
        d.learningRate(),
        d.weightDecay(),
        d.warmupRatio(),
        d.maxGradNorm(),
        d.dropout(),
        truncation,
        serveMaxLength,
        d.seed(),
        d.maxTrain(),
        d.maxVal(),
        d.maxTest(),
        d.evalBatchSize(),
        d.logEvery(),
        d.checkpointEvery(),
        d.stopAfterSteps());
  }
}
