package io.reelsense.eval.reliability;

import io.reelsense.avro.Review;
import io.reelsense.eval.EvalException;
import io.reelsense.eval.OutputReader;
import io.reelsense.stream.ReelsenseConfig;
import io.reelsense.stream.ReelsenseStreams;
import io.reelsense.stream.Topics;
import io.reelsense.stream.registry.AvroSerdes;
import io.reelsense.stream.registry.SchemaRegistryClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The traffic of one scenario: its own topics ({@code rel-<scenario>-reviews}, …), created with
 * {@code partitions} partitions; a producer of raw input records whose acknowledgements register
 * the inputs in a {@link Ledger}; and a watcher thread reading the scored and dead-letter topics
 * (read_committed, from the beginning) into the same ledger.
 */
public final class Traffic implements AutoCloseable {

  private final Env env;
  private final String scenario;
  private final Map<String, String> settings;
  private final ReelsenseConfig config;
  private final Ledger ledger;
  private final KafkaProducer<byte[], byte[]> producer;
  private final Serializer<Review> reviews;
  private final SchemaRegistryClient client;
  private final OutputReader reader;
  private final Thread watcher;
  private final AtomicInteger sendFailures = new AtomicInteger();
  private final AtomicReference<String> firstSendFailure = new AtomicReference<>();
  private volatile boolean closing;

  private Traffic(Env env, String scenario, int partitions, Map<String, String> extra) {
    this.env = env;
    this.scenario = scenario;
    Map<String, String> s = new LinkedHashMap<>();
    s.put(ReelsenseConfig.BOOTSTRAP_SERVERS, env.bootstrap());
    s.put(ReelsenseConfig.REGISTRY_URL, env.registryUrl());
    String prefix = "rel-" + scenario + "-";
    Topics d = Topics.defaults();
    s.put(ReelsenseConfig.TOPIC_REVIEWS, prefix + d.reviews());
    s.put(ReelsenseConfig.TOPIC_SCORED, prefix + d.reviewsScored());
    s.put(ReelsenseConfig.TOPIC_EMBEDDINGS, prefix + d.reviewEmbeddings());
    s.put(ReelsenseConfig.TOPIC_DLQ, prefix + d.reviewsDlq());
    s.put(ReelsenseConfig.TOPIC_FILMS, prefix + d.films());
    s.put(ReelsenseConfig.TOPIC_FILM_EMBEDDINGS, prefix + d.filmEmbeddings());
    s.put(ReelsenseConfig.TOPIC_FILM_NEIGHBOURS, prefix + d.filmNeighbours());
    s.put(ReelsenseConfig.TOPIC_PARTITIONS, Integer.toString(partitions));
    s.putAll(extra);
    this.settings = s;
    this.config = ReelsenseConfig.of(s);
    ReelsenseStreams.createMissingTopics(config);
    this.ledger = new Ledger(config.topics().reviews());
    this.client = SchemaRegistryClient.fromConfig(config.registryProperties());
    this.reviews = AvroSerdes.specific(client, Review.class, false).serializer();
    Map<String, Object> p = config.clientProperties();
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 300_000);
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "reliability-" + scenario);
    this.reader = openReader(config);
    this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    this.watcher = new Thread(this::watch, "reliability-watch-" + scenario);
    watcher.setDaemon(true);
    watcher.start();
  }

  /** Creates the scenario's topics and starts watching its outputs. */
  public static Traffic open(Env env, String scenario, int partitions) {
    return new Traffic(env, scenario, partitions, Map.of());
  }

  /**
   * Creates the scenario's topics with {@code extra} settings on top (e.g. {@code
   * topic.replication.factor}), which every application instance gets too, and starts watching.
   */
  public static Traffic open(Env env, String scenario, int partitions, Map<String, String> extra) {
    return new Traffic(env, scenario, partitions, extra);
  }

  /** A reader of the outputs; retried while the new topics are not yet in the metadata. */
  private static OutputReader openReader(ReelsenseConfig config) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      try {
        return OutputReader.open(
            config, true, true, OutputReader.Start.BEGINNING, Duration.ofMinutes(1));
      } catch (EvalException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        try {
          Thread.sleep(500);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private void watch() {
    while (!closing) {
      for (OutputReader.Output o : reader.poll(Duration.ofMillis(200))) {
        ledger.output(o);
      }
    }
  }

  public Ledger ledger() {
    return ledger;
  }

  public ReelsenseConfig config() {
    return config;
  }

  public SchemaRegistryClient registry() {
    return client;
  }

  /** The input topic. */
  public String topic() {
    return config.topics().reviews();
  }

  /**
   * The configuration of an application instance: this traffic's servers and topics, application id
   * {@code reliability-<scenario>}, the state directory {@code <work>/state/<stateName>}, the
   * bundle, no embeddings, any free HTTP port, and a 6 s consumer session (so a killed instance's
   * partitions move on within seconds, as they would with a tuned production setting).
   */
  public Map<String, String> appSettings(String stateName) {
    Map<String, String> m = new LinkedHashMap<>(settings);
    m.put(ReelsenseConfig.APPLICATION_ID, "reliability-" + scenario);
    m.put(
        ReelsenseConfig.STATE_DIR,
        env.work().resolve("state").resolve(stateName).toAbsolutePath().toString());
    m.put(ReelsenseConfig.HTTP_PORT, "0");
    m.put(ReelsenseConfig.BUNDLE, env.bundle().toAbsolutePath().toString());
    m.put(ReelsenseConfig.EMBEDDER, ReelsenseConfig.EMBEDDER_NONE);
    m.put(ReelsenseConfig.BATCH_SIZE, Integer.toString(env.batchSize()));
    m.put(ReelsenseConfig.KAFKA_PREFIX + "session.timeout.ms", "6000");
    m.put(ReelsenseConfig.KAFKA_PREFIX + "heartbeat.interval.ms", "1000");
    return m;
  }

  /** The Avro bytes (wire format, schema registered) of {@code review}. */
  public byte[] serialize(Review review) {
    return reviews.serialize(topic(), review);
  }

  /** Sends a review keyed by its id, expected to be scored. */
  public void send(Review review, String category) {
    send(
        review.getReviewId().getBytes(StandardCharsets.UTF_8),
        serialize(review),
        review.getReviewId(),
        category,
        Ledger.Expect.SCORED,
        null);
  }

  /** Sends raw bytes; the acknowledgement registers the input in the ledger. */
  public void send(
      byte[] key,
      byte[] value,
      String reviewId,
      String category,
      Ledger.Expect expect,
      String reasonHint) {
    producer.send(
        new ProducerRecord<>(topic(), null, System.currentTimeMillis(), key, value),
        (md, e) -> {
          if (e != null) {
            sendFailures.incrementAndGet();
            firstSendFailure.compareAndSet(null, category + ": " + e);
          } else {
            ledger.input(md.partition(), md.offset(), reviewId, category, expect, reasonHint);
          }
        });
  }

  /** Sends every review (expected to be scored), then waits for the acknowledgements. */
  public void sendAll(List<Review> list, String category) {
    list.forEach(r -> send(r, category));
    flush();
  }

  /**
   * Sends every review at the environment's rate (as fast as possible when it is 0), then waits for
   * the acknowledgements.
   */
  public void sendPaced(List<Review> list, String category) throws InterruptedException {
    if (env.rate() <= 0) {
      sendAll(list, category);
      return;
    }
    long start = System.nanoTime();
    for (int i = 0; i < list.size(); i++) {
      long due = start + (long) (i * 1e9 / env.rate());
      long wait = due - System.nanoTime();
      if (wait > 1_000_000) {
        Thread.sleep(wait / 1_000_000);
      }
      send(list.get(i), category);
    }
    flush();
  }

  /** Waits for the acknowledgement of every record sent. */
  public void flush() {
    producer.flush();
  }

  /** Records the broker refused (they are not inputs: nothing was written). */
  public int sendFailures() {
    return sendFailures.get();
  }

  /** The first refusal, for the report; null when none. */
  public String firstSendFailure() {
    return firstSendFailure.get();
  }

  /**
   * Waits until {@code n} inputs are accounted for, or no new output came for the stall time (after
   * {@code minWait}); prints progress every 5 s. Returns whether all {@code n} were.
   */
  public boolean awaitAccounted(int n, String what) throws InterruptedException {
    long lastPrint = System.nanoTime();
    long started = System.nanoTime();
    while (ledger.accounted() < n) {
      long now = System.nanoTime();
      long quiet = now - Math.max(ledger.lastOutputNanos(), started);
      if (quiet > env.stall().toNanos()) {
        env.progress()
            .accept(
                String.format(
                    "%s: no new output for %d s; %,d of %,d accounted for",
                    scenario, env.stall().toSeconds(), ledger.accounted(), n));
        return false;
      }
      if (now - lastPrint > 5_000_000_000L) {
        lastPrint = now;
        progress(what, n);
      }
      Thread.sleep(50);
    }
    return true;
  }

  /**
   * Waits until more than {@code at} inputs are accounted for (or all {@code n} are); returns the
   * milliseconds it took, or -1 when the stream stayed silent for the stall time.
   */
  public long awaitResumed(int at, int n) throws InterruptedException {
    long start = System.nanoTime();
    while (ledger.accounted() <= at && ledger.accounted() < n) {
      if (System.nanoTime() - start > env.stall().toNanos()) {
        return -1;
      }
      Thread.sleep(20);
    }
    return (System.nanoTime() - start) / 1_000_000;
  }

  /** One progress line: accounted/total and what is going on. */
  public void progress(String what, int total) {
    env.progress()
        .accept(
            String.format(
                "%s: %,d/%,d accounted for (%,d outputs)%s",
                scenario,
                ledger.accounted(),
                total,
                ledger.outputs(),
                what == null || what.isEmpty() ? "" : "; " + what));
  }

  /** Waits until no output has arrived for {@code quiet} (a late duplicate would show up). */
  public void awaitQuiet(Duration quiet) throws InterruptedException {
    long start = System.nanoTime();
    while (true) {
      long since = System.nanoTime() - Math.max(ledger.lastOutputNanos(), start);
      if (since >= quiet.toNanos()) {
        return;
      }
      Thread.sleep(Math.max(1, (quiet.toNanos() - since) / 1_000_000));
    }
  }

  @Override
  public void close() {
    closing = true;
    reader.wakeup();
    try {
      watcher.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    reader.close();
    producer.close(Duration.ofSeconds(30));
  }
}
