package io.reelsense.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.reelsense.avro.Review;
import io.reelsense.stream.registry.AvroSerdes;
import io.reelsense.stream.review.ReviewScorer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances bound to the wildcard address, as docker-compose runs them: each advertises an
 * address other instances can reach, and a film held by the other instance answers with a redirect
 * there, which a client follows to the right answer.
 */
class WildcardBindRedirectTest {

  @RegisterExtension static final KafkaStack stack = new KafkaStack();

  @TempDir Path stateDir;

  @Test
  void aFilmHeldByTheOtherInstanceRedirectsToItsAdvertisedAddress() throws Exception {
    Map<String, String> a = stack.settings("it-wild", stateDir, "w-");
    a.put("http.host", "0.0.0.0");
    a.put("http.advertised.host", "127.0.0.1");
    a.put("batch.max.wait.ms", "20");
    Map<String, String> b = stack.settings("it-wild", stateDir, "w-");
    b.put("http.host", "0.0.0.0");
    b.put("batch.max.wait.ms", "20");
    Map<String, String> envB = new HashMap<>();
    envB.put(ReelsenseConfig.envName(ReelsenseConfig.HTTP_ADVERTISED_HOST), "localhost");
    ReelsenseConfig ca = ReelsenseConfig.of(a);
    ReelsenseConfig cb = ReelsenseConfig.load(null, envB, b);
    try (ReelsenseStreams one =
            ReelsenseStreams.start(ca, new ReviewScorer(new FakeClassifier(), null));
        ReelsenseStreams two =
            ReelsenseStreams.start(cb, new ReviewScorer(new FakeClassifier(), null))) {
      assertThat(one.httpUrl()).startsWith("http://127.0.0.1:");
      assertThat(two.httpUrl()).startsWith("http://localhost:");
      Properties p = new Properties();
      p.putAll(ca.clientProperties());
      try (KafkaProducer<String, Review> producer =
          new KafkaProducer<>(
              p,
              new StringSerializer(),
              AvroSerdes.specific(stack.client(), Review.class, false).serializer())) {
        for (int i = 0; i < 40; i++) {
          Review r =
              Review.newBuilder()
                  .setReviewId("r" + i)
                  .setFilmId("f" + (i % 8))
                  .setText(i % 2 == 0 ? "good" : "dull")
                  .setEventTime(Instant.now())
                  .build();
          producer.send(new ProducerRecord<>(ca.topics().reviews(), r.getFilmId(), r));
        }
      }
      HttpClient noFollow =
          HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
      HttpClient follow =
          HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      Set<String> redirectedTo = new HashSet<>();
      boolean done = false;
      while (!done && System.nanoTime() < deadline) {
        done = true;
        redirectedTo.clear();
        for (ReelsenseStreams asked : new ReelsenseStreams[] {one, two}) {
          for (int f = 0; f < 8; f++) {
            String url = asked.httpUrl() + "/films/f" + f + "/sentiment";
            HttpResponse<String> direct =
                noFollow.send(
                    HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (direct.statusCode() == 307) {
              String location = direct.headers().firstValue("Location").orElseThrow();
              assertThat(location).doesNotContain("0.0.0.0");
              redirectedTo.add(URI.create(location).getHost());
            }
            HttpResponse<String> r =
                follow.send(
                    HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200 || !r.body().contains("\"count\":5")) {
              done = false;
            }
          }
        }
        // until the two instances share the partitions (a rebalance may still move one)
        done = done && redirectedTo.size() == 2;
        if (!done) {
          Thread.sleep(200);
        }
      }
      assertThat(done)
          .as("every film answered 200 with its 5 reviews from both instances")
          .isTrue();
      // both instances hold some films: each redirected to the other's advertised host
      assertThat(redirectedTo).containsExactlyInAnyOrder("127.0.0.1", "localhost");
    }
  }
}
