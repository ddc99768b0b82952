package io.reelsense.model.encoder;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A constant in a product or a power is still there for the backward pass after a garbage
 * collection between the forward and the backward pass (DJL's {@code mul(Number)} loses it: the
 * gradient of {@code x * 0.125} came out as -2.9e32 or 2.1e-38).
 */
class ConstantsTest {

  @Test
  void theConstantOfAProductOrAPowerOutlivesAGarbageCollectionBeforeBackward() throws Exception {
    float[] x = {0.5f, -1f, 2f, 3f};
    // d/dx sum(x * 0.125) = 0.125; d/dx sum(x^3) = 3 x^2
    assertGradient(
        a -> Constants.times(a, 0.125f), x, new float[] {0.125f, 0.125f, 0.125f, 0.125f});
    assertGradient(a -> Constants.pow(a, 3), x, new float[] {0.75f, 3f, 12f, 27f});
  }

  private static void assertGradient(UnaryOperator<NDArray> f, float[] values, float[] expected)
      throws InterruptedException {
    try (NDManager manager = NDManager.newBaseManager(Devices.ENGINE)) {
      for (int round = 0; round < 3; round++) {
        NDArray x = manager.create(values, new Shape(values.length));
        x.setRequiresGradient(true);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          NDArray y = f.apply(x).sum();
          churnNativeMemory();
          collector.backward(y);
          assertThat(x.getGradient().toFloatArray())
              .as("round %d", round)
              .containsExactly(expected);
        }
      }
    }
  }

  /** Collects garbage (freeing unreachable direct buffers) and reuses small native blocks. */
  private static void churnNativeMemory() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(20);
    }
    List<ByteBuffer> blocks = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      ByteBuffer b = ByteBuffer.allocateDirect(4);
      b.putFloat(0, 12345f);
      blocks.add(b);
    }
    // the blocks stay allocated until here, so the native allocator hands out fresh ones
    Reference.reachabilityFence(blocks);
  }
}
