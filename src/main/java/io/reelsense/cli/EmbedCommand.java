package io.reelsense.cli;

import ai.djl.Device;
import io.reelsense.model.TextEmbedder;
import io.reelsense.model.encoder.Devices;
import io.reelsense.model.encoder.Encoders;
import io.reelsense.model.encoder.LineEmbedding;
import io.reelsense.model.encoder.ModelCatalog;
import io.reelsense.model.encoder.Precision;
import io.reelsense.model.tokenizer.Truncation;
import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code reelsense embed}: one text per input line, one JSON array (the model's pooled, normalized
 * vector) per output line, in input order.
 */
@Command(
    name = "embed",
    mixinStandardHelpOptions = true,
    description = {
      "Embed texts with a pretrained encoder: one text per line in, one JSON array (the pooled,"
          + " L2-normalized vector) per line out, in input order.",
      "Vectors go to --output or standard output; the summary goes to standard error (and, with"
          + " --json, a JSON object ends standard output)."
    })
public final class EmbedCommand extends ReportingCommand {

  /** Texts read and written per round: bounds memory for inputs of any length. */
  @Option(
      names = "--model",
      required = true,
      paramLabel = "NAME",
      description = "bge-small, minilm-l6, e5-small or bert-base-uncased (see: models list).")
  String model;

  @Option(
      names = "--input",
      required = true,
      paramLabel = "FILE",
      description = "UTF-8 text file, one text per line ('-' for standard input).")
  String input;

  @Option(
      names = "--output",
      paramLabel = "FILE",
      description = "Write the vectors here instead of standard output.")
  Path output;

  @Option(
      names = "--device",
      paramLabel = "DEV",
      defaultValue = "auto",
      description = "auto (GPU when there is one), cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}).")
  String device;

  @Option(
      names = "--precision",
      paramLabel = "P",
      defaultValue = "fp32",
      converter = PrecisionConverter.class,
      description =
          "Number format of the encoder: fp32 or fp16 (GPU only; bf16 is not available) (default:"
              + " ${DEFAULT-VALUE}).")
  Precision precision;

  @Option(
      names = "--batch-size",
      paramLabel = "N",
      defaultValue = "32",
      description = "Texts per forward pass (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(
      names = "--max-length",
      paramLabel = "N",
      defaultValue = "512",
      description = "Most tokens per text, [CLS] and [SEP] included (default: ${DEFAULT-VALUE}).")
  int maxLength;

  @Option(
      names = "--truncation",
      paramLabel = "HOW",
      defaultValue = "head",
      description = "head, tail or head+tail (default: ${DEFAULT-VALUE}).")
  String truncation;

  @Option(
      names = "--head-tokens",
      paramLabel = "N",
      description = "With head+tail: tokens kept from the start (default: a quarter, 128 of 510).")
  Integer headTokens;

  @Option(
      names = "--prefix",
      paramLabel = "TEXT",
      defaultValue = "",
      description = "Prepended to every text, e.g. 'query: ' for e5 (default: none).")
  String prefix;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description =
          "Intra-op threads of the PyTorch engine (default: one per CPU; 1 is faster on a"
              + " machine whose cores are already busy).")
  Integer threads;

  @Mixin RepositoryOption repo;

  @Override
  protected Report execute() throws Exception {
    Encoders.Options options;
    Device dev;
    try {
      // read by DJL when the PyTorch engine starts, i.e. on first use below
      Devices.useThreads(threads);
      ModelCatalog.get(model);
      options = new Encoders.Options(truncation(), batchSize, prefix, precision);
      dev = Devices.parse(device);
      precision.checkRunsOn(dev);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    Path repository = repo.repository();
    if (!input.equals("-") && !Files.isRegularFile(Path.of(input))) {
      throw new UserError("--input " + input + ": no such file");
    }
    long start = System.nanoTime();
    LineEmbedding result;
    try (TextEmbedder embedder = open(repository, dev, options);
        BufferedReader in =
            input.equals("-")
                ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                : Files.newBufferedReader(Path.of(input), StandardCharsets.UTF_8);
        Writer sink = output == null ? null : Files.newBufferedWriter(output)) {
      PrintWriter out = sink == null ? out() : new PrintWriter(sink);
      String name = ModelCatalog.get(model).name();
      result =
          LineEmbedding.run(
              embedder, name, dev.toString(), in, v -> out.println(Json.line(v)), start);
      out.flush();
    }
    Map<String, Object> json = result.toJson();
    if (output != null) {
      json.put("output", output.toString());
    }
    err().print(result.note(model));
    err().flush();
    return Report.of("", json);
  }

  private Truncation truncation() {
    Truncation.Strategy s = Truncation.Strategy.parse(truncation);
    if (s == Truncation.Strategy.HEAD_TAIL) {
      return headTokens == null
          ? Truncation.headTail(maxLength)
          : Truncation.headTail(maxLength, headTokens);
    }
    return new Truncation(s, maxLength, 0);
  }

  private TextEmbedder open(Path repository, Device dev, Encoders.Options options)
      throws Exception {
    try {
      return Encoders.embedder(model, repository, dev, options);
    } catch (FileNotFoundException | IllegalArgumentException e) {
      throw new UserError(e.getMessage(), e);
    }
  }
}
