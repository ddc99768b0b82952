package io.reelsense.eval.reliability;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Application instances as child JVMs running {@code reelsense run --set KEY=VALUE …}, each logging
 * to {@code <logs>/<name>.log}.
 */
public final class ChildJvmApps implements App.Factory {

  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

  private final Launcher launcher;
  private final Path logs;
  private final String maxHeap;

  public ChildJvmApps(Launcher launcher, Path logs, String maxHeap) {
    this.launcher = launcher;
    this.logs = logs;
    this.maxHeap = maxHeap;
  }

  @Override
  public App start(String name, Map<String, String> settings) throws InterruptedException {
    List<String> args = new ArrayList<>();
    args.add("run");
    settings.forEach(
        (k, v) -> {
          args.add("--set");
          args.add(k + "=" + v);
        });
    ChildProcess p =
        ChildProcess.start(
            name, launcher.command(maxHeap, args), logs.resolve(baseName(name) + ".log"));
    String running;
    try {
      running = p.awaitLine(l -> l.startsWith("running: "), START_TIMEOUT);
    } catch (RuntimeException | InterruptedException e) {
      p.close();
      throw e;
    }
    return new ProcessApp(name, p, httpUrl(running));
  }

  /**
   * The query server's base URL in the line {@code running: … film sentiment at
   * http://host:port/films/{id}/sentiment; …}, or null when the line names none.
   */
  static String httpUrl(String running) {
    int at = running.indexOf("http://");
    if (at < 0) {
      return null;
    }
    int end = running.indexOf("/films/", at);
    return end < 0 ? null : running.substring(at, end);
  }

  /** crash-1, crash-2 … share crash.log: one log per scenario role. */
  private static String baseName(String name) {
    int dash = name.lastIndexOf('-');
    return dash > 0 && name.substring(dash + 1).chars().allMatch(Character::isDigit)
        ? name.substring(0, dash)
        : name;
  }

  private record ProcessApp(String name, ChildProcess process, String httpUrl) implements App {

    @Override
    public long pid() {
      return process.pid();
    }

    @Override
    public void kill() throws InterruptedException {
      process.kill();
    }

    @Override
    public void stop() throws InterruptedException {
      process.stop(Duration.ofSeconds(90));
    }

    @Override
    public boolean alive() {
      return process.alive();
    }

    @Override
    public void close() {
      process.close();
    }
  }
}
