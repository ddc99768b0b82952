package io.reelsense.model.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import org.junit.jupiter.api.Test;

class LinearModelTest {

  private static final SparseVector X = new SparseVector(new int[] {0, 2}, new double[] {1.0, 2.0});

  @Test
  void binaryLogisticScoresTheSecondClass() {
    LinearModel m =
        new LinearModel(
            new int[] {0, 1},
            LinearModel.Link.LOGISTIC,
            new float[][] {{0.5f, 9f, -0.5f}},
            new double[] {0.25});
    // score = 0.5 - 1.0 + 0.25 = -0.25
    double p = 1 / (1 + Math.exp(0.25));
    assertThat(m.probabilities(X)).containsExactly(new double[] {1 - p, p}, within(1e-12));
    assertThat(m.predict(X)).isZero();
  }

  @Test
  void oneVsRestNormalizesSigmoidsAndSoftmaxNormalizesExponentials() {
    float[][] w = {{1f, 0f, 0f}, {0f, 0f, 1f}, {0f, 0f, 0f}};
    double[] b = {0, 0, 0};
    // scores: 1, 2, 0
    LinearModel ovr = new LinearModel(new int[] {1, 4, 10}, LinearModel.Link.LOGISTIC, w, b);
    double s1 = 1 / (1 + Math.exp(-1));
    double s2 = 1 / (1 + Math.exp(-2));
    double sum = s1 + s2 + 0.5;
    assertThat(ovr.probabilities(X))
        .containsExactly(new double[] {s1 / sum, s2 / sum, 0.5 / sum}, within(1e-12));
    assertThat(ovr.predict(X)).isEqualTo(4);
    LinearModel soft = new LinearModel(new int[] {1, 4, 10}, LinearModel.Link.SOFTMAX, w, b);
    double z = Math.E + Math.exp(2) + 1;
    assertThat(soft.probabilities(X))
        .containsExactly(new double[] {Math.E / z, Math.exp(2) / z, 1 / z}, within(1e-12));
  }

  @Test
  void roundTripKeepsEveryWeight() throws Exception {
    LinearModel m =
        new LinearModel(
            new int[] {1, 2, 3},
            LinearModel.Link.SOFTMAX,
            new float[][] {{1.5f, -2f, 3f}, {0.1f, 0.2f, 0.3f}, {-1f, -1f, -1f}},
            new double[] {-0.1, 0.2, 0.3});
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    m.write(new DataOutputStream(bytes));
    LinearModel back =
        LinearModel.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    assertThat(back.classes()).containsExactly(1, 2, 3);
    assertThat(back.link()).isEqualTo(LinearModel.Link.SOFTMAX);
    assertThat(back.probabilities(X)).containsExactly(m.probabilities(X));
  }

  @Test
  void rowsMustMatchClasses() {
    assertThatThrownBy(
            () ->
                new LinearModel(
                    new int[] {1, 2, 3},
                    LinearModel.Link.LOGISTIC,
                    new float[][] {{1f}},
                    new double[] {0}))
        .hasMessageContaining("1 weight rows for 3 classes");
  }

  @Test
  void lengthsBeyondTheirBoundsAreRefusedBeforeAllocating() throws Exception {
    assertThatThrownBy(() -> LinearModel.read(header(Integer.MAX_VALUE, 1, 1)))
        .isInstanceOf(java.io.IOException.class)
        .hasMessageContaining(Integer.MAX_VALUE + " classes")
        .hasMessageContaining("at most " + LinearModel.MAX_CLASSES);
    assertThatThrownBy(() -> LinearModel.read(header(2, 3, 1)))
        .isInstanceOf(java.io.IOException.class)
        .hasMessageContaining("3 weight rows");
    assertThatThrownBy(() -> LinearModel.read(header(2, 1, -5)))
        .isInstanceOf(java.io.IOException.class)
        .hasMessageContaining("-5 features");
    // a declared length within bounds but beyond the data: the stream ends, nothing huge is held
    assertThatThrownBy(() -> LinearModel.read(header(2, 1, LinearModel.MAX_DIMENSION)))
        .isInstanceOf(java.io.EOFException.class);
  }

  /** A linear model file's header with these lengths and the class labels, then nothing. */
  private static DataInputStream header(int classes, int rows, int dim) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(1);
    out.writeUTF("LOGISTIC");
    out.writeInt(classes);
    for (int i = 0; i < Math.min(classes, 4); i++) {
      out.writeInt(i);
    }
    out.writeInt(rows);
    out.writeInt(dim);
    return new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
  }
}
