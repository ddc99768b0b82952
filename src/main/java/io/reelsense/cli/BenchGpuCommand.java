package io.reelsense.cli;

import ai.djl.Device;
import io.reelsense.data.ImdbReader;
import io.reelsense.data.Review;
import io.reelsense.data.SampleData;
import io.reelsense.eval.StreamThroughput;
import io.reelsense.model.encoder.Checkup;
import io.reelsense.model.encoder.Devices;
import io.reelsense.model.encoder.EncoderThroughput;
import io.reelsense.model.encoder.Encoders;
import io.reelsense.model.encoder.ModelCatalog;
import io.reelsense.model.encoder.Precision;
import io.reelsense.model.encoder.PretrainedModel;
import io.reelsense.stream.local.EmbeddedStack;
import io.reelsense.train.TrainingSpeed;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code reelsense bench gpu}: the one check to run on a GPU host. Writes one JSON file with
 * doctor's report, encoder throughput over a grid of batch sizes, lengths and precisions,
 * fine-tuning steps per second, and the review stream's throughput with an encoder bundle.
 */
@Command(
    name = "gpu",
    mixinStandardHelpOptions = true,
    description = {
      "Measure what a GPU host gives: doctor's report, encoder throughput (batch 1/32/256 x"
          + " 128/512 tokens, fp32 and fp16), fine-tuning steps per second (batch 8 x 512"
          + " tokens) and the review stream's throughput with an encoder bundle, into one JSON"
          + " file.",
      "--quick uses tiny sizes (batch 1/4 x 8/16 tokens, 2 steps of 2 x 16, 24 reviews), so that"
          + " it also runs on a CPU."
    })
public final class BenchGpuCommand extends ReportingCommand {

  /** Encoders measured when no --model is given (those present). */
  static final List<String> DEFAULT_MODELS = List.of("bge-small", "bert-base-uncased");

  /** The model fine-tuned when no --train-model is given, when present. */
  static final String DEFAULT_TRAIN_MODEL = "bert-base-uncased";

  @Option(
      names = "--device",
      paramLabel = "DEV",
      defaultValue = "auto",
      description = "auto, cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}).")
  String device;

  @Option(names = "--quick", description = "Tiny sizes, a few seconds a part (runs on a CPU).")
  boolean quick;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      defaultValue = "bench-gpu.json",
      description = "Where the JSON goes (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(
      names = "--model",
      paramLabel = "NAME",
      split = ",",
      description =
          "Encoders to measure: catalog names or hub directories (default: bge-small and"
              + " bert-base-uncased, those present).")
  List<String> models;

  @Option(
      names = "--train-model",
      paramLabel = "NAME",
      description =
          "The model whose fine-tuning steps are timed and whose untrained-head bundle the stream"
              + " serves (default: bert-base-uncased when present, else the first --model).")
  String trainModel;

  @Option(
      names = "--bundle",
      paramLabel = "DIR",
      description =
          "The encoder bundle the stream serves (default: --train-model's encoder with an"
              + " untrained head, written to a scratch folder).")
  Path bundle;

  @Option(
      names = "--reviews",
      paramLabel = "N",
      description = "Reviews replayed through the stream (default: 1000, 24 with --quick).")
  Integer reviews;

  @Option(
      names = "--repo",
      paramLabel = "DIR",
      description = "Local Maven repository holding the model jars.")
  Path repo;

  /** Everything the JSON file holds. */
  public record GpuCheck(
      String started,
      double seconds,
      boolean quick,
      String device,
      Checkup doctor,
      String grid,
      List<EncoderThroughput.Cell> encoders,
      TrainingSpeed.Result training,
      StreamThroughput.Result stream,
      List<String> notes) {}

  @Override
  protected Report execute() throws Exception {
    Instant started = Instant.now();
    long t0 = System.nanoTime();
    Path repository = repo != null ? repo : ModelCatalog.localRepository();
    Checkup doctor = DoctorCommand.checkup(repository, null);
    Devices.useThreads(null);
    Device dev = EncoderOptions.parseDevice(device);
    List<String> notes = new ArrayList<>();
    List<PretrainedModel> present = new ArrayList<>();
    for (String name : models != null ? models : DEFAULT_MODELS) {
      PretrainedModel m = model(name);
      if (ModelCatalog.isPresent(m, repository)) {
        present.add(m);
      } else {
        notes.add(name + " is not here: skipped (reelsense models pull " + name + ")");
      }
    }
    EncoderThroughput.Grid grid =
        quick
            ? new EncoderThroughput.Grid(
                List.of(1, 4), List.of(8, 16), List.of(Precision.FP32, Precision.FP16), 2, 0)
            : new EncoderThroughput.Grid(
                List.of(1, 32, 256),
                List.of(128, 512),
                List.of(Precision.FP32, Precision.FP16),
                3,
                2);
    List<EncoderThroughput.Cell> cells = new ArrayList<>();
    for (PretrainedModel m : present) {
      progress("encoder throughput: " + m.name());
      Encoders.Loaded loaded = Encoders.load(m, ModelCatalog.localJar(m, repository));
      loaded.tokenizer().close();
      cells.addAll(EncoderThroughput.measure(m.name(), loaded.checkpoint(), dev, grid));
    }

    PretrainedModel trained = trainModel(repository, present, notes);
    TrainingSpeed.Result training = null;
    StreamThroughput.Result stream = null;
    if (trained != null) {
      Encoders.Loaded loaded = Encoders.load(trained, ModelCatalog.localJar(trained, repository));
      int tokens = quick ? 16 : 512;
      progress("fine-tuning steps: " + trained.name() + ", " + tokens + " tokens");
      training =
          TrainingSpeed.measure(
              trained.name(), loaded.checkpoint(), dev, quick ? 2 : 8, tokens, quick ? 2 : 5);
      Path scratch = Files.createTempDirectory("reelsense-bench");
      try {
        Path served = bundle;
        if (served == null) {
          served =
              StreamThroughput.untrainedBundle(loaded, quick ? 16 : 512, scratch.resolve("bundle"));
          notes.add(
              "the stream served "
                  + trained.name()
                  + " with an untrained sentiment head (throughput only; pass --bundle DIR for a"
                  + " trained one)");
        }
        loaded.tokenizer().close();
        List<Review> sample = ImdbReader.readSplit(SampleData.dir(), "test");
        int n = Math.min(sample.size(), reviews != null ? reviews : quick ? 24 : 1000);
        progress("stream: " + n + " reviews through " + served);
        stream =
            StreamThroughput.run(
                served,
                sample.subList(0, n),
                device,
                Precision.FP32,
                quick ? 8 : 64,
                scratch,
                Duration.ofMinutes(2));
      } finally {
        deleteQuietly(scratch);
      }
    } else {
      notes.add("no model to fine-tune or to serve: fine-tuning and stream parts skipped");
    }
    GpuCheck check =
        new GpuCheck(
            started.toString(),
            Math.round((System.nanoTime() - t0) / 1e8) / 10.0,
            quick,
            dev.toString(),
            doctor,
            EncoderThroughput.describe(grid),
            cells,
            training,
            stream,
            notes);
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(
        out,
        Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(check) + "\n",
        StandardCharsets.UTF_8);
    return Report.of(summary(check), check);
  }

  private PretrainedModel model(String name) {
    try {
      return ModelCatalog.get(name);
    } catch (IllegalArgumentException e) {
      throw new UserError("--model " + name + ": " + e.getMessage(), e);
    }
  }

  private PretrainedModel trainModel(
      Path repository, List<PretrainedModel> present, List<String> notes) {
    if (trainModel != null) {
      PretrainedModel m = model(trainModel);
      if (!ModelCatalog.isPresent(m, repository)) {
        throw new UserError(
            "--train-model "
                + trainModel
                + " is not here (reelsense models pull "
                + trainModel
                + ")");
      }
      return m;
    }
    PretrainedModel bert = model(DEFAULT_TRAIN_MODEL);
    if (ModelCatalog.isPresent(bert, repository)) {
      return bert;
    }
    if (present.isEmpty()) {
      return null;
    }
    notes.add(
        DEFAULT_TRAIN_MODEL
            + " is not here: fine-tuning timed on "
            + present.get(0).name()
            + " instead");
    return present.get(0);
  }

  private void progress(String line) {
    err().println(line + " …");
    err().flush();
  }

  private String summary(GpuCheck c) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "device %s, %s%n", c.device(), c.grid()));
    for (EncoderThroughput.Cell cell : c.encoders()) {
      sb.append(
          cell.skipped().isEmpty()
              ? String.format(
                  Locale.ROOT,
                  "  %-20s %s  batch %3d x %3d tokens: %,10.1f sequences/s%n",
                  cell.model(),
                  cell.precision(),
                  cell.batch(),
                  cell.tokens(),
                  cell.sequencesPerSecond())
              : String.format(
                  Locale.ROOT,
                  "  %-20s %s  batch %3d x %3d tokens: skipped (%s)%n",
                  cell.model(),
                  cell.precision(),
                  cell.batch(),
                  cell.tokens(),
                  cell.skipped()));
    }
    if (c.training() != null) {
      TrainingSpeed.Result t = c.training();
      sb.append(
          String.format(
              Locale.ROOT,
              "fine-tuning %s, batch %d x %d tokens: %.2f steps/s (loss %.3f)%n",
              t.model(),
              t.batch(),
              t.tokens(),
              t.stepsPerSecond(),
              t.lastLoss()));
    }
    if (c.stream() != null) {
      StreamThroughput.Result s = c.stream();
      sb.append(
          String.format(
              Locale.ROOT,
              "stream: %d of %d reviews scored, %.1f reviews/s, p50 %.0f ms, p95 %.0f ms%n",
              s.scored(),
              s.reviews(),
              s.reviewsPerSecond(),
              s.p50Ms(),
              s.p95Ms()));
    }
    for (String note : c.notes()) {
      sb.append("note: ").append(note).append('\n');
    }
    sb.append(String.format(Locale.ROOT, "written to %s in %.1f s", out, c.seconds()));
    return sb.toString();
  }

  private static void deleteQuietly(Path dir) {
    try {
      EmbeddedStack.deleteTree(dir);
    } catch (RuntimeException e) {
      // a temporary folder; the OS cleans it eventually
    }
  }
}
