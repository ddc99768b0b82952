package io.reelsense.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import io.reelsense.model.encoder.Devices;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdamWTest {

  private static Map<String, Parameter> parameter(NDManager manager, float... values) {
    Parameter p = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build();
    NDArray w = manager.create(values);
    w.setRequiresGradient(true);
    p.setArray(w);
    Map<String, Parameter> named = new LinkedHashMap<>();
    named.put("layer.weight", p);
    return named;
  }

  /** Backpropagates {@code sum(w * factor)}, so the gradient is {@code factor} everywhere. */
  private static void backward(Parameter p, float factor) {
    try (GradientCollector c = Engine.getEngine(Devices.ENGINE).newGradientCollector()) {
      c.backward(p.getArray().mul(factor).sum());
    }
  }

  @Test
  void aFiniteStepMovesTheWeightsAgainstTheGradientAndZeroesIt() {
    try (NDManager manager = NDManager.newBaseManager(Devices.ENGINE);
        AdamW adam = new AdamW(manager, 0f, 1f, AdamW::decaysByDefault)) {
      Map<String, Parameter> named = parameter(manager, 1f, 2f);
      Parameter p = named.get("layer.weight");
      backward(p, 3f);
      float norm = adam.step(named, 0.1f);
      assertThat(norm).isCloseTo((float) Math.sqrt(18), org.assertj.core.data.Offset.offset(1e-4f));
      // Adam's first step moves each weight by the learning rate, against the gradient's sign
      assertThat(p.getArray().toFloatArray())
          .containsExactly(new float[] {0.9f, 1.9f}, org.assertj.core.data.Offset.offset(1e-4f));
      assertThat(p.getArray().getGradient().toFloatArray()).containsExactly(0f, 0f);
    }
  }

  @Test
  void aStepWhoseGradientIsNotFiniteChangesNothingAndClearsTheGradient() {
    try (NDManager manager = NDManager.newBaseManager(Devices.ENGINE);
        AdamW adam = new AdamW(manager, 0.01f, 1f, AdamW::decaysByDefault)) {
      Map<String, Parameter> named = parameter(manager, 1f, 2f);
      Parameter p = named.get("layer.weight");
      backward(p, Float.NaN);
      float norm = adam.step(named, 0.1f);
      assertThat(norm).isNaN();
      assertThat(p.getArray().toFloatArray()).containsExactly(1f, 2f);
      assertThat(p.getArray().getGradient().toFloatArray()).containsExactly(0f, 0f);
      // the moments were not poisoned: the next finite step moves the weights as usual
      backward(p, 3f);
      adam.step(named, 0.1f);
      assertThat(p.getArray().toFloatArray()).doesNotContain(Float.NaN);
      assertThat(p.getArray().getFloat(0)).isLessThan(1f);
    }
  }

  @Test
  void aSkippedStepNamesTheParametersWhoseGradientWasNotFinite() {
    try (NDManager manager = NDManager.newBaseManager(Devices.ENGINE);
        AdamW adam = new AdamW(manager, 0f, 1f, AdamW::decaysByDefault)) {
      Map<String, Parameter> named = new LinkedHashMap<>(parameter(manager, 1f, 2f));
      named.put("head.bias", parameter(manager, 3f).get("layer.weight"));
      backward(named.get("layer.weight"), 3f);
      backward(named.get("head.bias"), Float.POSITIVE_INFINITY);
      assertThat(adam.step(named, 0.1f)).isInfinite();
      assertThat(adam.nonFiniteGradients()).containsExactly("head.bias");
      backward(named.get("layer.weight"), 3f);
      backward(named.get("head.bias"), 1f);
      assertThat(adam.step(named, 0.1f)).isFinite();
      assertThat(adam.nonFiniteGradients()).isEmpty();
    }
  }
}
