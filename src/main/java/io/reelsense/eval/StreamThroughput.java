package io.reelsense.eval;

import io.reelsense.data.Review;
import io.reelsense.model.ReviewClassifier;
import io.reelsense.model.baseline.LinearHeads;
import io.reelsense.model.baseline.LinearModel;
import io.reelsense.model.bundle.Bundles;
import io.reelsense.model.encoder.EncoderModel;
import io.reelsense.model.encoder.Encoders;
import io.reelsense.model.encoder.ModelCatalog;
import io.reelsense.model.encoder.Pooling;
import io.reelsense.model.encoder.Precision;
import io.reelsense.model.tokenizer.Truncation;
import io.reelsense.stream.ReelsenseConfig;
import io.reelsense.stream.local.EmbeddedStack;
import io.reelsense.text.CleaningProfile;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The review stream's throughput with an encoder bundle: an embedded broker and schema registry,
 * the scoring topology with the bundle on a device, and a replay of reviews sent all at once, timed
 * from the first send to the last scored review.
 */
public final class StreamThroughput {

  private StreamThroughput() {}

  /**
   * What a replay through the stream gave.
   *
   * @param bundle the bundle's directory
   * @param device where its encoder ran ({@code model.device})
   * @param precision its number format
   * @param batchSize reviews per model call ({@code batch.size})
   * @param reviews reviews sent
   * @param scored reviews scored
   * @param deadLettered reviews on the dead-letter topic
   * @param seconds first send to last output
   * @param reviewsPerSecond scored reviews per second over that time
   * @param meanBatch the mean micro-batch the topology scored
   * @param p50Ms median time from send to scored output
   * @param p95Ms 95th percentile of that time
   */
  public record Result(
      String bundle,
      String device,
      String precision,
      int batchSize,
      int reviews,
      int scored,
      int deadLettered,
      double seconds,
      double reviewsPerSecond,
      double meanBatch,
      double p50Ms,
      double p95Ms) {}

  /**
   * Replays {@code reviews} through a stream serving {@code bundle} on {@code device}, with no
   * review or film embeddings (scoring only), and reports the throughput.
   *
   * @param work a scratch folder for the stream's state
   */
  public static Result run(
      Path bundle,
      List<Review> reviews,
      String device,
      Precision precision,
      int batchSize,
      Path work,
      Duration timeout)
      throws InterruptedException {
    try (EmbeddedStack stack = new EmbeddedStack()) {
      stack.startBroker();
      stack.startRegistry();
      Map<String, String> o = stack.overrides(work.resolve("streams-state"));
      o.put(ReelsenseConfig.BUNDLE, bundle.toString());
      o.put(ReelsenseConfig.DEVICE, device);
      o.put(ReelsenseConfig.PRECISION, precision.label());
      o.put(ReelsenseConfig.BATCH_SIZE, Integer.toString(batchSize));
      o.put(ReelsenseConfig.EMBEDDER, ReelsenseConfig.EMBEDDER_NONE);
      o.put(ReelsenseConfig.FILMS_ENCODER, ReelsenseConfig.EMBEDDER_NONE);
      o.put(ReelsenseConfig.APPLICATION_ID, "reelsense-bench");
      ReelsenseConfig config = ReelsenseConfig.of(o);
      ReviewClassifier classifier = Bundles.load(bundle, List.of(), device, precision);
      stack.startTopology(config, classifier, Duration.ofMinutes(2));
      ReplayLedger ledger =
          Replay.run(
              config,
              reviews,
              new Replay.Options(0, timeout, Duration.ofSeconds(30), "bench"),
              Replay.Listener.none());
      ReplayResult r = ReplayResult.of(ledger, null);
      return new Result(
          bundle.toString(),
          device,
          precision.label(),
          batchSize,
          r.n(),
          r.scored(),
          r.dlq(),
          r.elapsedSeconds(),
          r.reviewsPerSecond(),
          r.meanBatchSize(),
          r.endToEnd().p50(),
          r.endToEnd().p95());
    }
  }

  /**
   * Writes an encoder bundle of {@code loaded}'s encoder with an untrained sentiment head (zero
   * weights: every review scores 0.5): a bundle that costs what a fine-tuned one costs to serve,
   * for measuring throughput only.
   */
  public static Path untrainedBundle(Encoders.Loaded loaded, int maxLength, Path dir)
      throws IOException {
    int hidden = loaded.checkpoint().config().hiddenSize();
    LinearModel sentiment =
        new LinearModel(
            new int[] {0, 1}, LinearModel.Link.LOGISTIC, new float[1][hidden], new double[1]);
    String tokenizer =
        Encoders.tokenizerJson(loaded.model(), ModelCatalog.localJar(loaded.model()));
    EncoderModel model =
        new EncoderModel(
            loaded.model().name(),
            loaded.checkpoint(),
            tokenizer,
            Pooling.CLS,
            false,
            Truncation.head(Math.min(maxLength, loaded.checkpoint().config().maxLength())),
            "",
            true,
            new LinearHeads(sentiment, null));
    Bundles.writeEncoder(
        dir,
        model,
        CleaningProfile.NONE,
        Map.of("note", "untrained head, for throughput only"),
        Map.of(),
        Map.of());
    return dir;
  }
}
