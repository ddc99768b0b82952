package io.reelsense.model.weights;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A weight file that cannot be used: truncated, corrupt, of the wrong format, missing a tensor or
 * holding one of the wrong shape or type. The message names the file and, where there is one, the
 * tensor.
 */
public class CheckpointException extends IOException {

  private final transient Path file;
  private final String tensor;

  /** An error about the whole file. */
  public CheckpointException(Path file, String message) {
    this(file, null, message, null);
  }

  /** An error about one tensor of the file. */
  public CheckpointException(Path file, String tensor, String message) {
    this(file, tensor, message, null);
  }

  /** An error about one tensor (or the whole file when {@code tensor} is null), with its cause. */
  public CheckpointException(Path file, String tensor, String message, Throwable cause) {
    super(format(file, tensor, message), cause);
    this.file = file;
    this.tensor = tensor;
  }

  private static String format(Path file, String tensor, String message) {
    return file + (tensor == null ? "" : ": tensor " + tensor) + ": " + message;
  }

  /** The file at fault. */
  public Path file() {
    return file;
  }

  /** The tensor at fault, or null when the error is about the whole file. */
  public String tensor() {
    return tensor;
  }
}
