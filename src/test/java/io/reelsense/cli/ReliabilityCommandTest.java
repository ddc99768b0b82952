package io.reelsense.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** Mistakes in the options of {@code reliability} and {@code broker} are one clear line. */
class ReliabilityCommandTest {

  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void anUnknownScenarioNamesTheChoices() {
    Result r = run("reliability", "--scenarios", "crash,meteor");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .startsWith(
            "error: --scenarios: unknown scenario 'meteor'; choose from [crash, scale, broker, bad,"
                + " schema, cluster, hostile]");
  }

  @Test
  void aBrokerWithNothingToRunIsRefused() {
    Result r = run("broker", "--no-kafka", "--no-registry");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("error: --no-kafka and --no-registry together leave nothing");
  }

  @Test
  void theRegistryAloneStartsPrintsItsUrlAndStops() {
    Result r = run("broker", "--no-kafka", "--run-for", "1", "--json");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).containsPattern("(?m)^registry http://127\\.0\\.0\\.1:\\d+$");
    assertThat(r.out()).contains("\nready\n");
    assertThat(r.out().strip().lines().reduce((a, b) -> b).orElseThrow())
        .startsWith("{\"registry\":\"http://127.0.0.1:");
  }
}
