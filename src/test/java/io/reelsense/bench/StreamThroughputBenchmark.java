package io.reelsense.bench;

import io.reelsense.avro.Review;
import io.reelsense.avro.ScoredReview;
import io.reelsense.data.DataLocation;
import io.reelsense.data.ImdbReader;
import io.reelsense.data.SampleData;
import io.reelsense.model.ReviewClassifier;
import io.reelsense.model.ReviewPrediction;
import io.reelsense.model.TextEmbedder;
import io.reelsense.model.bundle.Bundles;
import io.reelsense.model.encoder.Devices;
import io.reelsense.model.encoder.Encoders;
import io.reelsense.model.tokenizer.Truncation;
import io.reelsense.stream.ReelsenseConfig;
import io.reelsense.stream.ReelsenseStreams;
import io.reelsense.stream.local.EmbeddedKafkaBroker;
import io.reelsense.stream.registry.AvroSerdes;
import io.reelsense.stream.registry.EmbeddedSchemaRegistry;
import io.reelsense.stream.registry.SchemaRegistryClient;
import io.reelsense.stream.review.ReviewScorer;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
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
 * schema registry, exactly-once v2, {@code --embedder none} unless {@code --embedder NAME}.
 *
 * <p>Phase 1 (throughput): N IMDb test reviews are produced first; the application then starts and
 * the time from RUNNING to the N-th score read by a read_committed consumer gives reviews/s. Phase
 * 2 (latency): reviews are produced at half that rate for a while; latency is the time from the
 * producer's record timestamp to the read_committed consumer receiving the score (p50/p99). Phase 3
 * (model only): the same models (classifier, and the embedder if any) called directly on the same
 * texts in batches of the same size, without Kafka; the end-to-end rate is printed as a share of
 * it.
 *
 * <pre>
 * mvn -o -q test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.reelsense.bench.StreamThroughputBenchmark \
 *   -Dexec.args="--bundle /path/to/baseline --reviews 20000 --batch-size 256"
 * </pre>
 *
 * Options: {@code --bundle DIR} (default: a trivial fake model, which measures the plumbing alone),
 * {@code --reviews N} (20000), {@code --warmup N} (reviews scored before the clock starts, so that
 * the JIT has compiled the hot code: N/4), {@code --batch-size N} (256), {@code --max-wait-ms MS}
 * (50), {@code --threads N} (1), {@code --partitions N} (2), {@code --latency-seconds S} (10),
 * {@code --data DIR} (IMDb; default the usual data location, else the committed sample), {@code
 * --poll-live HZ} (0: off; else {@code GET /v1/live}, the live page's summary, is polled HZ times a
 * second from the start of the warm-up to the end of phase 1 by a {@link LivePoller}, and its
 * latency and size printed), {@code --live-out FILE} (with {@code --poll-live}: the throughput, the
 * poll figures and every poll's sample written there as JSON).
 */
public final class StreamThroughputBenchmark {

  private StreamThroughputBenchmark() {}

  /** Phase 1 with {@code /v1/live} polled, as written by {@code --live-out}. */
  @com.fasterxml.jackson.databind.annotation.JsonNaming(
      com.fasterxml.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy.class)
  record LiveRun(
      String model,
      int reviews,
      int warmup,
      double seconds,
      double reviewsPerSecond,
      int batchSize,
      int streamThreads,
      int partitions,
      int cpus,
      LivePoller.Figures live,
      List<LivePoller.Sample> samples) {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    int n = Integer.parseInt(a.getOrDefault("reviews", "20000"));
    int warmup = Integer.parseInt(a.getOrDefault("warmup", Integer.toString(n / 4)));
    int batch = Integer.parseInt(a.getOrDefault("batch-size", "256"));
    int maxWait = Integer.parseInt(a.getOrDefault("max-wait-ms", "50"));
    int threads = Integer.parseInt(a.getOrDefault("threads", "1"));
    int partitions = Integer.parseInt(a.getOrDefault("partitions", "2"));
    int latencySeconds = Integer.parseInt(a.getOrDefault("latency-seconds", "10"));
    String bundle = a.get("bundle");
    String embedderName = a.getOrDefault("embedder", "none");
    int maxLength = Integer.parseInt(a.getOrDefault("max-length", "512"));
    double pollLive = Double.parseDouble(a.getOrDefault("poll-live", "0"));
    String liveOut = a.get("live-out");
    if (a.containsKey("torch-threads")) {
      System.setProperty("ai.djl.pytorch.num_threads", a.get("torch-threads"));
    }

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
      for (int i = 0; i < warmup + n; i++) {
        producer.send(record(config, "t" + i, texts.get(i % texts.size())));
      }
      producer.flush();

      ReviewClassifier model = bundle == null ? new FastFake() : Bundles.load(Path.of(bundle));
      TextEmbedder embedder =
          embedderName.equals("none")
              ? null
              : Encoders.embedder(
                  embedderName,
                  Devices.parse("cpu"),
                  new Encoders.Options(Truncation.head(maxLength), batch, ""));
      System.out.println(
          "model: "
              + model.modelId()
              + (embedder == null ? ", no embedder" : ", embedder " + embedder.modelId()));
      KafkaConsumer<String, ScoredReview> consumer = consumer(config, client);
      ReviewScorer scorer = new ReviewScorer(model, embedder);
      try (ReelsenseStreams app = ReelsenseStreams.start(config, scorer)) {
        if (!app.awaitRunning(Duration.ofSeconds(60))) {
          throw new IllegalStateException("Kafka Streams did not start");
        }
        LivePoller poller = pollLive > 0 ? new LivePoller(app.httpUrl(), pollLive) : null;
        long started = System.nanoTime();
        int warm = 0;
        while (warm < warmup) {
          warm += consumer.poll(Duration.ofMillis(100)).count();
          if (System.nanoTime() - started > Duration.ofMinutes(10).toNanos()) {
            throw new IllegalStateException("only " + warm + " of " + warmup + " warm-up reviews");
          }
        }
        CpuClock cpu = new CpuClock();
        long t0 = System.nanoTime();
        int seen = warm - warmup;
        while (seen < n) {
          seen += consumer.poll(Duration.ofMillis(100)).count();
          if (System.nanoTime() - t0 > Duration.ofMinutes(10).toNanos()) {
            throw new IllegalStateException("only " + seen + " of " + n + " scored in 10 min");
          }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double rate = n / seconds;
        System.out.printf(
            "throughput: %d reviews in %.2f s = %.0f reviews/s after %d to warm up (batch %d,"
                + " %d batches, threads %d, partitions %d, exactly_once_v2)%n",
            n, seconds, rate, warmup, batch, app.control().batches(), threads, partitions);
        cpu.print(n);
        if (poller != null) {
          poller.close();
          System.out.println(poller.line());
          if (liveOut != null) {
            new com.fasterxml.jackson.databind.ObjectMapper()
                .writerWithDefaultPrettyPrinter()
                .writeValue(
                    new File(liveOut),
                    new LiveRun(
                        model.modelId(),
                        n,
                        warmup,
                        seconds,
                        rate,
                        batch,
                        threads,
                        partitions,
                        Runtime.getRuntime().availableProcessors(),
                        poller.figures(),
                        poller.samples()));
          }
        }
        if (latencySeconds > 0) {
          latency(config, producer, consumer, texts, rate, latencySeconds);
        }
        // the models are closed with the app: measure them alone before
        modelOnly(scorer, texts, batch, rate);
      } finally {
        consumer.close();
        producer.close();
      }
    } finally {
      Utils.delete(state.toFile());
    }
  }

  /** Produces at half {@code rate} for a while and prints latency percentiles. */
  private static void latency(
      ReelsenseConfig config,
      KafkaProducer<String, Review> producer,
      KafkaConsumer<String, ScoredReview> consumer,
      List<String> texts,
      double rate,
      int latencySeconds) {
    double target = rate / 2;
    System.out.printf("latency: producing at %.0f reviews/s for %d s …%n", target, latencySeconds);
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
  }

  /**
   * The models alone on the same texts, in batches of the stream's batch size (one untimed batch
   * first), and the end-to-end rate as a share of theirs.
   */
  private static void modelOnly(ReviewScorer scorer, List<String> texts, int batch, double e2e) {
    scorer.classify(texts.subList(0, Math.min(batch, texts.size())));
    if (scorer.embeds()) {
      scorer.embed(texts.subList(0, Math.min(batch, texts.size())));
    }
    long t0 = System.nanoTime();
    for (int i = 0; i < texts.size(); i += batch) {
      List<String> b = texts.subList(i, Math.min(texts.size(), i + batch));
      scorer.classify(b);
      if (scorer.embeds()) {
        scorer.embed(b);
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    double rate = texts.size() / seconds;
    System.out.printf(
        "model only: %d reviews in %.2f s = %.0f reviews/s (batch %d, %s); end to end = %.2f x"
            + " model only%n",
        texts.size(),
        seconds,
        rate,
        batch,
        scorer.modelId() + scorer.embedderId().map(e -> " + " + e).orElse(""),
        e2e / rate);
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

  /**
   * CPU time used since construction, by the whole process (broker, registry, Kafka Streams, this
   * benchmark's consumer) and by the stream threads: a figure that, unlike reviews/s, does not
   * depend on what else the machine is running.
   */
  private static final class CpuClock {
    private final long process = processCpu();
    private final Map<Long, Long> threads = threadCpu();
    private final Map<String, Long> nativeThreads = nativeThreadCpu();

    void print(int n) {
      double processUs = (processCpu() - process) / 1e3 / n;
      Map<String, Double> groups = new TreeMap<>();
      double java = 0;
      for (Map.Entry<Long, Long> e : threadCpu().entrySet()) {
        double us = (e.getValue() - threads.getOrDefault(e.getKey(), 0L)) / 1e3 / n;
        java += us;
        groups.merge(group(e.getKey()), us, Double::sum);
      }
      groups.put("(gc, jit and other native threads)", processUs - java);
      // On Linux, /proc names the native threads too (the JVM's garbage collector and compilers).
      Map<String, Long> nativeNow = nativeThreadCpu();
      nativeNow.forEach(
          (name, ns) -> {
            double us = (ns - nativeThreads.getOrDefault(name, 0L)) / 1e3 / n;
            if (us >= 1) {
              groups.put("  (native) " + name, us);
            }
          });
      double streamsUs = groups.getOrDefault("stream threads", 0.0);
      System.out.printf(
          "cpu per review: %.0f µs in all (%.0f µs on the stream threads); %d cores => at most"
              + " %.0f reviews/s on an idle machine%n",
          processUs,
          streamsUs,
          Runtime.getRuntime().availableProcessors(),
          Runtime.getRuntime().availableProcessors() * 1e6 / processUs);
      groups.entrySet().stream()
          .filter(e -> e.getValue() >= 1)
          .sorted(Map.Entry.comparingByValue(Comparator.reverseOrder()))
          .forEach(e -> System.out.printf("  %6.0f µs  %s%n", e.getValue(), e.getKey()));
    }

    private static String group(long id) {
      String name = NAMES.getOrDefault(id, "?");
      if (name.contains("StreamThread") && !name.contains("producer")) {
        return "stream threads";
      }
      return name.replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "ID").replaceAll("\\d+", "N");
    }

    /**
     * CPU time of the JVM's own threads (garbage collector, compilers, VM thread) by name, from
     * {@code /proc/self/task/N/stat}; empty where there is no /proc.
     */
    private static Map<String, Long> nativeThreadCpu() {
      Map<String, Long> out = new HashMap<>();
      File[] tasks = new File("/proc/self/task").listFiles();
      if (tasks == null) {
        return out;
      }
      for (File task : tasks) {
        try {
          String stat = Files.readString(task.toPath().resolve("stat"));
          int open = stat.indexOf('(');
          int close = stat.lastIndexOf(')');
          String name = stat.substring(open + 1, close).replaceAll("\\d+", "N").trim();
          if (!(name.startsWith("GC ")
              || name.startsWith("G1 ")
              || name.contains("Compiler")
              || name.startsWith("VM "))) {
            continue;
          }
          String[] f = stat.substring(close + 2).split(" ");
          // fields 14 and 15 of stat (utime, stime), in clock ticks of 10 ms
          long ns = (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
          out.merge(name, ns, Long::sum);
        } catch (IOException | RuntimeException e) {
          // the thread ended meanwhile
        }
      }
      return out;
    }

    private static long processCpu() {
      return ((com.sun.management.OperatingSystemMXBean)
              ManagementFactory.getOperatingSystemMXBean())
          .getProcessCpuTime();
    }

    private static final Map<Long, String> NAMES = new java.util.concurrent.ConcurrentHashMap<>();

    private static Map<Long, Long> threadCpu() {
      ThreadMXBean mx = ManagementFactory.getThreadMXBean();
      Map<Long, Long> out = new HashMap<>();
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        long ns = mx.getThreadCpuTime(t.getId());
        if (ns >= 0) {
          out.put(t.getId(), ns);
          NAMES.put(t.getId(), t.getName());
        }
      }
      return out;
    }
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
