package io.reelsense.eval.reliability;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How to start reelsense in a child JVM: the running JVM's {@code java}, its class path and the
 * command-line entry point's class ({@code io.reelsense.cli.Main}, named by the caller so that this
 * package does not depend on the CLI).
 *
 * @param java the {@code java} executable
 * @param classPath the class path of the child
 * @param mainClass the entry point; its arguments are reelsense's command line
 */
public record Launcher(String java, String classPath, String mainClass) {

  /** The same {@code java} and class path as this JVM. */
  public static Launcher sameJvm(String mainClass) {
    return new Launcher(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        System.getProperty("java.class.path"),
        mainClass);
  }

  /** The command line that runs {@code args} with the heap limit {@code maxHeap} (e.g. 1g). */
  public List<String> command(String maxHeap, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.add("-Xmx" + maxHeap);
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-cp");
    cmd.add(classPath);
    cmd.add(mainClass);
    cmd.addAll(args);
    return cmd;
  }
}
