package io.reelsense.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.reelsense.data.ImdbReader;
import io.reelsense.data.Review;
import io.reelsense.data.SampleData;
import io.reelsense.model.ReviewClassifier;
import io.reelsense.model.bundle.Bundles;
import io.reelsense.stream.review.ReviewScorer;
import io.reelsense.stream.serve.SentimentHttpServer;
import io.reelsense.text.CleaningProfile;
import io.reelsense.train.TinyBundles;
import io.reelsense.train.TinyReviews;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Latency of {@code POST /v1/score} over loopback HTTP on a TF-IDF + logistic-regression bundle
 * (built from {@link TinyReviews}, or the bundle folder given as the second argument, such as a
 * frozen-encoder bundle): p50 and p99 of requests of 1 text and of 32 texts, one client,
 * keep-alive, and the requests and texts per second that one client gets.
 *
 * <p>The texts are reviews of the committed sample's test split whose length is near the split's
 * median (the typical review), each request a different run of them; N/4 untimed requests of each
 * kind come first, so that the JIT has compiled the hot code.
 *
 * <p>{@code mvn -o -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.reelsense.bench.ScoreEndpointBenchmark [-Dexec.args="N [BUNDLE|tiny]
 * [JSON]"]}: JSON, when given, is a file the figures are also written to.
 */
public final class ScoreEndpointBenchmark {

  private ScoreEndpointBenchmark() {}

  /** The figures of one kind of request. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Figures(
      String request,
      int textsPerRequest,
      int requests,
      double meanChars,
      double p50Ms,
      double p99Ms,
      double maxMs,
      double requestsPerSecond,
      double textsPerSecond) {}

  /** The whole run, as written to the JSON file. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Run(String model, String bundle, int cpus, List<Figures> figures) {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
    boolean tiny = args.length < 2 || args[1].equals("tiny");
    Path bundle = tiny ? tinyBundle() : Path.of(args[1]);
    ReviewClassifier classifier = Bundles.load(bundle, List.of(), "cpu");
    List<String> texts = typicalTexts(256);
    ObjectMapper json = new ObjectMapper();
    List<Figures> figures = new ArrayList<>();
    try (SentimentHttpServer server = SentimentHttpServer.bind("127.0.0.1", 0)) {
      server.serveScoring(new ReviewScorer(classifier, null), 100_000);
      URI uri = URI.create("http://127.0.0.1:" + server.address().getPort() + "/v1/score");
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      for (int size : new int[] {1, 32}) {
        List<HttpRequest> requests = new ArrayList<>();
        double chars = 0;
        for (int i = 0; i < texts.size(); i++) {
          List<String> batch = new ArrayList<>();
          for (int j = 0; j < size; j++) {
            batch.add(texts.get((i + j) % texts.size()));
          }
          chars += batch.stream().mapToInt(String::length).sum();
          String body =
              size == 1
                  ? json.writeValueAsString(Map.of("text", batch.get(0)))
                  : json.writeValueAsString(Map.of("texts", batch));
          requests.add(
              HttpRequest.newBuilder(uri)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build());
        }
        for (int i = 0; i < n / 4; i++) {
          check(http.send(requests.get(i % requests.size()), HttpResponse.BodyHandlers.ofString()));
        }
        long[] ns = new long[n];
        long all = System.nanoTime();
        for (int i = 0; i < n; i++) {
          HttpRequest req = requests.get(i % requests.size());
          long t0 = System.nanoTime();
          check(http.send(req, HttpResponse.BodyHandlers.ofString()));
          ns[i] = System.nanoTime() - t0;
        }
        double seconds = (System.nanoTime() - all) / 1e9;
        Arrays.sort(ns);
        Figures f =
            new Figures(
                "POST /v1/score",
                size,
                n,
                chars / texts.size() / size,
                ns[n / 2] / 1e6,
                ns[Math.min(n - 1, (int) (n * 0.99))] / 1e6,
                ns[n - 1] / 1e6,
                n / seconds,
                (double) n * size / seconds);
        figures.add(f);
        System.out.printf(
            Locale.ROOT,
            "POST /v1/score, %d text(s) of %.0f chars (%s): n=%d p50=%.2f ms p99=%.2f ms"
                + " max=%.2f ms, %.1f requests/s, %.1f texts/s%n",
            size,
            f.meanChars(),
            classifier.modelId(),
            n,
            f.p50Ms(),
            f.p99Ms(),
            f.maxMs(),
            f.requestsPerSecond(),
            f.textsPerSecond());
      }
    }
    if (args.length > 2) {
      Run run =
          new Run(
              classifier.modelId(),
              tiny ? "tiny tfidf-lr" : bundle.toString(),
              Runtime.getRuntime().availableProcessors(),
              figures);
      json.writerWithDefaultPrettyPrinter().writeValue(Path.of(args[2]).toFile(), run);
    }
  }

  /**
   * {@code count} reviews of the committed sample's test split, those whose length is nearest the
   * split's median length.
   */
  static List<String> typicalTexts(int count) throws Exception {
    List<String> all = new ArrayList<>();
    for (Review r : ImdbReader.readSplit(SampleData.dir(), "test")) {
      all.add(r.text());
    }
    int[] lengths = all.stream().mapToInt(String::length).sorted().toArray();
    int median = lengths[lengths.length / 2];
    return all.stream()
        .sorted(Comparator.comparingInt(t -> Math.abs(t.length() - median)))
        .limit(count)
        .toList();
  }

  private static void check(HttpResponse<String> r) {
    if (r.statusCode() != 200) {
      throw new IllegalStateException(r.statusCode() + " " + r.body());
    }
  }

  private static Path tinyBundle() throws Exception {
    return TinyBundles.tfidf(
        Files.createTempDirectory("reelsense-bench-bundle"), 2_000, 2, CleaningProfile.LIGHT);
  }
}
