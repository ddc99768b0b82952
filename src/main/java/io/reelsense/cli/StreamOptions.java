package io.reelsense.cli;

import io.reelsense.model.encoder.Precision;
import io.reelsense.stream.ReelsenseConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options of an in-process topology (replay {@code --embedded}, demo): the model bundle, the
 * embedder, the micro-batch size and wait, and the device, as {@link ReelsenseConfig} keys.
 */
public final class StreamOptions {

  @Option(
      names = "--bundle",
      paramLabel = "DIR",
      description = "Model bundle directory (made by `reelsense train`).")
  Path bundle;

  @Option(
      names = "--embedder",
      paramLabel = "NAME",
      description =
          "Encoder behind review-embeddings: bge-small, minilm-l6, e5-small, bert-base-uncased,"
              + " auto (the bundle's own encoder, else bge-small) or none (no embeddings)"
              + " (model.embedder).")
  String embedder;

  @Option(
      names = "--embed-max-length",
      paramLabel = "TOKENS",
      description = "Tokens an embedded review is cut to, 8-512 (model.embedder.max.length).")
  Integer embedMaxLength;

  @Option(
      names = "--batch-size",
      paramLabel = "N",
      description = "Reviews per model call (config key batch.size).")
  Integer batchSize;

  @Option(
      names = "--batch-wait",
      converter = DurationConverter.class,
      paramLabel = "DURATION",
      description = "Longest a review waits for its micro-batch, e.g. 100ms (batch.max.wait.ms).")
  Duration batchWait;

  @Option(
      names = "--device",
      paramLabel = "DEVICE",
      description = "Where the model runs: auto, cpu, gpu or gpu:N (model.device).")
  String device;

  @Option(
      names = "--precision",
      paramLabel = "P",
      converter = PrecisionConverter.class,
      description = "Number format of the encoders: fp32 or fp16 (GPU only) (model.precision).")
  Precision precision;

  /** The configuration keys these options set (only those given). */
  Map<String, String> overrides() {
    Map<String, String> m = new LinkedHashMap<>();
    if (bundle != null) {
      m.put(ReelsenseConfig.BUNDLE, bundle.toString());
    }
    if (embedder != null) {
      m.put(ReelsenseConfig.EMBEDDER, embedder);
    }
    if (embedMaxLength != null) {
      m.put(ReelsenseConfig.EMBEDDER_MAX_LENGTH, Integer.toString(embedMaxLength));
    }
    if (batchSize != null) {
      m.put(ReelsenseConfig.BATCH_SIZE, Integer.toString(batchSize));
    }
    if (batchWait != null) {
      m.put(ReelsenseConfig.BATCH_MAX_WAIT_MS, Long.toString(batchWait.toMillis()));
    }
    if (device != null) {
      m.put(ReelsenseConfig.DEVICE, device);
    }
    if (precision != null) {
      m.put(ReelsenseConfig.PRECISION, precision.label());
    }
    return m;
  }
}
