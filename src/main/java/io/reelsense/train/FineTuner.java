package io.reelsense.train;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.tracker.PolynomialDecayTracker;
import ai.djl.training.tracker.Tracker;
import ai.djl.training.tracker.WarmUpTracker;
import io.reelsense.data.ImdbCorpus;
import io.reelsense.data.Review;
import io.reelsense.data.StratifiedSplit;
import io.reelsense.metrics.Scores;
import io.reelsense.model.ReviewScores;
import io.reelsense.model.encoder.Devices;
import io.reelsense.model.encoder.Pooling;
import io.reelsense.model.tokenizer.BertTokenizer;
import io.reelsense.model.tokenizer.Truncation;
import io.reelsense.model.weights.BertCheckpoint;
import io.reelsense.model.weights.NamedTensor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Full fine-tuning of a BERT encoder with classification heads on the DJL PyTorch engine (the GPU
 * when there is one), with the original study's protocol: the official train split is split 80/20
 * (stratified, seeded); the model trains on the 80 % in length-bucketed, dynamically padded
 * batches, is scored on the 20 % after every epoch, the best epoch is kept, and only that model is
 * scored once on the official test split.
 *
 * <p>Training writes resumable checkpoints ({@link FineTuneCheckpoint}) into a directory: {@code
 * last/} every {@link FineTuneOptions#checkpointEvery()} steps, at every epoch's end and when asked
 * to stop, and {@code best/} (weights only) whenever validation accuracy improves. Batch order and
 * dropout are functions of the seed, the epoch and the step, so a resumed run goes on exactly as an
 * uninterrupted one.
 */
public final class FineTuner {

  /** The sentiment task's classes. */
  public static final List<String> SENTIMENT_LABELS = List.of("negative", "positive");

  /**
   * The pretrained encoder to start from.
   *
   * @param name its catalog name (recorded in bundles and checkpoints)
   * @param checkpoint its weights
   * @param tokenizerJson its Hugging Face {@code tokenizer.json}
   * @param pooling how hidden states become one vector
   */
  public record Base(
      String name, BertCheckpoint checkpoint, String tokenizerJson, Pooling pooling) {

    /** A catalog model (bert-base-uncased, bge-small, …) from the given Maven repository. */
    public static Base catalog(String name, Path repository) throws IOException {
      FrozenEncoderTrainer.Base b = FrozenEncoderTrainer.Base.catalog(name, repository);
      return new Base(b.name(), b.checkpoint(), b.tokenizerJson(), b.pooling());
    }

    /** The tokenizer; close it after use. */
    public BertTokenizer tokenizer() {
      try {
        return BertTokenizer.fromTokenizerJson(
            new ByteArrayInputStream(tokenizerJson.getBytes(StandardCharsets.UTF_8)));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the tokenizer of " + name, e);
      }
    }
  }

  /**
   * What a run produced.
   *
   * @param completed false when it stopped early (stop signal or {@code stopAfterSteps}): then only
   *     {@code state} is meaningful and the checkpoint lets it resume
   * @param state where training stands (losses, validation per epoch)
   * @param encoder the best epoch's encoder weights
   * @param heads the best epoch's head weights
   * @param validation the best epoch's predictions on the validation reviews
   * @param test the best epoch's predictions on the test reviews
   * @param metrics the figures, in report order
   */
  public record Result(
      boolean completed,
      FineTuneCheckpoint.State state,
      BertCheckpoint encoder,
      Map<String, NamedTensor> heads,
      Evaluation validation,
      Evaluation test,
      Map<String, Object> metrics,
      List<ReviewScores> validationScores,
      List<ReviewScores> testScores) {}

  /** Checkpoint sub-directories. */
  public static final String LAST = "last";

  public static final String BEST = "best";

  private final Base base;
  private final FineTuneOptions options;
  private final Device device;
  private final Path checkpoints;
  private final Progress progress;
  private final PrintWriter log;
  private final BooleanSupplier stop;
  private final FineTunePredictor predictor;

  /**
   * @param base the encoder to start from
   * @param options the training arguments (ignored when resuming: the checkpoint's are used)
   * @param device where to train
   * @param checkpoints the checkpoint directory ({@code last/}, {@code best/})
   * @param progress progress bars
   * @param log one line per epoch and checkpoint
   * @param stop polled before every step: true stops with a checkpoint (Ctrl-C)
   */
  public FineTuner(
      Base base,
      FineTuneOptions options,
      Device device,
      Path checkpoints,
      Progress progress,
      PrintWriter log,
      BooleanSupplier stop) {
    this.base = base;
    this.options = options;
    this.device = device;
    this.checkpoints = checkpoints;
    this.progress = progress;
    this.log = log;
    this.stop = stop;
    this.predictor = new FineTunePredictor(progress);
  }

  /** The official splits cut down as {@code options} say. */
  public record Data(List<Review> train, List<Review> validation, List<Review> test) {}

  /**
   * The original study's split of the official train split (first {@code maxTrain} of the 80 %,
   * first {@code maxVal} of the 20 %) and the test split (the first {@code maxTest} of it shuffled
   * with the seed, as the frozen-encoder trainer draws it).
   */
  public static Data data(ImdbCorpus corpus, FineTuneOptions o) {
    StratifiedSplit split =
        StratifiedSplit.of(corpus.train(), StratifiedSplit.VALIDATION_SHARE, o.seed());
    List<Review> train = head(split.train(), o.maxTrain());
    List<Review> val = head(split.validation(), o.maxVal());
    List<Review> test = head(FrozenEncoderTrainer.shuffledTest(corpus, o.seed()), o.maxTest());
    return new Data(train, val, test);
  }

  private static List<Review> head(List<Review> list, int n) {
    return n > 0 && n < list.size() ? list.subList(0, n) : list;
  }

  /** Number of classes per task, in head order. */
  public static Map<String, Integer> classes(BaselineOptions.Task task) {
    Map<String, Integer> c = new LinkedHashMap<>();
    if (task.sentiment()) {
      c.put("sentiment", 2);
    }
    if (task.rating()) {
      c.put("rating", Evaluation.STAR_CLASSES.length);
    }
    return c;
  }

  /** Trains from scratch, or resumes from {@code checkpoints/last} when {@code resume}. */
  public Result run(ImdbCorpus corpus, boolean resume) throws IOException {
    Path lastDir = checkpoints.resolve(LAST);
    FineTuneCheckpoint.State state = null;
    FineTuneOptions o = options;
    if (resume) {
      state = FineTuneCheckpoint.readState(lastDir);
      if (!state.model().equals(base.name())) {
        throw new IllegalArgumentException(
            "checkpoint "
                + lastDir
                + " is of model "
                + state.model()
                + ", not "
                + base.name()
                + "; pass --model "
                + state.model());
      }
      // the run's own arguments, except when to stop: that is this invocation's to say
      o = state.options().withStopAfterSteps(options.stopAfterSteps());
    }
    Data data = data(corpus, o);
    FineTuneData.Encoded train;
    FineTuneData.Encoded val;
    FineTuneData.Encoded test;
    try (BertTokenizer tokenizer = base.tokenizer()) {
      train =
          FineTuneData.encode(
              tokenizer, data.train(), o, o.truncation(), progress, "tokenize train");
      Truncation serving = o.servingTruncation();
      val =
          FineTuneData.encode(
              tokenizer, data.validation(), o, serving, progress, "tokenize validation");
      test = FineTuneData.encode(tokenizer, data.test(), o, serving, progress, "tokenize test");
    }
    Map<String, Integer> classes = classes(o.task());
    int stepsPerEpoch = (train.size() + o.batchSize() - 1) / o.batchSize();
    int total = stepsPerEpoch * o.epochs();
    if (state == null) {
      state =
          new FineTuneCheckpoint.State(
              FineTuneCheckpoint.FORMAT,
              base.name(),
              o,
              0,
              0,
              0,
              total,
              -1,
              0,
              new ArrayList<>(),
              new ArrayList<>(),
              0,
              0);
    }
    BertCheckpoint start = resume ? FineTuneCheckpoint.readEncoder(lastDir) : base.checkpoint();
    try (FineTuneModel model =
            FineTuneModel.create(start, base.pooling(), classes, o.dropout(), device, o.seed());
        NDManager manager = NDManager.newBaseManager(device, Devices.ENGINE);
        AdamW optimizer =
            new AdamW(manager, o.weightDecay(), o.maxGradNorm(), AdamW::decaysByDefault)) {
      Map<String, Parameter> parameters = model.namedParameters();
      if (resume) {
        model.setHeadTensors(FineTuneCheckpoint.readHeads(lastDir));
        optimizer.restore(parameters, FineTuneCheckpoint.readOptimizer(lastDir), state.step());
      }
      log.printf(
          Locale.ROOT,
          "%s %s: %,d parameters on %s; %,d train / %,d validation / %,d test reviews;"
              + " %d epochs x %,d steps%s%n",
          resume ? "resuming" : "fine-tuning",
          base.name(),
          model.parameterCount(),
          device,
          train.size(),
          val.size(),
          test.size(),
          o.epochs(),
          stepsPerEpoch,
          resume ? " from step " + state.step() : "");
      log.flush();
      List<FineTuneListener> listeners =
          List.of(
              FineTuneListener.stopWhen(stop),
              FineTuneListener.checkpointEvery(o.checkpointEvery()),
              FineTuneListener.stopAfterSteps(o.stopAfterSteps()),
              FineTuneListener.logTo(log));
      FineTuneLoop loop =
          new FineTuneLoop(
              model,
              optimizer,
              parameters,
              o,
              schedule(o, total),
              train,
              state,
              listeners,
              checkpoints,
              progress,
              predictor);
      boolean completed = loop.run(val);
      state = loop.state;
      if (!completed) {
        return new Result(false, state, null, null, null, null, null, null, null);
      }
      Path bestDir = checkpoints.resolve(BEST);
      FineTunePredictor.Scored valScored = loop.lastValidation;
      if (state.bestEpoch() != o.epochs() || valScored == null) {
        model.setEncoderWeights(FineTuneCheckpoint.readEncoder(bestDir));
        model.setHeadTensors(FineTuneCheckpoint.readHeads(bestDir));
        valScored = predictor.evaluate(model, val, o, "validate (best)");
      }
      FineTunePredictor.Scored testScored = predictor.evaluate(model, test, o, "test");
      Evaluation valEval = valScored.evaluation();
      Evaluation testEval = testScored.evaluation();
      Map<String, Object> metrics =
          metrics(model, state, valEval, testEval, train.size(), loop.skippedSteps());
      return new Result(
          true,
          state,
          model.encoder().toCheckpoint(),
          model.headTensors(),
          valEval,
          testEval,
          metrics,
          valScored.scores(),
          testScored.scores());
    }
  }

  /** Linear warm-up from 0 over {@code ceil(total * ratio)} steps, then linear decay to 0. */
  static Tracker schedule(FineTuneOptions o, int total) {
    int warmup = (int) Math.ceil(total * (double) o.warmupRatio());
    int decay = Math.max(1, total - warmup);
    Tracker main =
        PolynomialDecayTracker.builder()
            .setBaseValue(o.learningRate())
            .setEndLearningRate(0f)
            .setDecaySteps(decay)
            .optPower(1f)
            .build();
    if (warmup == 0) {
      return main;
    }
    return WarmUpTracker.builder()
        .setMainTracker(main)
        .optWarmUpSteps(warmup)
        .optWarmUpBeginValue(0f)
        .build();
  }

  private Map<String, Object> metrics(
      FineTuneModel model,
      FineTuneCheckpoint.State state,
      Evaluation validation,
      Evaluation test,
      int nTrain,
      int skippedSteps) {
    Map<String, Object> m = Evaluation.scores(validation, test).toJson();
    m.put("best_epoch", state.bestEpoch());
    m.put("n_fit", nTrain);
    m.put("n_val", validation.size());
    m.put("n_test", test.size());
    m.put("parameters", model.parameterCount());
    m.put("steps", state.step());
    m.put("skipped_steps", skippedSteps);
    m.put("train_seconds", Scores.roundSeconds(state.trainSeconds()));
    m.put(
        "examples_per_second",
        state.trainSeconds() > 0
            ? Math.round(state.examples() / state.trainSeconds() * 100) / 100.0
            : 0.0);
    m.put("device", device.toString());
    return m;
  }
}
