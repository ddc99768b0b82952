package io.reelsense.model.encoder;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Attention cut into slices of sequences computes what attention over the whole batch does. */
class BertSelfAttentionBlockTest {

  private static final int B = 5;
  private static final int S = 16;
  private static final int E = 32;
  private static final int HEADS = 4;

  /** A block with seeded weights; {@code scoresPerSlice} small enough to attend one at a time. */
  private static BertSelfAttentionBlock block(NDManager manager, long scoresPerSlice) {
    BertSelfAttentionBlock block = new BertSelfAttentionBlock(E, HEADS, 0f, scoresPerSlice);
    block.initialize(manager, DataType.FLOAT32, new Shape(B, S, E), new Shape(B, 1, 1, S));
    Random random = new Random(7);
    for (var p : block.getParameters()) {
      Parameter parameter = p.getValue();
      NDArray a = parameter.getArray();
      float[] values = new float[Math.toIntExact(a.size())];
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) random.nextGaussian() * 0.2f;
      }
      a.set(java.nio.FloatBuffer.wrap(values));
    }
    return block;
  }

  private static NDArray forward(
      NDManager manager, BertSelfAttentionBlock block, NDArray x, NDArray mask) {
    ParameterStore ps = new ParameterStore(manager, false);
    NDList in = mask == null ? new NDList(x) : new NDList(x, mask);
    return block.forward(ps, in, false).head();
  }

  @Test
  void slicedAttentionEqualsWholeBatchAttentionWithAndWithoutPadding() {
    try (NDManager manager = NDManager.newBaseManager(Devices.ENGINE)) {
      manager.getEngine().setRandomSeed(3);
      NDArray x = manager.randomNormal(new Shape(B, S, E));
      // sequence i has 16 - 2i real tokens; padding gets the lowest float, as the encoder does
      float[] offsets = new float[B * S];
      for (int i = 0; i < B; i++) {
        for (int t = S - 2 * i; t < S; t++) {
          offsets[i * S + t] = -Float.MAX_VALUE;
        }
      }
      NDArray mask = manager.create(offsets, new Shape(B, 1, 1, S));
      long perSequence = (long) HEADS * S * S;
      BertSelfAttentionBlock whole = block(manager, Long.MAX_VALUE);
      BertSelfAttentionBlock oneAtATime = block(manager, perSequence);
      BertSelfAttentionBlock twoAtATime = block(manager, 2 * perSequence + 1);
      for (NDArray m : new NDArray[] {mask, null}) {
        NDArray expected = forward(manager, whole, x, m);
        assertThat(expected.getShape()).isEqualTo(new Shape(B, S, E));
        for (BertSelfAttentionBlock sliced :
            new BertSelfAttentionBlock[] {oneAtATime, twoAtATime}) {
          NDArray actual = forward(manager, sliced, x, m);
          float diff = actual.sub(expected).abs().max().getFloat();
          assertThat(diff).isLessThan(1e-5f);
        }
      }
      // padding matters: the masked result differs from the unmasked one
      assertThat(
              forward(manager, whole, x, mask)
                  .sub(forward(manager, whole, x, null))
                  .abs()
                  .max()
                  .getFloat())
          .isGreaterThan(1e-3f);
    }
  }
}
