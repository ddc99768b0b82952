package io.reelsense.bench;

import io.reelsense.data.DataLocation;
import io.reelsense.data.ImdbCorpus;
import io.reelsense.data.ImdbReader;
import io.reelsense.model.encoder.Devices;
import io.reelsense.model.encoder.Encoders;
import io.reelsense.model.encoder.ModelCatalog;
import io.reelsense.model.encoder.PretrainedModel;
import io.reelsense.model.tokenizer.Truncation;
import io.reelsense.text.CleaningProfile;
import io.reelsense.train.BaselineOptions;
import io.reelsense.train.DataChecksums;
import io.reelsense.train.FineTuneBundles;
import io.reelsense.train.FineTuneOptions;
import io.reelsense.train.FineTuneReport;
import io.reelsense.train.FineTuner;
import io.reelsense.train.Progress;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Full fine-tuning speed and quality on the full IMDb data, through the trainer's API (the {@code
 * train} command runs the same code): prints examples per second while training, the epoch's
 * validation accuracy and the official-test figures, and writes bundle and report into {@code
 * bench.out}. System properties: {@code bench.model} (default {@code minilm-l6}), {@code
 * bench.maxLength} (128), {@code bench.epochs} (1), {@code bench.maxTrain} (0 = all 20,000), {@code
 * bench.maxEval} (0 = all), {@code bench.batch} (8), {@code bench.device} (auto), {@code bench.out}
 * ({@code target/finetune-bench}), {@code bench.resume} (false), {@code bench.data}.
 *
 * <pre>
 * mvn -o -q test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.reelsense.bench.FineTuneBenchmark -Dbench.maxTrain=2000
 * </pre>
 */
public final class FineTuneBenchmark {

  private FineTuneBenchmark() {}

  public static void main(String[] args) throws Exception {
    String name = System.getProperty("bench.model", "minilm-l6");
    int maxLength = Integer.getInteger("bench.maxLength", 128);
    Path out = Path.of(System.getProperty("bench.out", "target/finetune-bench"));
    FineTuneOptions d = FineTuneOptions.defaults();
    FineTuneOptions o =
        new FineTuneOptions(
            BaselineOptions.Task.SENTIMENT,
            CleaningProfile.LIGHT,
            Integer.getInteger("bench.epochs", 1),
            Integer.getInteger("bench.batch", 8),
            d.learningRate(),
            d.weightDecay(),
            d.warmupRatio(),
            d.maxGradNorm(),
            d.dropout(),
            Truncation.head(maxLength),
            0,
            d.seed(),
            Integer.getInteger("bench.maxTrain", 0),
            Integer.getInteger("bench.maxEval", 0),
            Integer.getInteger("bench.maxEval", 0),
            32,
            10,
            50,
            0);
    PretrainedModel model = ModelCatalog.get(name);
    Path jar = ModelCatalog.localJar(model);
    Encoders.Loaded loaded = Encoders.load(model, jar);
    loaded.tokenizer().close();
    FineTuner.Base base =
        new FineTuner.Base(
            model.name(), loaded.checkpoint(), Encoders.tokenizerJson(model, jar), model.pooling());
    String dataDir = System.getProperty("bench.data");
    Path imdb = ImdbReader.locate(DataLocation.resolve(dataDir == null ? null : Path.of(dataDir)));
    ImdbCorpus corpus = ImdbReader.read(imdb);
    PrintWriter err = new PrintWriter(System.err, true);
    FineTuner tuner =
        new FineTuner(
            base,
            o,
            Devices.parse(System.getProperty("bench.device", "auto")),
            out.resolve("checkpoints"),
            Progress.bars(err),
            err,
            () -> false);
    FineTuner.Result r = tuner.run(corpus, Boolean.getBoolean("bench.resume"));
    if (!r.completed()) {
      System.out.println("stopped at step " + r.state().step());
      return;
    }
    Map<String, Object> metrics = new LinkedHashMap<>(r.metrics());
    FineTuneBundles.write(out, base, o, r, metrics, o.asMap(), DataChecksums.of(imdb, corpus));
    FineTuneReport.write(out, name + " fine-tuned", r, metrics, o.asMap());
    System.out.println(metrics);
  }
}
