package io.reelsense.model.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Arithmetic with a constant held in a tensor the engine owns, for arrays that may need a gradient.
 *
 * <p>DJL's {@code NDArray.mul(Number)} (and {@code pow}, {@code div}, …) wraps the number in a
 * tensor over a Java direct buffer and closes it as soon as the call returns. PyTorch keeps that
 * tensor for the backward pass of a product or a power, and the backward pass then reads the buffer
 * after the garbage collector may have freed it: the gradient comes out multiplied by whatever the
 * memory holds by then (0.125 became -2.9e32 in {@code ConstantsTest}'s check). In the encoder that
 * factor was attention's {@code 1/sqrt(d)}: fine-tuning on the CPU skipped the occasional step for
 * a NaN or infinite gradient norm with a finite loss, and two runs with the same seed could end
 * apart. A constant made here lives in engine memory, which the saved tensor keeps alive.
 */
final class Constants {

  private Constants() {}

  /** {@code value} as a scalar tensor of {@code like}'s type, on its device, in its manager. */
  private static NDArray of(NDArray like, float value) {
    return like.getManager().full(new Shape(), value, like.getDataType());
  }

  /** {@code x * c}. */
  static NDArray times(NDArray x, float c) {
    return x.mul(of(x, c));
  }

  /** {@code x ^ e}. */
  static NDArray pow(NDArray x, float e) {
    return x.pow(of(x, e));
  }
}
