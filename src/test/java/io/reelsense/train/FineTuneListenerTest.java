package io.reelsense.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class FineTuneListenerTest {

  @Test
  void checkpointsEveryNStepsAndNeverForZero() {
    FineTuneListener every3 = FineTuneListener.checkpointEvery(3);
    assertThat(every3.checkpointAfter(3)).isTrue();
    assertThat(every3.checkpointAfter(4)).isFalse();
    assertThat(every3.checkpointAfter(6)).isTrue();
    FineTuneListener never = FineTuneListener.checkpointEvery(0);
    assertThat(never.checkpointAfter(3)).isFalse();
    assertThat(never.stopAfter(3)).isFalse();
  }

  @Test
  void stopsOnceTheStepLimitIsReached() {
    FineTuneListener limit = FineTuneListener.stopAfterSteps(5);
    assertThat(limit.stopAfter(4)).isFalse();
    assertThat(limit.stopAfter(5)).isTrue();
    assertThat(limit.stopAfterEpoch(7)).isTrue();
    assertThat(FineTuneListener.stopAfterSteps(0).stopAfter(100)).isFalse();
    assertThat(FineTuneListener.stopAfterSteps(0).stopAfterEpoch(100)).isFalse();
  }

  @Test
  void stopsWhenAsked() {
    AtomicBoolean asked = new AtomicBoolean();
    FineTuneListener stop = FineTuneListener.stopWhen(asked::get);
    assertThat(stop.stopRequested()).isFalse();
    asked.set(true);
    assertThat(stop.stopRequested()).isTrue();
  }

  @Test
  void logsWhatTheUserReadsToGoOn() {
    StringWriter out = new StringWriter();
    FineTuneListener log = FineTuneListener.logTo(new PrintWriter(out));
    Path dir = Path.of("out", "checkpoints");
    log.onStopped(FineTuneListener.Stop.REQUESTED, 12, dir);
    log.onStopped(FineTuneListener.Stop.STEPS_AT_EPOCH_END, 20, dir);
    log.onSkippedStep(7, Float.NaN, 1.5f, List.of("a", "b", "c", "d"));
    log.onEpochEnd(new FineTuneListener.EpochEnd(1, 3, 20, 0.5, 20, 0.8125, true, 12.34));
    String n = System.lineSeparator();
    assertThat(out.toString())
        .isEqualTo(
            n
                + "stopped at step 12; checkpoint "
                + dir
                + " (go on with --resume)"
                + n
                + "stopped after 20 steps as asked; checkpoint "
                + dir
                + " (go on with --resume)"
                + n
                + n
                + "step 7: loss NaN, gradient norm 1.5 (not finite in a, b, c and 1 more); update"
                + " skipped"
                + n
                + "epoch 1/3: step 20, mean training loss 0.5000 over 20 steps, validation accuracy"
                + " 0.8125 (best so far), 12.3 examples/s"
                + n);
  }
}
