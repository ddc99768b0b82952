package io.reelsense.model.encoder;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.util.Locale;

/**
 * The number format an encoder's weights and activations use at inference: {@code fp32} (IEEE
 * single precision, the default and the format of every checkpoint) or {@code fp16} (IEEE half
 * precision: 10 mantissa bits, largest value 65504). Half precision halves the weights' memory and,
 * on a GPU with tensor cores, multiplies matrix throughput; pooled vectors always come back as
 * fp32.
 *
 * <p>fp16 runs only on a GPU: libtorch's CPU build has fp16 kernels, but they are slower than its
 * fp32 ones (bge-small over 40 reviews of 96 tokens on two shared cores: 29.2 s in fp16 against
 * 11.6 s in fp32 in one run, 52.7 s against 39.1 s in another under a heavier load). bfloat16
 * ({@code bf16}) is not offered: the PyTorch binding this build uses (DJL 0.36.0) aborts the whole
 * process (a native {@code terminate}, which no Java code can catch) as soon as it creates a
 * bfloat16 tensor, on the CPU as on a GPU.
 */
public enum Precision {
  FP32(DataType.FLOAT32),
  FP16(DataType.FLOAT16);

  private final DataType dataType;

  Precision(DataType dataType) {
    this.dataType = dataType;
  }

  /** The engine's data type of the weights and activations. */
  public DataType dataType() {
    return dataType;
  }

  /** Its name as options take it: {@code fp32}, {@code fp16}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code fp32} or {@code fp16} (any case; null or empty: fp32). */
  public static Precision parse(String value) {
    if (value == null || value.isBlank()) {
      return FP32;
    }
    String v = value.trim().toLowerCase(Locale.ROOT);
    for (Precision p : values()) {
      if (p.label().equals(v)) {
        return p;
      }
    }
    if (v.equals("bf16") || v.equals("bfloat16")) {
      throw new IllegalArgumentException(
          "precision '"
              + value
              + "' is not available: the PyTorch binding (DJL 0.36.0) aborts the process when"
              + " it creates a bfloat16 tensor; use fp16 on a GPU, fp32 on the CPU");
    }
    throw new IllegalArgumentException("precision '" + value + "': expected fp32 or fp16");
  }

  /**
   * Fails with a readable message when this precision should not run on {@code device}: fp16 on the
   * CPU.
   */
  public void checkRunsOn(Device device) {
    if (this == FP16 && !device.isGpu()) {
      throw new IllegalArgumentException(
          "fp16 runs only on a GPU, and the encoder runs on "
              + device
              + " (libtorch's CPU fp16 kernels are slower than its fp32 ones); use fp32 on"
              + " the CPU");
    }
  }
}
