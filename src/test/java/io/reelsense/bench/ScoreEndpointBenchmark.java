package io.reelsense.bench;

import io.reelsense.data.Review;
import io.reelsense.model.ReviewClassifier;
import io.reelsense.model.baseline.BaselineModel;
import io.reelsense.model.baseline.SparseVector;
import io.reelsense.model.baseline.TfidfVectorizer;
import io.reelsense.model.bundle.Bundles;
import io.reelsense.stream.review.ReviewScorer;
import io.reelsense.stream.serve.SentimentHttpServer;
import io.reelsense.text.CleaningProfile;
import io.reelsense.train.LinearTrainers;
import io.reelsense.train.TinyReviews;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Latency of {@code POST /v1/score} over loopback HTTP on a TF-IDF + logistic-regression bundle
 * (built from {@link TinyReviews}, or the bundle folder given as the second argument): p50 and p99
 * of requests of 1 text and of 32 texts of about 1,000 characters, one client, keep-alive.
 *
 * <p>{@code mvn -o -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.reelsense.bench.ScoreEndpointBenchmark [-Dexec.args="N [BUNDLE]"]}
 */
public final class ScoreEndpointBenchmark {

  private ScoreEndpointBenchmark() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
    Path bundle = args.length > 1 ? Path.of(args[1]) : tinyBundle();
    ReviewClassifier classifier = Bundles.load(bundle, List.of(), "cpu");
    String text = "A quietly devastating film about memory and regret; ".repeat(19);
    String one = "{\"text\":\"" + text + "\"}";
    String many =
        "{\"texts\":["
            + String.join(",", java.util.Collections.nCopies(32, "\"" + text + "\""))
            + "]}";
    try (SentimentHttpServer server = SentimentHttpServer.bind("127.0.0.1", 0)) {
      server.serveScoring(new ReviewScorer(classifier, null), 100_000);
      URI uri = URI.create("http://127.0.0.1:" + server.address().getPort() + "/v1/score");
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      for (String[] c : new String[][] {{"1 text", one}, {"32 texts", many}}) {
        HttpRequest req =
            HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(c[1]))
                .build();
        for (int i = 0; i < n / 4; i++) {
          check(http.send(req, HttpResponse.BodyHandlers.ofString()));
        }
        long[] ns = new long[n];
        for (int i = 0; i < n; i++) {
          long t0 = System.nanoTime();
          check(http.send(req, HttpResponse.BodyHandlers.ofString()));
          ns[i] = System.nanoTime() - t0;
        }
        Arrays.sort(ns);
        System.out.printf(
            Locale.ROOT,
            "POST /v1/score, %s (%s): n=%d p50=%.2f ms p99=%.2f ms%n",
            c[0],
            classifier.modelId(),
            n,
            ns[n / 2] / 1e6,
            ns[(int) (n * 0.99)] / 1e6);
      }
    }
  }

  private static void check(HttpResponse<String> r) {
    if (r.statusCode() != 200) {
      throw new IllegalStateException(r.statusCode() + " " + r.body());
    }
  }

  private static Path tinyBundle() throws Exception {
    List<Review> train = TinyReviews.make(2_000, "train", 1);
    TfidfVectorizer.Fitted f =
        TfidfVectorizer.fit(
            train.stream().map(Review::text).toList(),
            new TfidfVectorizer.Config(1, 2, 1, 0, true, Set.of()));
    List<SparseVector> x = f.vectors();
    BaselineModel model =
        new BaselineModel(
            f.vectorizer(),
            LinearTrainers.logisticRegression(
                x,
                train.stream().mapToInt(Review::label).toArray(),
                f.vectorizer().dimension(),
                1.0,
                1),
            null);
    Path dir = Files.createTempDirectory("reelsense-bench-bundle");
    Bundles.writeBaseline(
        dir, model, "tfidf-lr", CleaningProfile.LIGHT, Map.of(), Map.of(), Map.of());
    return dir;
  }
}
