package io.reelsense.train;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import java.io.IOException;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Memory figures a training report records: the process's peak, the GPU's use. */
final class ProcessMemory {

  private static final Path STATUS = Path.of("/proc/self/status");

  private ProcessMemory() {}

  /**
   * The process's peak resident memory so far in MB ({@code VmHWM} of {@code /proc/self/status},
   * Linux only): the JVM heap, libtorch's CPU tensors and everything else, since the process
   * started (so in a comparison, the largest model so far).
   */
  static Optional<Long> peakResidentMb() {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith("VmHWM:")) {
          String kb = line.substring("VmHWM:".length()).replace("kB", "").trim();
          return Optional.of(Long.parseLong(kb) / 1024);
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or an unreadable status file: no figure
    }
    return Optional.empty();
  }

  /** Memory in use on {@code device} in MB when it is a GPU (the CUDA driver's view). */
  static Optional<Long> gpuUsedMb(Device device) {
    if (device == null || !device.isGpu()) {
      return Optional.empty();
    }
    try {
      MemoryUsage usage = CudaUtils.getGpuMemory(device);
      return Optional.of(usage.getUsed() / (1024 * 1024));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
