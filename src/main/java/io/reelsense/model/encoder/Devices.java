package io.reelsense.model.encoder;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;

/** Chooses where the encoder runs: the GPU when the engine finds one, the CPU otherwise. */
public final class Devices {

  /** The engine every encoder runs on. */
  public static final String ENGINE = "PyTorch";

  /** The system property DJL reads when the PyTorch engine starts: its operators' thread count. */
  static final String THREADS_PROPERTY = "ai.djl.pytorch.num_threads";

  private Devices() {}

  /**
   * Sets how many threads the engine's operators use, to take effect when the engine starts (the
   * first {@link #parse} or model load): {@code requested}, or when null what {@code -D}{@value
   * #THREADS_PROPERTY} says, or one per CPU. Returns the count.
   *
   * <p>Also picks the libtorch build to fetch when none is bundled ({@link
   * EngineProbe#selectFlavor}).
   *
   * <p>The count is always set, never left to the engine's own default, which gave other bits than
   * an explicit count of 2 on a 2-core machine: a fine-tuning resumed without a count ended up to
   * 7e-6 away from the uninterrupted two-thread run after 50 steps; resumed with two threads it
   * ended on the same bits.
   */
  public static int useThreads(Integer requested) {
    EngineProbe.selectFlavor();
    Integer n = requested != null ? requested : Integer.getInteger(THREADS_PROPERTY);
    if (n == null) {
      n = Runtime.getRuntime().availableProcessors();
    }
    if (n < 1) {
      throw new IllegalArgumentException("--threads must be 1 or more, got " + n);
    }
    System.setProperty(THREADS_PROPERTY, String.valueOf(n));
    return n;
  }

  /**
   * Parses a device option: {@code auto} (or null/empty: GPU 0 when there is one, else CPU), {@code
   * cpu}, {@code gpu}, {@code gpu:N} or {@code cuda:N}.
   */
  public static Device parse(String option) {
    useThreads(null);
    Engine engine = Engine.getEngine(ENGINE);
    NativeWarnings.quiet();
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
