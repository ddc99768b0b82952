package io.reelsense.cli;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** The {@code train} options of full fine-tuning and of {@code --compare}: a picocli mixin. */
public final class FineTuneArgs {

  @Option(
      names = "--epochs",
      defaultValue = "3",
      paramLabel = "N",
      description = "Fine-tuning: passes over the training reviews (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(
      names = "--lr",
      defaultValue = "2e-5",
      paramLabel = "X",
      description = "Fine-tuning: peak learning rate of AdamW (default: ${DEFAULT-VALUE}).")
  float learningRate;

  @Option(
      names = "--weight-decay",
      defaultValue = "0.01",
      paramLabel = "X",
      description =
          "Fine-tuning: decoupled weight decay, not on biases and layer norms (default:"
              + " ${DEFAULT-VALUE}).")
  float weightDecay;

  @Option(
      names = "--warmup-ratio",
      defaultValue = "0.1",
      paramLabel = "X",
      description =
          "Fine-tuning: share of the steps of linear warm-up; then linear decay to 0 (default:"
              + " ${DEFAULT-VALUE}).")
  float warmupRatio;

  @Option(
      names = "--max-grad-norm",
      defaultValue = "1.0",
      paramLabel = "X",
      description =
          "Fine-tuning: clip the global gradient norm; 0 = off (default: ${DEFAULT-VALUE}).")
  float maxGradNorm;

  @Option(
      names = "--dropout",
      defaultValue = "0.1",
      paramLabel = "X",
      description = "Fine-tuning: dropout while training (default: ${DEFAULT-VALUE}).")
  float dropout;

  @Option(
      names = "--serve-max-length",
      defaultValue = "0",
      paramLabel = "N",
      description =
          "Fine-tuning: score validation and test, and serve the bundle, at N tokens, while"
              + " training batches stay cut at --max-length (head+tail keeps its head share);"
              + " a model trained on short cuts often reads whole reviews better. 0 = --max-length"
              + " (default: ${DEFAULT-VALUE}).")
  int serveMaxLength;

  @Option(
      names = "--eval-batch-size",
      defaultValue = "32",
      paramLabel = "N",
      description =
          "Fine-tuning: reviews per forward pass when scoring (default: ${DEFAULT-VALUE}).")
  int evalBatchSize;

  @Option(
      names = "--log-every",
      defaultValue = "50",
      paramLabel = "N",
      description =
          "Fine-tuning: record the mean training loss every N steps (default: ${DEFAULT-VALUE}).")
  int logEvery;

  @Option(
      names = "--checkpoint-every",
      defaultValue = "500",
      paramLabel = "N",
      description =
          "Fine-tuning: write a resumable checkpoint every N steps, besides every epoch's end and"
              + " Ctrl-C; 0 = only those (default: ${DEFAULT-VALUE}).")
  int checkpointEvery;

  @Option(
      names = "--stop-after-steps",
      defaultValue = "0",
      paramLabel = "N",
      description =
          "Fine-tuning: stop with a checkpoint after N optimizer steps in all, to go on later"
              + " with --resume; 0 = run to the end (default: ${DEFAULT-VALUE}).")
  int stopAfterSteps;

  @Option(
      names = "--resume",
      paramLabel = "DIR",
      description =
          "Fine-tuning: go on from the last checkpoint of an interrupted run (its --out"
              + " directory, or the checkpoints folder in it) with that run's arguments.")
  Path resume;

  @Option(
      names = "--keep-checkpoints",
      description =
          "Fine-tuning: keep OUT/checkpoints (last and best, with optimizer state) after a"
              + " finished run; by default they are deleted once the bundle is written.")
  boolean keepCheckpoints;

  @Option(
      names = "--compare",
      split = ",",
      paramLabel = "M1,M2,…",
      description =
          "Train each model under the same arguments (encoders fine-tuned, tfidf-lr/tfidf-nb as"
              + " the baseline, each on the same reviews) into OUT/<model>/ and write one"
              + " comparison table: OUT/compare.html and OUT/compare.json. Example:"
              + " bert-base-uncased,bge-small,minilm-l6,tfidf-lr")
  List<String> compare;
}
