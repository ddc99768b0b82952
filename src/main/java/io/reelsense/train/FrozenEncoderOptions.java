package io.reelsense.train;

import io.reelsense.data.StratifiedSplit;
import io.reelsense.model.tokenizer.Truncation;
import io.reelsense.text.CleaningProfile;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How to train heads on a frozen encoder.
 *
 * @param model the catalog name of the encoder ({@code minilm-l6}, {@code bge-small}, …)
 * @param task which heads to train
 * @param cleaning the cleaning profile applied to every text first
 * @param truncation max length (special tokens included) and which part of long texts to keep
 * @param batchSize texts per forward pass
 * @param cGrid the inverse regularization strengths tried; the best on validation is kept, per head
 * @param seed seed of the train/validation split
 * @param trainLimit fit on the first N reviews of the (shuffled) 80 % only; 0 = all of them
 * @param valLimit validate on the first N reviews of the (shuffled) 20 % only; 0 = all of them
 * @param testLimit score the first N reviews of the official test split shuffled with {@code seed}
 *     only (a random subset, for slow machines); 0 = all 25,000
 * @param threads threads for one-vs-rest training
 * @param device where the encoder runs: auto, cpu, gpu, gpu:N
 * @param cacheDir where pooled vectors are kept between runs
 */
public record FrozenEncoderOptions(
    String model,
    BaselineOptions.Task task,
    CleaningProfile cleaning,
    Truncation truncation,
    int batchSize,
    double[] cGrid,
    long seed,
    int trainLimit,
    int valLimit,
    int testLimit,
    int threads,
    String device,
    Path cacheDir) {

  /** The regularization strengths tried by default. */
  public static final double[] DEFAULT_C_GRID = {0.1, 1, 10, 100, 1000};

  public FrozenEncoderOptions {
    if (cGrid.length == 0 || Arrays.stream(cGrid).anyMatch(c -> !(c > 0))) {
      throw new IllegalArgumentException("C values must be > 0: " + Arrays.toString(cGrid));
    }
    if (batchSize < 1 || threads < 1 || trainLimit < 0 || valLimit < 0 || testLimit < 0) {
      throw new IllegalArgumentException("batch size and threads must be >= 1, limit >= 0");
    }
    cGrid = cGrid.clone();
  }

  /** The same options with another cleaning profile (the cleaning ablation). */
  public FrozenEncoderOptions withCleaning(CleaningProfile profile) {
    return new FrozenEncoderOptions(
        model,
        task,
        profile,
        truncation,
        batchSize,
        cGrid,
        seed,
        trainLimit,
        valLimit,
        testLimit,
        threads,
        device,
        cacheDir);
  }

  /** The training arguments as recorded in the bundle manifest and the report. */
  public Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model", model);
    m.put("frozen", true);
    m.put("task", task.name().toLowerCase(Locale.ROOT));
    m.put("cleaning", cleaning.label());
    m.put("max_length", truncation.maxLength());
    m.put("truncation", truncation.strategy().name().toLowerCase(Locale.ROOT).replace('_', '+'));
    if (truncation.strategy() == Truncation.Strategy.HEAD_TAIL) {
      m.put("head_tokens", truncation.headTokens());
    }
    m.put("batch_size", batchSize);
    m.put("C_grid", Arrays.stream(cGrid).boxed().toList());
    m.put("head", "liblinear L2R_LR (primal), intercept not regularized, one-vs-rest");
    m.put("seed", seed);
    m.put("validation_share", StratifiedSplit.VALIDATION_SHARE);
    m.put("train_limit", trainLimit);
    m.put("val_limit", valLimit);
    m.put("test_limit", testLimit);
    m.put("fit_on", "train-80");
    return m;
  }
}
