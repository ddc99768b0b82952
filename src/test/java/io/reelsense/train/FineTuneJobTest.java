package io.reelsense.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.reelsense.data.SampleData;
import io.reelsense.model.bundle.Bundles;
import io.reelsense.model.tokenizer.Truncation;
import io.reelsense.text.CleaningProfile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fine-tuning job on a tiny random BERT: a finished run's bundle and JSON, and a stop. */
class FineTuneJobTest {

  @TempDir static Path tmp;

  private static TrainingData data;
  private static FineTuner.Base base;

  @BeforeAll
  static void readTheSample() throws Exception {
    data = TrainingData.read(SampleData.dir(), new PrintWriter(new StringWriter()));
    base = TinyBert.base(data.corpus().train(), 2000, tmp);
  }

  /** One epoch of 4 steps (128 reviews, batches of 32). */
  private static FineTuneOptions options() {
    return new FineTuneOptions(
        BaselineOptions.Task.BOTH,
        CleaningProfile.LIGHT,
        1,
        32,
        1e-2f,
        0.01f,
        0.1f,
        1.0f,
        0.1f,
        Truncation.head(64),
        0,
        42,
        128,
        64,
        64,
        64,
        5,
        0,
        0);
  }

  private static FineTuneJob.Setup setup(FineTuneJob.Stop stop, StringWriter log) {
    return new FineTuneJob.Setup(
        Device.cpu(), tmp.resolve("cache"), false, Progress.NONE, new PrintWriter(log), () -> stop);
  }

  private static List<String> keys(Map<String, Object> json) {
    return new ArrayList<>(json.keySet());
  }

  @Test
  void aFinishedRunWritesTheBundleAndCleansItsCheckpoints() throws Exception {
    Path out = tmp.resolve("done");
    FineTuneJob.Outcome outcome =
        FineTuneJob.fineTune(
            base,
            options(),
            data,
            out,
            out.resolve("checkpoints"),
            false,
            setup(FineTuneJob.Stop.NEVER, new StringWriter()));
    assertThat(outcome.completed()).isTrue();
    Map<String, Object> json = outcome.toJson();
    List<String> keys = keys(json);
    assertThat(keys.get(0)).isEqualTo("model");
    assertThat(keys.subList(1, 5))
        .containsExactly("test_accuracy", "test_f1", "val_accuracy", "val_f1");
    assertThat(keys.subList(keys.size() - 4, keys.size()))
        .containsExactly("kind", "cleaning", "bundle", "report");
    assertThat(json).containsEntry("kind", Bundles.ENCODER_KIND).containsEntry("n_fit", 128);
    assertThat(json.get("val_accuracy"))
        .isEqualTo(outcome.bundle().scores().toJson().get("val_accuracy"));
    assertThat(out.resolve(Bundles.MANIFEST)).isRegularFile();
    assertThat(out.resolve(TrainReport.FILE)).isRegularFile();
    assertThat(out.resolve("checkpoints")).doesNotExist();
  }

  @Test
  void aStopRequestLeavesACheckpointAndSaysWhereToGoOn() throws Exception {
    Path out = tmp.resolve("stopped");
    StringWriter log = new StringWriter();
    FineTuneJob.Stop now =
        new FineTuneJob.Stop() {
          @Override
          public boolean getAsBoolean() {
            return true;
          }

          @Override
          public void close() {}
        };
    FineTuneJob.Outcome outcome =
        FineTuneJob.fineTune(
            base, options(), data, out, out.resolve("checkpoints"), false, setup(now, log));
    assertThat(outcome.completed()).isFalse();
    assertThat(keys(outcome.toJson()))
        .containsExactly("model", "completed", "step", "total_steps", "checkpoints", "validation");
    assertThat(outcome.toJson()).containsEntry("step", 0).containsEntry("total_steps", 4);
    assertThat(log.toString()).contains("stopped at step 0").contains("go on with --resume");
    assertThat(Files.isDirectory(out.resolve("checkpoints").resolve(FineTuner.LAST))).isTrue();
    assertThat(out.resolve(Bundles.MANIFEST)).doesNotExist();
  }
}
