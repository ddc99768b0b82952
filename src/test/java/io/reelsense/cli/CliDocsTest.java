package io.reelsense.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Regenerates {@code docs/cli.md} from picocli's own usage help of every command under {@link
 * Main}; fails when the committed file differed (commit the regenerated one) or when a command,
 * option or parameter has no description.
 */
class CliDocsTest {

  static final Path FILE = Path.of("docs", "cli.md");
  private static final int WIDTH = 110;

  /** The whole command reference as Markdown, one section per command, depth first. */
  static String render() {
    List<CommandLine> all = new ArrayList<>();
    collect(new CommandLine(new Main()), all);
    StringBuilder md = new StringBuilder();
    md.append("# Command-line reference\n\n")
        .append("Generated from the commands' own `--help` by `CliDocsTest`; do not edit by hand ")
        .append("(run `mvn -B -q test -Dtest=CliDocsTest` and commit the result).\n")
        .append("Every command prints a human summary; with `--json` its last line of output is ")
        .append("one JSON object. Errors are one line (`error: …`); `REELSENSE_DEBUG=1` adds the ")
        .append("stack trace.\n\n");
    for (CommandLine cli : all) {
      String path = cli.getCommandSpec().qualifiedName(" ");
      md.append("- [`").append(path).append("`](#").append(anchor(path)).append(")\n");
    }
    for (CommandLine cli : all) {
      cli.setUsageHelpAutoWidth(false);
      cli.setUsageHelpWidth(WIDTH);
      md.append("\n## ")
          .append(cli.getCommandSpec().qualifiedName(" "))
          .append("\n\n```text\n")
          .append(cli.getUsageMessage(CommandLine.Help.Ansi.OFF).stripTrailing())
          .append("\n```\n");
    }
    return md.toString();
  }

  private static String anchor(String heading) {
    return heading.toLowerCase(java.util.Locale.ROOT).replace(' ', '-');
  }

  private static void collect(CommandLine cli, List<CommandLine> into) {
    into.add(cli);
    for (CommandLine sub : cli.getSubcommands().values()) {
      if (!into.contains(sub)) {
        collect(sub, into);
      }
    }
  }

  /** Commands, options and parameters without a description, named by command and option. */
  static List<String> undocumented() {
    List<CommandLine> all = new ArrayList<>();
    collect(new CommandLine(new Main()), all);
    List<String> missing = new ArrayList<>();
    for (CommandLine cli : all) {
      CommandSpec spec = cli.getCommandSpec();
      String name = spec.qualifiedName(" ");
      if (String.join("", spec.usageMessage().description()).isBlank()) {
        missing.add(name);
      }
      for (OptionSpec option : spec.options()) {
        if (!option.hidden() && blank(option)) {
          missing.add(name + " " + option.longestName());
        }
      }
      for (PositionalParamSpec param : spec.positionalParameters()) {
        if (!param.hidden() && blank(param)) {
          missing.add(name + " " + param.paramLabel());
        }
      }
    }
    return missing;
  }

  private static boolean blank(ArgSpec arg) {
    return String.join("", arg.description()).isBlank();
  }

  @Test
  void everyCommandAndOptionHasADescription() {
    assertThat(undocumented()).as("commands and options without a description").isEmpty();
  }

  /** Set once the file was found stale in this JVM. */
  private static boolean regenerated;

  @Test
  void committedCommandReferenceMatchesTheCode() throws IOException {
    String md = render();
    assertThat(md).contains("## reelsense run").contains("--bootstrap");
    String old = Files.exists(FILE) ? Files.readString(FILE, StandardCharsets.UTF_8) : null;
    if (!md.equals(old)) {
      Files.createDirectories(FILE.getParent());
      Files.writeString(FILE, md, StandardCharsets.UTF_8);
      regenerated = true;
    }
    // a rerun of this test in the same JVM (surefire's rerun of failures) must fail too
    assertThat(!regenerated)
        .as(FILE + " was out of date and has been regenerated; commit it")
        .isTrue();
  }
}
