package io.reelsense.train;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.reelsense.model.weights.BertCheckpoint;
import io.reelsense.model.weights.HfCheckpoint;
import io.reelsense.model.weights.NamedTensor;
import io.reelsense.model.weights.Safetensors;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;

/**
 * A resumable fine-tuning checkpoint: a directory with the encoder ({@code encoder/}, a Hugging
 * Face checkpoint), the heads ({@code heads.safetensors}), AdamW's moments ({@code
 * optimizer.safetensors}, absent for weights-only checkpoints) and {@code state.json} (where
 * training stands, see {@link State}). The batch order and dropout depend only on the seed, the
 * epoch and the step, so restoring these files continues a run exactly as if it had not stopped.
 *
 * <p>A checkpoint is written into a temporary sibling directory and renamed into place, so an
 * interrupted write leaves the previous checkpoint intact.
 */
public final class FineTuneCheckpoint {

  public static final String STATE = "state.json";
  public static final String ENCODER = "encoder";
  public static final String HEADS = "heads.safetensors";
  public static final String OPTIMIZER = "optimizer.safetensors";

  /** The state format this code reads and writes. */
  public static final int FORMAT = 1;

  static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private FineTuneCheckpoint() {}

  /**
   * Where a run stands.
   *
   * @param format {@link #FORMAT}
   * @param model the pretrained encoder's name
   * @param options the run's options
   * @param step optimizer steps done
   * @param epoch the epoch in progress (0-based)
   * @param batch batches of that epoch done
   * @param totalSteps steps of the whole run
   * @param bestValAccuracy best validation accuracy after an epoch so far (-1 before the first)
   * @param bestEpoch the epoch (1-based) of that accuracy; 0 before the first
   * @param loss mean training loss per logging window: {@code [step, loss]}
   * @param validation figures per finished epoch
   * @param trainSeconds seconds spent training (not scoring) so far
   * @param examples training examples processed so far
   */
  public record State(
      int format,
      String model,
      FineTuneOptions options,
      int step,
      int epoch,
      int batch,
      int totalSteps,
      double bestValAccuracy,
      int bestEpoch,
      List<double[]> loss,
      List<EpochValidation> validation,
      double trainSeconds,
      long examples) {}

  /** Writes weights, optimizer moments (may be null) and state into {@code dir}, atomically. */
  public static void write(
      Path dir,
      BertCheckpoint encoder,
      Map<String, NamedTensor> heads,
      Map<String, NamedTensor> optimizer,
      State state)
      throws IOException {
    Path parent = dir.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = parent.resolve(dir.getFileName() + ".tmp");
    deleteTree(tmp);
    HfCheckpoint.write(encoder, tmp.resolve(ENCODER), Map.of());
    Safetensors.write(tmp.resolve(HEADS), heads.values(), Map.of());
    if (optimizer != null) {
      Safetensors.write(tmp.resolve(OPTIMIZER), optimizer.values(), Map.of());
    }
    MAPPER.writeValue(tmp.resolve(STATE).toFile(), state);
    Path old = parent.resolve(dir.getFileName() + ".old");
    deleteTree(old);
    if (Files.exists(dir)) {
      move(dir, old);
    }
    move(tmp, dir);
    deleteTree(old);
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }

  /** Whether {@code dir} holds a checkpoint. */
  public static boolean exists(Path dir) {
    return Files.isRegularFile(dir.resolve(STATE));
  }

  /** Reads {@code state.json}; fails naming the file when it is of another format. */
  public static State readState(Path dir) throws IOException {
    Path file = dir.resolve(STATE);
    if (!Files.isRegularFile(file)) {
      throw new IOException("no checkpoint in " + dir + ": missing " + file);
    }
    State s = MAPPER.readValue(file.toFile(), State.class);
    if (s.format() != FORMAT) {
      throw new IOException(
          file + " has checkpoint format " + s.format() + ", this build reads " + FORMAT);
    }
    return s;
  }

  /** The encoder weights of a checkpoint. */
  public static BertCheckpoint readEncoder(Path dir) throws IOException {
    return HfCheckpoint.read(dir.resolve(ENCODER));
  }

  /** The head weights of a checkpoint. */
  public static Map<String, NamedTensor> readHeads(Path dir) throws IOException {
    return Safetensors.read(dir.resolve(HEADS));
  }

  /** AdamW's moments of a checkpoint (empty when it holds none). */
  public static Map<String, NamedTensor> readOptimizer(Path dir) throws IOException {
    Path file = dir.resolve(OPTIMIZER);
    return Files.isRegularFile(file) ? Safetensors.read(file) : Map.of();
  }

  /** Deletes a directory tree if present. */
  public static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            Files.delete(d);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
