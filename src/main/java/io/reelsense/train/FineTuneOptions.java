package io.reelsense.train;

import io.reelsense.data.StratifiedSplit;
import io.reelsense.model.tokenizer.Truncation;
import io.reelsense.text.CleaningProfile;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How to fine-tune an encoder with classification heads. The defaults are the original study's
 * training arguments (Hugging Face {@code Trainer}): 3 epochs, batch 8, AdamW with learning rate
 * 2e-5 and decoupled weight decay 0.01 (not on biases and layer norms), linear warm-up over 10 % of
 * the steps then linear decay to 0, gradient norm clipped at 1, dropout 0.1, evaluation after every
 * epoch, best epoch kept, seed 42.
 *
 * @param task which heads to train
 * @param cleaning the cleaning profile applied to every text first
 * @param epochs passes over the training reviews
 * @param batchSize reviews per optimizer step
 * @param learningRate peak learning rate
 * @param weightDecay decoupled weight decay of weight matrices and embeddings
 * @param warmupRatio share of the steps over which the learning rate rises from 0
 * @param maxGradNorm global gradient norm clip; 0 = none
 * @param dropout dropout rate of the encoder and before the heads, in training only
 * @param truncation how training texts are cut to the maximum length (special tokens included)
 * @param serveMaxLength the maximum length validation and test are scored at and the bundle serves
 *     (see {@link #servingTruncation()}); 0 = the training one
 * @param seed seed of the split, the batch order, dropout and the heads' initialization
 * @param maxTrain train on the first N reviews of the shuffled 80 % part; 0 = all
 * @param maxVal validate on the first N reviews of the shuffled 20 % part; 0 = all
 * @param maxTest score a seeded random N of the official test split; 0 = all
 * @param evalBatchSize reviews per forward pass when scoring
 * @param logEvery record the mean training loss every N steps
 * @param checkpointEvery write a resumable checkpoint every N steps (and at every epoch's end); 0 =
 *     only at epoch ends
 * @param stopAfterSteps stop (with a checkpoint) after this many optimizer steps in all, to go on
 *     later with resume; 0 = run to the end
 */
public record FineTuneOptions(
    BaselineOptions.Task task,
    CleaningProfile cleaning,
    int epochs,
    int batchSize,
    float learningRate,
    float weightDecay,
    float warmupRatio,
    float maxGradNorm,
    float dropout,
    Truncation truncation,
    int serveMaxLength,
    long seed,
    int maxTrain,
    int maxVal,
    int maxTest,
    int evalBatchSize,
    int logEvery,
    int checkpointEvery,
    int stopAfterSteps) {

  public FineTuneOptions {
    check(epochs >= 1, "epochs must be at least 1, got " + epochs);
    check(batchSize >= 1, "batch size must be at least 1, got " + batchSize);
    check(learningRate > 0, "learning rate must be above 0, got " + learningRate);
    check(weightDecay >= 0, "weight decay must be 0 or more, got " + weightDecay);
    check(
        warmupRatio >= 0 && warmupRatio < 1, "warm-up ratio must be in [0, 1), got " + warmupRatio);
    check(maxGradNorm >= 0, "max gradient norm must be 0 (none) or more, got " + maxGradNorm);
    check(dropout >= 0 && dropout < 1, "dropout must be in [0, 1), got " + dropout);
    check(maxTrain >= 0, "max train must be 0 (all) or more, got " + maxTrain);
    check(maxVal >= 0, "max validation must be 0 (all) or more, got " + maxVal);
    check(maxTest >= 0, "max test must be 0 (all) or more, got " + maxTest);
    check(evalBatchSize >= 1, "eval batch size must be at least 1, got " + evalBatchSize);
    check(logEvery >= 1, "log every must be at least 1, got " + logEvery);
    check(checkpointEvery >= 0, "checkpoint every must be 0 or more, got " + checkpointEvery);
    check(stopAfterSteps >= 0, "stop after steps must be 0 or more, got " + stopAfterSteps);
    check(
        serveMaxLength == 0 || (serveMaxLength >= 3 && serveMaxLength <= 512),
        "serve max length must be 0 (the training one) or in [3, 512], got " + serveMaxLength);
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** The original study's arguments, both heads, light cleaning, max length 256 (head). */
  public static FineTuneOptions defaults() {
    return new FineTuneOptions(
        BaselineOptions.Task.BOTH,
        CleaningProfile.LIGHT,
        3,
        8,
        2e-5f,
        0.01f,
        0.1f,
        1.0f,
        0.1f,
        Truncation.head(256),
        0,
        StratifiedSplit.SEED,
        0,
        0,
        0,
        32,
        50,
        500,
        0);
  }

  /** A copy that stops after {@code steps} optimizer steps in all (0 = runs to the end). */
  public FineTuneOptions withStopAfterSteps(int steps) {
    return new FineTuneOptions(
        task,
        cleaning,
        epochs,
        batchSize,
        learningRate,
        weightDecay,
        warmupRatio,
        maxGradNorm,
        dropout,
        truncation,
        serveMaxLength,
        seed,
        maxTrain,
        maxVal,
        maxTest,
        evalBatchSize,
        logEvery,
        checkpointEvery,
        steps);
  }

  /** The training arguments as recorded in the bundle manifest, the report and checkpoints. */
  public Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("task", task.name().toLowerCase(Locale.ROOT));
    m.put("cleaning", cleaning.label());
    m.put("epochs", epochs);
    m.put("batch_size", batchSize);
    m.put("optimizer", "AdamW (decoupled weight decay, not on biases and layer norms)");
    m.put("learning_rate", learningRate);
    m.put("weight_decay", weightDecay);
    m.put("schedule", "linear warm-up then linear decay to 0");
    m.put("warmup_ratio", warmupRatio);
    m.put("max_grad_norm", maxGradNorm);
    m.put("dropout", dropout);
    m.put("max_length", truncation.maxLength());
    m.put("truncation", truncationLabel(truncation));
    Truncation serving = servingTruncation();
    if (!serving.equals(truncation)) {
      m.put("serve_max_length", serving.maxLength());
      m.put("serve_truncation", truncationLabel(serving));
    }
    m.put("padding", "dynamic (longest in batch), length-bucketed batches");
    m.put("seed", seed);
    m.put("validation_share", StratifiedSplit.VALIDATION_SHARE);
    m.put("max_train", maxTrain);
    m.put("max_val", maxVal);
    m.put("max_test", maxTest);
    m.put("eval_batch_size", evalBatchSize);
    return m;
  }

  /**
   * How validation, test and the served bundle cut texts: the training truncation, at {@link
   * #serveMaxLength()} tokens when set. Head+tail keeps the head's share of the budget (32 of 126
   * at 128 becomes 130 of 510 at 512).
   */
  public Truncation servingTruncation() {
    if (serveMaxLength == 0 || serveMaxLength == truncation.maxLength()) {
      return truncation;
    }
    if (truncation.strategy() != Truncation.Strategy.HEAD_TAIL) {
      return new Truncation(truncation.strategy(), serveMaxLength, 0);
    }
    double share = truncation.headTokens() / (double) (truncation.maxLength() - 2);
    return Truncation.headTail(serveMaxLength, (int) Math.round(share * (serveMaxLength - 2)));
  }

  /** {@code head}, {@code tail} or {@code head+tail:N}. */
  public static String truncationLabel(Truncation t) {
    return switch (t.strategy()) {
      case HEAD -> "head";
      case TAIL -> "tail";
      case HEAD_TAIL -> "head+tail:" + t.headTokens();
    };
  }
}
