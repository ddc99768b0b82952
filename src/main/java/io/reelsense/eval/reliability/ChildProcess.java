package io.reelsense.eval.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A child process whose standard output and error go, line by line, to a log file (appended, so a
 * restarted process continues the same log) and are kept in memory so that the parent can wait for
 * a line such as {@code ready}. {@link #kill()} is {@code kill -9} ({@link
 * Process#destroyForcibly()}), {@link #stop(Duration)} a SIGTERM ({@link Process#destroy()}).
 */
public final class ChildProcess implements AutoCloseable {

  private final String name;
  private final Process process;
  private final Path log;
  private final List<String> lines = new ArrayList<>();
  private final Thread pump;

  private ChildProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.pump = new Thread(this::pump, "child-output-" + name);
    pump.setDaemon(true);
    pump.start();
  }

  /** Starts {@code command}; its output is appended to {@code log}. */
  public static ChildProcess start(String name, List<String> command, Path log) {
    try {
      Files.createDirectories(log.toAbsolutePath().getParent());
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      return new ChildProcess(name, p, log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + command.get(0), e);
    }
  }

  private void pump() {
    try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter out =
            new PrintWriter(
                Files.newBufferedWriter(
                    log,
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND),
                true)) {
      out.println("---- " + name + " (pid " + process.pid() + ") started");
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        out.println(line);
        synchronized (lines) {
          if (lines.size() < 10_000) {
            lines.add(line);
          }
          lines.notifyAll();
        }
      }
    } catch (IOException e) {
      // the process went away: its output ends here
    } finally {
      synchronized (lines) {
        lines.notifyAll();
      }
    }
  }

  /**
   * Waits for a line of output matching {@code wanted} and returns it.
   *
   * @throws ReliabilityException when the process exits first or {@code timeout} passes, with the
   *     last lines of its output
   */
  public String awaitLine(Predicate<String> wanted, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int seen = 0;
    synchronized (lines) {
      while (true) {
        for (; seen < lines.size(); seen++) {
          if (wanted.test(lines.get(seen))) {
            return lines.get(seen);
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0 || (!process.isAlive() && !pump.isAlive())) {
          throw new ReliabilityException(
              name
                  + (process.isAlive()
                      ? " did not get ready within " + timeout.toSeconds() + " s"
                      : " exited with " + process.exitValue())
                  + "; last output: "
                  + tail(5)
                  + " (log: "
                  + log
                  + ")");
        }
        lines.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 500)));
      }
    }
  }

  /** The last {@code n} lines of output, joined with " | ". */
  public String tail(int n) {
    synchronized (lines) {
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** kill -9 and wait for the process to be gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
    pump.join(5000);
  }

  /**
   * SIGTERM, then wait up to {@code grace} for a clean exit (kill -9 after that); returns the exit
   * code, or -1 when it had to be killed.
   */
  public int stop(Duration grace) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      kill();
      return -1;
    }
    pump.join(5000);
    return process.exitValue();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
