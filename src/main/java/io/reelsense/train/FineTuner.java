package io.reelsense.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import ai.djl.training.tracker.PolynomialDecayTracker;
import ai.djl.training.tracker.Tracker;
import ai.djl.training.tracker.WarmUpTracker;
import io.reelsense.data.ImdbCorpus;
import io.reelsense.data.Review;
import io.reelsense.data.StratifiedSplit;
import io.reelsense.metrics.Scores;
import io.reelsense.model.ReviewScores;
import io.reelsense.model.encoder.BertEncoder;
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

  /** Steps in a row whose loss or gradient is not finite before training stops with an error. */
  static final int MAX_BAD_STEPS = 3;

  /** Updates skipped in this process because the loss or the gradient was not finite. */
  private int skippedSteps;

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
      Loop loop =
          new Loop(model, optimizer, parameters, o, schedule(o, total), train, state, listeners);
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
      Map<String, Object> metrics = metrics(model, state, valEval, testEval, train.size());
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

  /** The training loop over epochs and batches, from where {@code state} stands. */
  private final class Loop {
    private final FineTuneModel model;
    private final AdamW optimizer;
    private final Map<String, Parameter> parameters;
    private final FineTuneOptions o;
    private final Tracker schedule;
    private final FineTuneData.Encoded train;
    private final Loss loss = Loss.softmaxCrossEntropyLoss();
    private final Engine engine = Engine.getEngine(Devices.ENGINE);
    FineTuneCheckpoint.State state;
    FineTunePredictor.Scored lastValidation;
    private int step;
    private double trainSeconds;
    private long examples;
    private final List<double[]> losses;
    private final List<Map<String, Object>> validation;
    private double windowSum;
    private int windowCount;
    private double epochLossSum;
    private int epochLossSteps;
    private int badSteps;
    private final List<FineTuneListener> listeners;

    Loop(
        FineTuneModel model,
        AdamW optimizer,
        Map<String, Parameter> parameters,
        FineTuneOptions o,
        Tracker schedule,
        FineTuneData.Encoded train,
        FineTuneCheckpoint.State state,
        List<FineTuneListener> listeners) {
      this.listeners = listeners;
      this.model = model;
      this.optimizer = optimizer;
      this.parameters = parameters;
      this.o = o;
      this.schedule = schedule;
      this.train = train;
      this.state = state;
      this.step = state.step();
      this.trainSeconds = state.trainSeconds();
      this.examples = state.examples();
      this.losses = new ArrayList<>(state.loss());
      this.validation = new ArrayList<>(state.validation());
    }

    /** Runs to the end (true) or until told to stop (false, with a checkpoint). */
    boolean run(FineTuneData.Encoded val) throws IOException {
      for (int epoch = state.epoch(); epoch < o.epochs(); epoch++) {
        List<int[]> plan = LengthBatches.plan(train.lengths(), o.batchSize(), o.seed(), epoch);
        int first = epoch == state.epoch() ? state.batch() : 0;
        String name = String.format(Locale.ROOT, "epoch %d/%d", epoch + 1, o.epochs());
        epochLossSum = 0;
        epochLossSteps = 0;
        int done = 0;
        for (int b = 0; b < first; b++) {
          done += plan.get(b).length;
        }
        try (Progress.Bar bar = progress.start(name, done, train.size())) {
          for (int b = first; b < plan.size(); b++) {
            if (listeners.stream().anyMatch(FineTuneListener::stopRequested)) {
              save(epoch, b);
              stopped(FineTuneListener.Stop.REQUESTED);
              return false;
            }
            long t = System.nanoTime();
            float value = trainStep(plan.get(b));
            trainSeconds += (System.nanoTime() - t) / 1e9;
            examples += plan.get(b).length;
            bar.step(plan.get(b).length);
            if (Float.isFinite(value)) {
              windowSum += value;
              windowCount++;
              epochLossSum += value;
              epochLossSteps++;
            }
            if (step % o.logEvery() == 0 && windowCount > 0) {
              losses.add(new double[] {step, windowSum / windowCount});
              bar.message(String.format(Locale.ROOT, "loss %.4f", windowSum / windowCount));
              windowSum = 0;
              windowCount = 0;
            }
            boolean last = b == plan.size() - 1;
            if (!last && listeners.stream().anyMatch(l -> l.checkpointAfter(step))) {
              save(epoch, b + 1);
            }
            if (!last && listeners.stream().anyMatch(l -> l.stopAfter(step))) {
              save(epoch, b + 1);
              stopped(FineTuneListener.Stop.STEPS_IN_EPOCH);
              return false;
            }
          }
        }
        endOfEpoch(epoch, val);
        if (epoch + 1 < o.epochs() && listeners.stream().anyMatch(l -> l.stopAfterEpoch(step))) {
          stopped(FineTuneListener.Stop.STEPS_AT_EPOCH_END);
          return false;
        }
      }
      return true;
    }

    private void stopped(FineTuneListener.Stop why) {
      for (FineTuneListener l : listeners) {
        l.onStopped(why, step, checkpoints);
      }
    }

    private float trainStep(int[] batch) {
      engine.setRandomSeed(stepSeed(o.seed(), step));
      float value;
      try (NDManager scope = model.encoder().newBatchManager()) {
        List<long[]> seqs = new ArrayList<>(batch.length);
        long[] labels = new long[batch.length];
        long[] stars = new long[batch.length];
        for (int k = 0; k < batch.length; k++) {
          seqs.add(train.ids().get(batch[k]));
          labels[k] = train.labels()[batch[k]];
          if (o.task().rating()) {
            stars[k] = FineTuneData.starIndex(train.stars()[batch[k]]);
          }
        }
        BertEncoder.PaddedBatch padded = model.encoder().pad(scope, seqs);
        try (GradientCollector collector = engine.newGradientCollector()) {
          Map<String, NDArray> logits = model.forward(padded, true);
          NDArray total = null;
          for (Map.Entry<String, NDArray> e : logits.entrySet()) {
            long[] y = e.getKey().equals("sentiment") ? labels : stars;
            NDArray target = scope.create(y, new Shape(batch.length));
            NDArray l = loss.evaluate(new NDList(target), new NDList(e.getValue()));
            total = total == null ? l : total.add(l);
          }
          collector.backward(total);
          value = total.getFloat();
        }
      }
      float lr = schedule.getNewValue(step);
      float norm = optimizer.step(parameters, lr);
      step++;
      if (Float.isFinite(value) && Float.isFinite(norm)) {
        badSteps = 0;
        return value;
      }
      // the optimizer left the weights as they were; give up only if it keeps happening
      badSteps++;
      skippedSteps++;
      if (badSteps >= MAX_BAD_STEPS) {
        throw new IllegalStateException(
            String.format(
                Locale.ROOT,
                "training loss %s, gradient norm %s at step %d (%d steps in a row); lower --lr",
                value,
                norm,
                step,
                badSteps));
      }
      for (FineTuneListener l : listeners) {
        l.onSkippedStep(step, value, norm, optimizer.nonFiniteGradients());
      }
      return Float.NaN;
    }

    private void endOfEpoch(int epoch, FineTuneData.Encoded val) throws IOException {
      lastValidation = predictor.evaluate(model, val, o, "validate");
      Evaluation e = lastValidation.evaluation();
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("epoch", epoch + 1);
      row.put("step", step);
      row.put("val_accuracy", Scores.round(e.accuracy()));
      row.put("val_f1", Scores.round(e.f1()));
      if (e.hasRating()) {
        row.put("val_rating_accuracy", Scores.round(e.ratingAccuracy()));
        row.put("val_mae", Scores.round(e.ratingMae()));
      }
      // the epoch's steps run by this process (a resumed epoch counts from where it went on)
      double trainLoss = Double.NaN;
      if (epochLossSteps > 0) {
        trainLoss = epochLossSum / epochLossSteps;
        row.put("train_loss", Scores.round(trainLoss));
        row.put("train_loss_steps", epochLossSteps);
      }
      row.put("train_seconds", Scores.roundSeconds(trainSeconds));
      validation.add(row);
      boolean better = e.accuracy() > state.bestValAccuracy();
      double best = better ? e.accuracy() : state.bestValAccuracy();
      int bestEpoch = better ? epoch + 1 : state.bestEpoch();
      state = snapshot(epoch + 1, 0, best, bestEpoch);
      if (better) {
        FineTuneCheckpoint.write(
            checkpoints.resolve(BEST),
            model.encoder().toCheckpoint(),
            model.headTensors(),
            null,
            state);
      }
      save(epoch + 1, 0);
      FineTuneListener.EpochEnd end =
          new FineTuneListener.EpochEnd(
              epoch + 1,
              o.epochs(),
              step,
              trainLoss,
              epochLossSteps,
              e.accuracy(),
              better,
              trainSeconds > 0 ? examples / trainSeconds : 0.0);
      for (FineTuneListener l : listeners) {
        l.onEpochEnd(end);
      }
    }

    private FineTuneCheckpoint.State snapshot(int epoch, int batch, double best, int bestEpoch) {
      return new FineTuneCheckpoint.State(
          FineTuneCheckpoint.FORMAT,
          base.name(),
          o,
          step,
          epoch,
          batch,
          state.totalSteps(),
          best,
          bestEpoch,
          List.copyOf(losses),
          List.copyOf(validation),
          trainSeconds,
          examples);
    }

    private void save(int epoch, int batch) throws IOException {
      state = snapshot(epoch, batch, state.bestValAccuracy(), state.bestEpoch());
      FineTuneCheckpoint.write(
          checkpoints.resolve(LAST),
          model.encoder().toCheckpoint(),
          model.headTensors(),
          optimizer.state(),
          state);
    }
  }

  /** The dropout seed of a step: a fixed function of the run's seed and the step. */
  static int stepSeed(long seed, int step) {
    long h = seed * 0x9E3779B97F4A7C15L + step * 0xBF58476D1CE4E5B9L;
    h ^= h >>> 31;
    return (int) (h & 0x7fffffff);
  }

  private Map<String, Object> metrics(
      FineTuneModel model,
      FineTuneCheckpoint.State state,
      Evaluation validation,
      Evaluation test,
      int nTrain) {
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
