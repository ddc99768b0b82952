package io.reelsense.bench;

import io.reelsense.avro.Review;
import io.reelsense.avro.ScoredReview;
import io.reelsense.data.DataLocation;
import io.reelsense.data.ImdbReader;
import io.reelsense.data.SampleData;
import io.reelsense.model.ReviewClassifier;
import io.reelsense.model.ReviewPrediction;
import io.reelsense.model.bundle.Bundles;
import io.reelsense.stream.BatchScorer;
import io.reelsense.stream.EmbeddedKafkaBroker;
import io.reelsense.stream.ReelsenseConfig;
import io.reelsense.stream.ReelsenseStreams;
import io.reelsense.stream.registry.AvroSerdes;
import io.reelsense.stream.registry.EmbeddedSchemaRegistry;
import io.reelsense.stream.registry.SchemaRegistryClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;

/**
 * End-to-end throughput and latency of the scoring topology through the embedded KRaft broker and
 * schema registry, exactly-once v2, {@code --embedder none}.
 *
 * <p>Phase 1 (throughput): N IMDb test reviews are produced first; the application then starts and
 * the time from RUNNING to the N-th score read by a read_committed consumer gives reviews/s. Phase
 * 2 (latency): reviews are produced at half that rate for a while; latency is the time from the
 * producer's record timestamp to the read_committed consumer receiving the score (p50/p99).
 *
 * <pre>
 * mvn -o -q test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.reelsense.bench.StreamThroughputBenchmark \
 *   -Dexec.args="--bundle /path/to/baseline --reviews 20000 --batch-size 256"
 * </pre>
 *
 * Options: {@code --bundle DIR} (default: a trivial fake model, which measures the plumbing alone),
 * {@code --reviews N} (20000), {@code --batch-size N} (256), {@code --max-wait-ms MS} (50), {@code
 * --threads N} (1), {@code --partitions N} (2), {@code --latency-seconds S} (10), {@code --data
 * DIR} (IMDb; default the usual data location, else the committed sample).
 */
public final class StreamThroughputBenchmark {

  private StreamThroughputBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    int n = Integer.parseInt(a.getOrDefault("reviews", "20000"));
    int batch = Integer.parseInt(a.getOrDefault("batch-size", "256"));
    int maxWait = Integer.parseInt(a.getOrDefault("max-wait-ms", "50"));
    int threads = Integer.parseInt(a.getOrDefault("threads", "1"));
    int partitions = Integer.parseInt(a.getOrDefault("partitions", "2"));
    int latencySeconds = Integer.parseInt(a.getOrDefault("latency-seconds", "10"));
    String bundle = a.get("bundle");

    List<String> texts = texts(a.get("data"), n);
    System.out.printf("reviews: %d texts (mean %.0f chars)%n", texts.size(), meanLength(texts));

    Path state = Files.createTempDirectory("reelsense-bench-state-");
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
        EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start()) {
      SchemaRegistryClient client = SchemaRegistryClient.of(registry.url());
      Map<String, String> m = new HashMap<>();
      m.put("bootstrap.servers", broker.bootstrapServers());
      m.put("schema.registry.url", registry.url());
      m.put("state.dir", state.toString());
      m.put("http.port", "0");
      m.put("model.embedder", "none");
      m.put("batch.size", Integer.toString(batch));
      m.put("batch.max.wait.ms", Integer.toString(maxWait));
      m.put("stream.threads", Integer.toString(threads));
      m.put("topic.partitions", Integer.toString(partitions));
      ReelsenseConfig config = ReelsenseConfig.of(m);
      ReelsenseStreams.createMissingTopics(config);

      Properties pp = new Properties();
      pp.putAll(config.clientProperties());
      pp.put(ProducerConfig.LINGER_MS_CONFIG, 5);
      pp.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
      KafkaProducer<String, Review> producer =
          new KafkaProducer<>(
              pp,
              new StringSerializer(),
              AvroSerdes.specific(client, Review.class, false).serializer());
      for (int i = 0; i < n; i++) {
        producer.send(record(config, "t" + i, texts.get(i % texts.size())));
      }
      producer.flush();

      ReviewClassifier model = bundle == null ? new FastFake() : Bundles.load(Path.of(bundle));
      System.out.println("model: " + model.modelId());
      KafkaConsumer<String, ScoredReview> consumer = consumer(config, client);
      try (ReelsenseStreams app = ReelsenseStreams.start(config, new BatchScorer(model, null))) {
        if (!app.awaitRunning(Duration.ofSeconds(60))) {
          throw new IllegalStateException("Kafka Streams did not start");
        }
        long t0 = System.nanoTime();
        int seen = 0;
        while (seen < n) {
          seen += consumer.poll(Duration.ofMillis(100)).count();
          if (System.nanoTime() - t0 > Duration.ofMinutes(10).toNanos()) {
            throw new IllegalStateException("only " + seen + " of " + n + " scored in 10 min");
          }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double rate = n / seconds;
        System.out.printf(
            "throughput: %d reviews in %.2f s = %.0f reviews/s (batch %d, %d batches, threads %d,"
                + " partitions %d, exactly_once_v2)%n",
            n, seconds, rate, batch, app.control().batches(), threads, partitions);

        double target = rate / 2;
        System.out.printf(
            "latency: producing at %.0f reviews/s for %d s …%n", target, latencySeconds);
        List<Long> latencies = new ArrayList<>();
        long start = System.nanoTime();
        long end = start + Duration.ofSeconds(latencySeconds).toNanos();
        int sent = 0;
        while (System.nanoTime() < end) {
          long due = (long) ((System.nanoTime() - start) / 1e9 * target);
          while (sent < due) {
            producer.send(record(config, "l" + sent, texts.get(sent % texts.size())));
            sent++;
          }
          producer.flush();
          collect(consumer, latencies, Duration.ofMillis(5));
        }
        long drain = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (latencies.size() < sent && System.nanoTime() < drain) {
          collect(consumer, latencies, Duration.ofMillis(100));
        }
        long[] l = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf(
            "latency produce→scored (read_committed), %d reviews at %.0f/s: p50 %d ms, p99 %d ms,"
                + " max %d ms%n",
            l.length, target, pct(l, 0.50), pct(l, 0.99), l.length == 0 ? 0 : l[l.length - 1]);
      } finally {
        consumer.close();
        producer.close();
      }
    } finally {
      Utils.delete(state.toFile());
    }
  }

  private static ProducerRecord<String, Review> record(
      ReelsenseConfig config, String id, String text) {
    Review r =
        Review.newBuilder()
            .setReviewId(id)
            .setFilmId("f" + (id.hashCode() & 63))
            .setText(text)
            .build();
    return new ProducerRecord<>(config.topics().reviews(), id, r);
  }

  private static KafkaConsumer<String, ScoredReview> consumer(
      ReelsenseConfig config, SchemaRegistryClient client) {
    Properties p = new Properties();
    p.putAll(config.clientProperties());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "bench");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    KafkaConsumer<String, ScoredReview> c =
        new KafkaConsumer<>(
            p,
            new StringDeserializer(),
            AvroSerdes.specific(client, ScoredReview.class, false).deserializer());
    c.subscribe(Set.of(config.topics().reviewsScored()));
    return c;
  }

  private static void collect(
      KafkaConsumer<String, ScoredReview> consumer, List<Long> out, Duration wait) {
    long now;
    for (ConsumerRecord<String, ScoredReview> r : consumer.poll(wait)) {
      now = System.currentTimeMillis();
      if (r.key().startsWith("l")) {
        out.add(now - r.timestamp());
      }
    }
  }

  private static long pct(long[] sorted, double q) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))];
  }

  private static double meanLength(List<String> texts) {
    return texts.stream().mapToInt(String::length).average().orElse(0);
  }

  private static List<String> texts(String data, int n) {
    Path dir;
    try {
      dir = DataLocation.resolve(data == null ? null : Path.of(data));
    } catch (RuntimeException e) {
      dir = SampleData.dir();
    }
    List<String> texts = new ArrayList<>();
    for (io.reelsense.data.Review r : ImdbReader.readSplit(dir, "test")) {
      texts.add(r.text());
      if (texts.size() >= n) {
        break;
      }
    }
    return texts;
  }

  /** A model that costs nearly nothing: measures the plumbing. */
  private static final class FastFake implements ReviewClassifier {
    @Override
    public String modelId() {
      return "fast-fake";
    }

    @Override
    public List<ReviewPrediction> classify(List<String> texts) {
      ReviewPrediction[] out = new ReviewPrediction[texts.size()];
      for (int i = 0; i < out.length; i++) {
        int label = texts.get(i).length() % 2;
        out[i] = new ReviewPrediction(label, label, label == 1 ? 8 : 2, 0.5);
      }
      return Arrays.asList(out);
    }

    @Override
    public void close() {}
  }
}
