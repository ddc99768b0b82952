package io.reelsense.model.encoder;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeWarningsTest {

  @Test
  void findsTheLoadedLibraryInAMapsFile(@TempDir Path tmp) throws Exception {
    Path maps = tmp.resolve("maps");
    Files.writeString(
        maps,
        "7f00-7f01 r--p 00000000 08:01 12 /usr/lib/libc10_cuda.so\n"
            + "7f02-7f03 r-xp 00000000 00:00 0 [vdso]\n"
            + "7f04-7f05 r-xp 00001000 08:01 13 /home/u/.djl.ai/pytorch/2.7.1/libc10.so\n");
    assertThat(NativeWarnings.loaded(maps, NativeWarnings.LIBRARY))
        .contains(Path.of("/home/u/.djl.ai/pytorch/2.7.1/libc10.so"));
    assertThat(NativeWarnings.loaded(maps, "libtorch.so")).isEmpty();
    assertThat(NativeWarnings.loaded(tmp.resolve("absent"), NativeWarnings.LIBRARY)).isEmpty();
  }
}
