package io.reelsense.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import ai.djl.training.tracker.Tracker;
import io.reelsense.metrics.Scores;
import io.reelsense.model.encoder.BertEncoder;
import io.reelsense.model.encoder.Devices;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The fine-tuning loop over epochs and batches, from where a {@link FineTuneCheckpoint.State}
 * stands: one optimizer step per batch (batches planned by {@link LengthBatches}), validation after
 * each epoch, checkpoints into {@code last/} (and {@code best/} when validation accuracy improves),
 * and the {@link FineTuneListener}s told of every step, epoch and stop. {@link FineTuner} sets it
 * up and scores the result.
 */
final class FineTuneLoop {

  /** Steps in a row whose loss or gradient is not finite before training stops with an error. */
  static final int MAX_BAD_STEPS = 3;

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
  private final List<EpochValidation> validation;
  private double windowSum;
  private int windowCount;
  private double epochLossSum;
  private int epochLossSteps;
  private int badSteps;
  private final List<FineTuneListener> listeners;
  private final Path checkpoints;
  private final Progress progress;
  private final FineTunePredictor predictor;

  /** Updates skipped in this process because the loss or the gradient was not finite. */
  private int skippedSteps;

  FineTuneLoop(
      FineTuneModel model,
      AdamW optimizer,
      Map<String, Parameter> parameters,
      FineTuneOptions o,
      Tracker schedule,
      FineTuneData.Encoded train,
      FineTuneCheckpoint.State state,
      List<FineTuneListener> listeners,
      Path checkpoints,
      Progress progress,
      FineTunePredictor predictor) {
    this.listeners = listeners;
    this.checkpoints = checkpoints;
    this.progress = progress;
    this.predictor = predictor;
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
    boolean rating = e.hasRating();
    // the epoch's steps run by this process (a resumed epoch counts from where it went on)
    double trainLoss = Double.NaN;
    if (epochLossSteps > 0) {
      trainLoss = epochLossSum / epochLossSteps;
    }
    EpochValidation row =
        new EpochValidation(
            epoch + 1,
            step,
            Scores.round(e.accuracy()),
            Scores.round(e.f1()),
            rating ? Scores.round(e.ratingAccuracy()) : null,
            rating ? Scores.round(e.ratingMae()) : null,
            epochLossSteps > 0 ? Scores.round(trainLoss) : null,
            epochLossSteps > 0 ? epochLossSteps : null,
            Scores.roundSeconds(trainSeconds));
    validation.add(row);
    boolean better = e.accuracy() > state.bestValAccuracy();
    double best = better ? e.accuracy() : state.bestValAccuracy();
    int bestEpoch = better ? epoch + 1 : state.bestEpoch();
    state = snapshot(epoch + 1, 0, best, bestEpoch);
    if (better) {
      FineTuneCheckpoint.write(
          checkpoints.resolve(FineTuner.BEST),
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
        state.model(),
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
        checkpoints.resolve(FineTuner.LAST),
        model.encoder().toCheckpoint(),
        model.headTensors(),
        optimizer.state(),
        state);
  }

  /** Updates skipped in this run because the loss or the gradient was not finite. */
  int skippedSteps() {
    return skippedSteps;
  }

  /** The dropout seed of a step: a fixed function of the run's seed and the step. */
  static int stepSeed(long seed, int step) {
    long h = seed * 0x9E3779B97F4A7C15L + step * 0xBF58476D1CE4E5B9L;
    h ^= h >>> 31;
    return (int) (h & 0x7fffffff);
  }
}
