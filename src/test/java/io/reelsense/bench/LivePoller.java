package io.reelsense.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Polls {@code GET /v1/live} (the live page's summary) at a fixed rate on its own thread while a
 * benchmark runs, and records each answer's latency, its size in bytes and the number of scored
 * reviews it reports: the summary is bounded when its size stays flat while that number grows.
 */
final class LivePoller implements AutoCloseable {

  /** One answer of {@code /v1/live}. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Sample(long atMs, double latencyMs, int bytes, long scored) {}

  /** Percentiles of the samples taken, and the sizes at the first and last tenth of them. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Figures(
      double ratePerSecond,
      int polls,
      int failures,
      double p50Ms,
      double p99Ms,
      double maxMs,
      int minBytes,
      int maxBytes,
      double meanBytesFirstTenth,
      double meanBytesLastTenth,
      long scoredFirst,
      long scoredLast) {}

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final HttpRequest request;
  private final double ratePerSecond;
  private final List<Sample> samples = new ArrayList<>();
  private final ObjectMapper json = new ObjectMapper();
  private final Thread thread;
  private final long started = System.nanoTime();
  private volatile boolean stop;
  private int failures;

  LivePoller(String baseUrl, double ratePerSecond) {
    this.request =
        HttpRequest.newBuilder(URI.create(baseUrl + "/v1/live"))
            .timeout(Duration.ofSeconds(10))
            .GET()
            .build();
    this.ratePerSecond = ratePerSecond;
    this.thread = new Thread(this::run, "live-poller");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    long periodNs = (long) (1e9 / ratePerSecond);
    long next = System.nanoTime();
    while (!stop) {
      long t0 = System.nanoTime();
      try {
        HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        long ns = System.nanoTime() - t0;
        if (r.statusCode() != 200) {
          failures++;
        } else {
          JsonNode body = json.readTree(new String(r.body(), StandardCharsets.UTF_8));
          synchronized (samples) {
            samples.add(
                new Sample(
                    (t0 - started) / 1_000_000,
                    ns / 1e6,
                    r.body().length,
                    body.path("scored").asLong()));
          }
        }
      } catch (java.io.IOException e) {
        failures++;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      next += periodNs;
      long sleep = next - System.nanoTime();
      if (sleep > 0) {
        try {
          Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      } else {
        next = System.nanoTime();
      }
    }
  }

  /** The samples taken so far, in order. */
  List<Sample> samples() {
    synchronized (samples) {
      return List.copyOf(samples);
    }
  }

  /** The figures of the samples taken so far. */
  Figures figures() {
    List<Sample> s = samples();
    if (s.isEmpty()) {
      return new Figures(ratePerSecond, 0, failures, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }
    double[] ms = s.stream().mapToDouble(Sample::latencyMs).sorted().toArray();
    int tenth = Math.max(1, s.size() / 10);
    return new Figures(
        ratePerSecond,
        s.size(),
        failures,
        ms[ms.length / 2],
        ms[Math.min(ms.length - 1, (int) (ms.length * 0.99))],
        ms[ms.length - 1],
        s.stream().mapToInt(Sample::bytes).min().orElse(0),
        s.stream().mapToInt(Sample::bytes).max().orElse(0),
        s.subList(0, tenth).stream().mapToInt(Sample::bytes).average().orElse(0),
        s.subList(s.size() - tenth, s.size()).stream().mapToInt(Sample::bytes).average().orElse(0),
        s.get(0).scored(),
        s.get(s.size() - 1).scored());
  }

  /** One line of the figures so far. */
  String line() {
    Figures f = figures();
    return String.format(
        Locale.ROOT,
        "GET /v1/live at %.0f/s: %d polls (%d failed), p50 %.2f ms, p99 %.2f ms, max %.2f ms;"
            + " size %d-%d bytes (mean %.0f over the first tenth, %.0f over the last) while"
            + " scored went %d -> %d",
        f.ratePerSecond(),
        f.polls(),
        f.failures(),
        f.p50Ms(),
        f.p99Ms(),
        f.maxMs(),
        f.minBytes(),
        f.maxBytes(),
        f.meanBytesFirstTenth(),
        f.meanBytesLastTenth(),
        f.scoredFirst(),
        f.scoredLast());
  }

  @Override
  public void close() {
    stop = true;
    try {
      thread.join(15_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
