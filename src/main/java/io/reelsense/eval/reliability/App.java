package io.reelsense.eval.reliability;

import java.util.Map;

/** One instance of the scoring application, as a scenario sees it. */
public interface App extends AutoCloseable {

  /** Its name in progress lines and reports, e.g. {@code crash-2}. */
  String name();

  /** Kills it without warning (kill -9 for a process): no drain, no commit, no goodbye. */
  void kill() throws InterruptedException;

  /** Stops it cleanly (SIGTERM for a process): the open micro-batch is scored and committed. */
  void stop() throws InterruptedException;

  /** The base URL of its query server, e.g. {@code http://127.0.0.1:41234}. */
  String httpUrl();

  /** The id of the process it runs in (for its resident memory). */
  long pid();

  /** Whether it still runs. */
  boolean alive();

  /** Releases whatever is left (kills it if it still runs). */
  @Override
  void close();

  /** Starts application instances. */
  interface Factory {
    /**
     * Starts an instance with these configuration keys ({@code ReelsenseConfig} names: servers,
     * registry, application id, topics, state directory, bundle, …) and returns once it has started
     * (not necessarily rebalanced).
     */
    App start(String name, Map<String, String> settings) throws InterruptedException;
  }
}
