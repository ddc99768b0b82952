package io.reelsense.model.encoder;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EngineProbeTest {

  @Test
  void theCudaBuildIsChosenOnlyWithADriverAndNoChoiceMadeAlready() {
    assertThat(EngineProbe.flavorToSet(false, null, null, true)).isEqualTo("cu128");
    assertThat(EngineProbe.flavorToSet(false, null, null, false)).isEqualTo("cpu");
    // a bundled libtorch, a library folder or a flavor the user set: DJL's choice stands
    assertThat(EngineProbe.flavorToSet(true, null, null, true)).isNull();
    assertThat(EngineProbe.flavorToSet(false, "/opt/libtorch", null, true)).isNull();
    assertThat(EngineProbe.flavorToSet(false, null, "cpu", true)).isNull();
  }

  @Test
  void theProbeSeesTheBundledCpuLibtorchWithoutStartingTheEngine() {
    EngineProbe.Report report = EngineProbe.probe();
    assertThat(report.build()).isEqualTo("cpu");
    assertThat(report.libtorch().source()).isEqualTo("bundled jar");
    assertThat(report.libtorch().version()).startsWith(EngineProbe.LIBTORCH_VERSION);
    assertThat(report.cpus()).isPositive();
    EngineProbe.Cuda cuda = report.cuda();
    assertThat(cuda.present()).isEqualTo(!cuda.driver().isEmpty());
    assertThat(cuda.present() || cuda.devices().isEmpty()).isTrue();
  }
}
