package io.reelsense.model.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class GeluTanhTest {

  @Test
  void matchesTheTanhFormulaAndDiffersFromExactGelu() {
    float[] x = {-4f, -1.5f, -0.5f, 0f, 0.3f, 1f, 2.5f, 6f};
    try (NDManager m = NDManager.newBaseManager(Device.cpu(), Devices.ENGINE)) {
      float[] y = BertLayerBlock.geluTanh(new NDList(m.create(x))).head().toFloatArray();
      float[] exact = m.create(x).getNDArrayInternal().gelu().toFloatArray();
      double maxGap = 0;
      for (int i = 0; i < x.length; i++) {
        double v = x[i];
        double want =
            0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
        assertThat((double) y[i]).as("x=" + v).isCloseTo(want, within(1e-6));
        maxGap = Math.max(maxGap, Math.abs(y[i] - exact[i]));
      }
      assertThat(maxGap).isBetween(1e-4, 1e-2);
    }
  }
}
