package io.reelsense.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.reelsense.data.ImdbCorpus;
import io.reelsense.data.ImdbReader;
import io.reelsense.data.SampleData;
import io.reelsense.model.tokenizer.BertTokenizer;
import io.reelsense.model.tokenizer.Truncation;
import io.reelsense.text.CleaningProfile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fine-tunes a tiny random BERT on the committed sample. */
class FineTunerTest {

  @TempDir static Path tmp;

  private static ImdbCorpus corpus;
  private static BertTokenizer tokenizer;

  @BeforeAll
  static void read() throws Exception {
    corpus = ImdbReader.read(ImdbReader.locate(SampleData.dir()));
    tokenizer = TinyBert.tokenizer();
  }

  @AfterAll
  static void close() {
    tokenizer.close();
  }

  static FineTuneOptions options(int epochs, int stopAfter) {
    return new FineTuneOptions(
        BaselineOptions.Task.BOTH,
        CleaningProfile.LIGHT,
        epochs,
        16,
        3e-3f,
        0.01f,
        0.1f,
        1.0f,
        0.1f,
        Truncation.head(64),
        42,
        0,
        0,
        64,
        10,
        0,
        stopAfter);
  }

  static FineTuner.Result train(Path dir, FineTuneOptions o, boolean resume) throws Exception {
    StringWriter log = new StringWriter();
    FineTuner tuner =
        new FineTuner(
            TinyBert.base(tokenizer),
            o,
            Device.cpu(),
            dir,
            Progress.NONE,
            new PrintWriter(log),
            () -> false);
    FineTuner.Result r = tuner.run(corpus, resume);
    System.out.println(log);
    return r;
  }

  @Test
  void learnsTheSample() throws Exception {
    long t = System.nanoTime();
    FineTuner.Result r = train(tmp.resolve("a"), options(3, 0), false);
    System.out.println((System.nanoTime() - t) / 1e9 + " s " + r.metrics());
    assertThat(r.completed()).isTrue();
    assertThat(r.test().accuracy()).isGreaterThan(0.65);
  }
}
