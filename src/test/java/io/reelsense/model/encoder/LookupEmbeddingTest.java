package io.reelsense.model.encoder;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.nio.FloatBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The lookup gives the table's rows, and its gradient is the same bits every time: each row's
 * gradient is the batch's rows for that id added in input order, also when the batch is large
 * enough for PyTorch to spread the work over threads.
 */
class LookupEmbeddingTest {

  private static final int ROWS = 50;
  private static final int WIDTH = 64;
  // 16 x 256 ids of 3 values x 64 = 262,144 gradient elements: above PyTorch's 32,768-element
  // grain, where a gather's gradient is added by several threads at once
  private static final int B = 16;
  private static final int S = 256;

  @Test
  void looksUpRowsAndAddsRepeatedIdsGradientsInInputOrder() {
    try (NDManager manager = NDManager.newBaseManager(Devices.ENGINE)) {
      Random random = new Random(11);
      float[] table = new float[ROWS * WIDTH];
      for (int i = 0; i < table.length; i++) {
        table[i] = (float) random.nextGaussian();
      }
      long[] ids = new long[B * S];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = random.nextInt(3) == 0 ? 7 : random.nextInt(2) * 40 + 1; // 7, 1 and 41, repeated
      }
      float[] upstream = new float[B * S * WIDTH];
      for (int i = 0; i < upstream.length; i++) {
        upstream[i] = (float) random.nextGaussian();
      }

      LookupEmbedding lookup = new LookupEmbedding(ROWS, WIDTH);
      lookup.initialize(manager, DataType.FLOAT32, new Shape(B, S));
      Parameter parameter = lookup.getParameters().get("embedding");
      parameter.getArray().set(FloatBuffer.wrap(table));
      parameter.getArray().setRequiresGradient(true);
      ParameterStore ps = new ParameterStore(manager, false);

      float[] expected = new float[ROWS * WIDTH];
      for (int i = 0; i < ids.length; i++) {
        int row = (int) ids[i];
        for (int c = 0; c < WIDTH; c++) {
          expected[row * WIDTH + c] += upstream[i * WIDTH + c];
        }
      }
      for (int run = 0; run < 3; run++) {
        try (NDManager scope = manager.newSubManager();
            GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          NDArray in = scope.create(ids, new Shape(B, S));
          NDArray out = lookup.forward(ps, new NDList(in), true).head();
          assertThat(out.getShape()).isEqualTo(new Shape(B, S, WIDTH));
          float[] rows = out.toFloatArray();
          for (int c = 0; c < WIDTH; c++) {
            assertThat(rows[5 * WIDTH + c]).isEqualTo(table[(int) ids[5] * WIDTH + c]);
          }
          // d/dtable of sum(out * upstream) is upstream's rows summed per id
          NDArray loss = out.mul(scope.create(upstream, new Shape(B, S, WIDTH))).sum();
          collector.backward(loss);
          float[] gradient = parameter.getArray().getGradient().toFloatArray();
          assertThat(gradient).as("run %d", run).containsExactly(expected);
        }
        parameter.getArray().getGradient().subi(parameter.getArray().getGradient());
      }
    }
  }
}
