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
import io.reelsense.model.encoder.BertEncoder;
import io.reelsense.model.encoder.Devices;
import io.reelsense.model.encoder.Pooling;
import io.reelsense.model.weights.BertCheckpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * How fast fine-tuning steps run on a device: the fine-tuner's own step (the encoder and a
 * sentiment head built by {@link FineTuneModel}, forward with dropout, softmax cross-entropy,
 * backward, {@link AdamW} with weight decay and gradient clipping) on full-length batches of random
 * token ids with random labels, one step to warm up and then {@code steps} timed ones.
 */
public final class TrainingSpeed {

  private TrainingSpeed() {}

  /**
   * What was measured.
   *
   * @param model the model's name
   * @param batch sequences per step
   * @param tokens tokens per sequence
   * @param steps timed steps
   * @param seconds their total time
   * @param stepsPerSecond {@code steps / seconds}
   * @param sequencesPerSecond {@code stepsPerSecond * batch}
   * @param lastLoss the loss of the last step (finite when the step is sound)
   */
  public record Result(
      String model,
      int batch,
      int tokens,
      int steps,
      double seconds,
      double stepsPerSecond,
      double sequencesPerSecond,
      double lastLoss) {}

  /** Times {@code steps} fine-tuning steps of {@code checkpoint} on {@code device}. */
  public static Result measure(
      String model, BertCheckpoint checkpoint, Device device, int batch, int tokens, int steps) {
    if (tokens > checkpoint.config().maxLength()) {
      throw new IllegalArgumentException(
          tokens
              + " tokens exceed the "
              + checkpoint.config().maxLength()
              + " positions of "
              + model);
    }
    Engine engine = Engine.getEngine(Devices.ENGINE);
    engine.setRandomSeed(42);
    Random random = new Random(42);
    Loss loss = Loss.softmaxCrossEntropyLoss();
    try (FineTuneModel ft =
            FineTuneModel.create(
                checkpoint, Pooling.CLS, Map.of("sentiment", 2), 0.1f, device, 42);
        NDManager manager = NDManager.newBaseManager(device, Devices.ENGINE);
        AdamW optimizer = new AdamW(manager, 0.01f, 1f, AdamW::decaysByDefault)) {
      Map<String, Parameter> parameters = ft.namedParameters();
      int vocab = checkpoint.config().vocabSize();
      int low = vocab > 2000 ? 1000 : Math.min(5, vocab - 1);
      List<long[]> ids = new ArrayList<>(batch);
      long[] labels = new long[batch];
      for (int i = 0; i < batch; i++) {
        long[] seq = new long[tokens];
        for (int t = 0; t < tokens; t++) {
          seq[t] = low + random.nextInt(vocab - low);
        }
        ids.add(seq);
        labels[i] = random.nextInt(2);
      }
      step(engine, ft, optimizer, parameters, loss, ids, labels);
      long started = System.nanoTime();
      double last = Double.NaN;
      for (int s = 0; s < steps; s++) {
        last = step(engine, ft, optimizer, parameters, loss, ids, labels);
      }
      // waits for the last update on the device
      try (NDArray check = parameters.values().iterator().next().getArray().sum()) {
        check.getFloat();
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      double perSecond = steps / seconds;
      return new Result(model, batch, tokens, steps, seconds, perSecond, perSecond * batch, last);
    }
  }

  private static float step(
      Engine engine,
      FineTuneModel model,
      AdamW optimizer,
      Map<String, Parameter> parameters,
      Loss loss,
      List<long[]> ids,
      long[] labels) {
    float value;
    try (NDManager scope = model.encoder().newBatchManager()) {
      BertEncoder.PaddedBatch padded = model.encoder().pad(scope, ids);
      try (GradientCollector collector = engine.newGradientCollector()) {
        NDArray logits = model.forward(padded, true).get("sentiment");
        NDArray target = scope.create(labels, new Shape(labels.length));
        NDArray l = loss.evaluate(new NDList(target), new NDList(logits));
        collector.backward(l);
        // reading the loss waits for the device to finish the step
        value = l.getFloat();
      }
    }
    optimizer.step(parameters, 2e-5f);
    return value;
  }
}
