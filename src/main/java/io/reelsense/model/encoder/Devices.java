package io.reelsense.model.encoder;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;

/** Chooses where the encoder runs: the GPU when the engine finds one, the CPU otherwise. */
public final class Devices {

  /** The engine every encoder runs on. */
  public static final String ENGINE = "PyTorch";

  private Devices() {}

  /**
   * Parses a device option: {@code auto} (or null/empty: GPU 0 when there is one, else CPU), {@code
   * cpu}, {@code gpu}, {@code gpu:N} or {@code cuda:N}.
   */
  public static Device parse(String option) {
    Engine engine = Engine.getEngine(ENGINE);
    String o = option == null ? "auto" : option.trim().toLowerCase(Locale.ROOT);
    if (o.isEmpty() || o.equals("auto")) {
      return engine.defaultDevice();
    }
    if (o.equals("cpu")) {
      return Device.cpu();
    }
    int index = 0;
    if (o.startsWith("gpu:") || o.startsWith("cuda:")) {
      try {
        index = Integer.parseInt(o.substring(o.indexOf(':') + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "device '" + option + "': expected auto, cpu, gpu or gpu:N", e);
      }
    } else if (!o.equals("gpu") && !o.equals("cuda")) {
      throw new IllegalArgumentException(
          "device '" + option + "': expected auto, cpu, gpu or gpu:N");
    }
    int gpus = engine.getGpuCount();
    if (index >= gpus) {
      throw new IllegalArgumentException(
          "device '"
              + option
              + "': the "
              + ENGINE
              + " engine finds "
              + gpus
              + " GPU(s) here; use --device cpu or auto");
    }
    return Device.gpu(index);
  }
}
