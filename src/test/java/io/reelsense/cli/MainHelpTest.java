package io.reelsense.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command's {@code --help} renders cleanly: picocli warns on stderr about a bad format. */
class MainHelpTest {

  private static void collect(CommandLine cli, List<CommandLine> into) {
    into.add(cli);
    for (CommandLine sub : cli.getSubcommands().values()) {
      if (!into.contains(sub)) {
        collect(sub, into);
      }
    }
  }

  @Test
  void everyCommandsHelpRendersWithoutPicocliWarnings() {
    List<CommandLine> all = new ArrayList<>();
    collect(new CommandLine(new Main()), all);
    PrintStream stderr = System.err;
    ByteArrayOutputStream warnings = new ByteArrayOutputStream();
    List<String> usages = new ArrayList<>();
    try {
      System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
      for (CommandLine cli : all) {
        usages.add(cli.getUsageMessage());
      }
    } finally {
      System.setErr(stderr);
    }
    assertThat(all).hasSizeGreaterThan(10);
    assertThat(warnings.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(usages).allSatisfy(u -> assertThat(u).startsWith("Usage: reelsense"));
    assertThat(String.join("\n", usages)).contains("80 % (or on all of it");
  }
}
