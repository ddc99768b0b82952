package io.reelsense.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mistakes in demo and replay options fail at once, naming the step or option and the fix. */
class DemoCommandErrorsTest {

  private static String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
    return new String[] {Integer.toString(code), out.toString(), err.toString()};
  }

  @Test
  void aFailingStepIsNamedWithWhatToDo(@TempDir Path tmp) {
    String[] r =
        run(
            "demo",
            "--full",
            "--data",
            tmp.resolve("nowhere").toString(),
            "--work",
            tmp.resolve("work").toString(),
            "--json");
    assertThat(r[0]).isEqualTo("1");
    assertThat(r[2])
        .contains("[1/8] find the full IMDb data")
        .contains("error: step 1 (find the full IMDb data) failed:")
        .contains("what to do: pass --data DIR holding aclImdb_v1.tar.gz");
    assertThat(r[1]).contains("{\"error\":");
  }

  @Test
  void optionMistakesAreUserErrors(@TempDir Path tmp) {
    assertThat(run("demo", "--data", tmp.toString())[2]).contains("--data is for --full");
    assertThat(run("replay", "--embedded", "--bootstrap", "h:1", "--sample")[2])
        .contains("--embedded starts its own cluster");
    assertThat(run("replay", "--sample", "--split", "dev")[2])
        .contains("--split must be test or train");
    assertThat(run("replay", "--sample", "--rate", "-1")[2]).contains("--rate must be 0");
    assertThat(
            run("replay", "--embedded", "--sample", "--bundle", tmp.resolve("none").toString())[2])
        .contains("--bundle " + tmp.resolve("none") + ": no such directory");
  }
}
