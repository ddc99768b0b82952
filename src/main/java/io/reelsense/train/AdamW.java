package io.reelsense.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.reelsense.model.weights.NamedTensor;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * AdamW (Loshchilov and Hutter) over named parameters, with its moments kept here so that a
 * checkpoint can save and restore them. Each update runs DJL's fused Adam kernel of the PyTorch
 * engine ({@code NDArrayEx.adamUpdate} with decoupled weight decay, the kernel DJL's own {@code
 * Optimizer.adamW()} uses, whose moments are private to it); parameters for which {@code decays} is
 * false (biases, layer norms) get no weight decay, as Hugging Face's {@code Trainer} does.
 *
 * <p>Before the update, gradients are scaled so that their global L2 norm is at most {@code
 * maxGradNorm} (0 = no clipping), as {@code torch.nn.utils.clip_grad_norm_}.
 */
public final class AdamW implements AutoCloseable {

  private final float beta1;
  private final float beta2;
  private final float epsilon;
  private final float weightDecay;
  private final float maxGradNorm;
  private final Predicate<String> decays;
  private final NDManager manager;
  private final Map<String, NDArray> means = new LinkedHashMap<>();
  private final Map<String, NDArray> variances = new LinkedHashMap<>();
  private int steps;
  private List<String> nonFinite = List.of();

  /**
   * @param manager where the moments live (same device as the parameters)
   * @param weightDecay decoupled weight decay
   * @param maxGradNorm global gradient norm clip; 0 = none
   * @param decays which parameters (by name) get weight decay
   */
  public AdamW(NDManager manager, float weightDecay, float maxGradNorm, Predicate<String> decays) {
    this.manager = manager.newSubManager();
    this.beta1 = 0.9f;
    this.beta2 = 0.999f;
    this.epsilon = 1e-8f;
    this.weightDecay = weightDecay;
    this.maxGradNorm = maxGradNorm;
    this.decays = decays;
  }

  /** Hugging Face's rule: no weight decay on biases and layer-norm weights. */
  public static boolean decaysByDefault(String name) {
    return !(name.endsWith(".bias") || name.contains("LayerNorm"));
  }

  /**
   * The parameters whose gradient's sum of squares was not finite in the last {@link #step} (the
   * ones to look at when a step is skipped), in the order of the map it was given; empty after a
   * finite step.
   */
  public List<String> nonFiniteGradients() {
    return nonFinite;
  }

  /** Updates done so far. */
  public int steps() {
    return steps;
  }

  /**
   * One update of every parameter that has a gradient, at learning rate {@code lr}; gradients are
   * zeroed afterwards. Returns the global gradient norm before clipping. When that norm is not
   * finite (an overflow somewhere in the step), nothing is updated, as PyTorch's gradient scaler
   * skips such a step: the gradients are zeroed and the weights and moments stay as they were.
   */
  public float step(Map<String, Parameter> parameters, float lr) {
    steps++;
    List<NDArray> squares = new ArrayList<>();
    try (NDManager scope = manager.newSubManager()) {
      for (Parameter p : parameters.values()) {
        // the handle (not the gradient itself) and its square live in this step's scope
        NDArray g = p.getArray().getGradient();
        g.attach(scope);
        squares.add(g.square().sum());
      }
      // one sum of squares per parameter, in the map's order
      NDArray perParameter = NDArrays.stack(new NDList(squares)).toType(DataType.FLOAT32, false);
      float norm = (float) Math.sqrt(perParameter.sum().getFloat());
      if (!Float.isFinite(norm)) {
        float[] each = perParameter.toFloatArray();
        List<String> names = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
          if (!Float.isFinite(each[i++])) {
            names.add(e.getKey());
          }
          JniUtils.zeroGrad((PtNDArray) e.getValue().getArray());
        }
        nonFinite = List.copyOf(names);
        return norm;
      }
      nonFinite = List.of();
      float rescale = 1f;
      if (maxGradNorm > 0 && norm > maxGradNorm) {
        rescale = maxGradNorm / (norm + 1e-6f);
      }
      double bc1 = 1.0 - Math.pow(beta1, steps);
      double bc2 = 1.0 - Math.pow(beta2, steps);
      float lrCorrected = (float) (lr * Math.sqrt(bc2) / bc1);
      for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
        NDArray w = e.getValue().getArray();
        NDArray m = means.computeIfAbsent(e.getKey(), k -> zeros(w));
        NDArray v = variances.computeIfAbsent(e.getKey(), k -> zeros(w));
        NDArray g = w.getGradient();
        g.attach(scope);
        float wd = decays.test(e.getKey()) ? weightDecay : 0f;
        w.getNDArrayInternal()
            .adamUpdate(
                new NDList(w, g, m, v),
                new NDList(w),
                lr,
                lrCorrected,
                wd,
                rescale,
                -1f,
                beta1,
                beta2,
                epsilon,
                true,
                true);
      }
      return norm;
    }
  }

  private NDArray zeros(NDArray like) {
    NDArray z = manager.zeros(like.getShape(), like.getDataType());
    z.attach(manager);
    return z;
  }

  /**
   * The optimizer's state for a checkpoint: {@code m.<name>} and {@code v.<name>} per parameter
   * (copies), and the step count separately ({@link #steps()}).
   */
  public Map<String, NamedTensor> state() {
    Map<String, NamedTensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> e : means.entrySet()) {
      out.put("m." + e.getKey(), tensor("m." + e.getKey(), e.getValue()));
      NDArray v = variances.get(e.getKey());
      out.put("v." + e.getKey(), tensor("v." + e.getKey(), v));
    }
    return out;
  }

  private static NamedTensor tensor(String name, NDArray a) {
    return new NamedTensor(name, a.getShape().getShape(), a.toFloatArray());
  }

  /** Restores a state written by {@link #state()} for parameters shaped as {@code parameters}. */
  public void restore(Map<String, Parameter> parameters, Map<String, NamedTensor> state, int step) {
    for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
      NamedTensor m = state.get("m." + e.getKey());
      NamedTensor v = state.get("v." + e.getKey());
      if (m == null || v == null) {
        if (step == 0) {
          continue;
        }
        throw new IllegalArgumentException("optimizer state lacks the moments of " + e.getKey());
      }
      NDArray w = e.getValue().getArray();
      NDArray ma = zeros(w);
      ma.set(FloatBuffer.wrap(m.data()));
      NDArray va = zeros(w);
      va.set(FloatBuffer.wrap(v.data()));
      NDArray old = means.put(e.getKey(), ma);
      if (old != null) {
        old.close();
      }
      old = variances.put(e.getKey(), va);
      if (old != null) {
        old.close();
      }
    }
    this.steps = step;
  }

  @Override
  public void close() {
    manager.close();
  }
}
