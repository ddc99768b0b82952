package io.reelsense.model.encoder;

import com.sun.jna.NativeLibrary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps PyTorch's own C++ warnings off the console unless {@code REELSENSE_DEBUG=1} or {@code
 * --verbose} (the system property {@value #VERBOSE_PROPERTY}). libc10 prints them straight to
 * stderr, past Java's logging, e.g. the deprecation notice {@code AutoNonVariableTypeMode is
 * deprecated} that DJL's bridge triggers at the first forward pass and that asks nothing of a user.
 * libc10 prints a message only at or above its exported {@code FLAGS_caffe2_log_level} (0 info, 1
 * warning, 2 error); this sets it to 2, so errors still print. Where the library cannot be found
 * (not Linux, not loaded yet), nothing changes.
 */
final class NativeWarnings {

  private static final Logger LOG = LoggerFactory.getLogger(NativeWarnings.class);

  /** Set by the commands' {@code --verbose}. */
  static final String VERBOSE_PROPERTY = "reelsense.verbose";

  static final String LIBRARY = "libc10.so";
  static final String FLAG = "FLAGS_caffe2_log_level";
  static final int ERRORS_ONLY = 2;
  private static final AtomicBoolean DONE = new AtomicBoolean();

  private NativeWarnings() {}

  /** Once the engine is loaded: errors only, unless {@code REELSENSE_DEBUG=1}. */
  static void quiet() {
    if ("1".equals(System.getenv("REELSENSE_DEBUG"))
        || Boolean.getBoolean(VERBOSE_PROPERTY)
        || !DONE.compareAndSet(false, true)) {
      return;
    }
    Optional<Path> lib = loaded(Path.of("/proc/self/maps"), LIBRARY);
    if (lib.isEmpty()) {
      return;
    }
    try {
      NativeLibrary.getInstance(lib.get().toString())
          .getGlobalVariableAddress(FLAG)
          .setInt(0, ERRORS_ONLY);
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      LOG.debug("cannot set {} in {}: {}", FLAG, lib.get(), e.toString());
    }
  }

  /** The path of the loaded library named {@code name} in a {@code /proc/<pid>/maps} file. */
  static Optional<Path> loaded(Path maps, String name) {
    if (!Files.isReadable(maps)) {
      return Optional.empty();
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(maps, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return Optional.empty();
    }
    for (String line : lines) {
      int slash = line.indexOf('/');
      if (slash >= 0) {
        Path path = Path.of(line.substring(slash).trim());
        if (path.getFileName() != null && path.getFileName().toString().equals(name)) {
          return Optional.of(path);
        }
      }
    }
    return Optional.empty();
  }
}
