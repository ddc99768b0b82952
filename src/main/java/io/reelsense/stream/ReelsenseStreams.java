package io.reelsense.stream;

import io.reelsense.stream.film.FilmCatalog;
import io.reelsense.stream.film.FilmTopology;
import io.reelsense.stream.registry.SchemaRegistryClient;
import io.reelsense.stream.review.ReviewScorer;
import io.reelsense.stream.review.ReviewTopology;
import io.reelsense.stream.serve.LiveFeed;
import io.reelsense.stream.serve.ModelInfo;
import io.reelsense.stream.serve.SentimentHttpServer;
import io.reelsense.stream.serve.StreamMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running scoring application: creates missing topics, binds the interactive-query HTTP server,
 * builds {@link ReviewTopology} and starts Kafka Streams. {@link #close()} drains the open
 * micro-batches (so the last batch is scored and committed), closes Kafka Streams, the HTTP server
 * and the models.
 */
public final class ReelsenseStreams implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ReelsenseStreams.class);

  private final ReelsenseConfig config;
  private final ReviewScorer scorer;
  private final FilmCatalog films;
  private final BatchControl control;
  private final SentimentHttpServer http;
  private final KafkaStreams streams;
  private final Topology topology;
  private final StreamMetrics metrics;
  private final AutoCloseable metricsBinding;
  private boolean closed;

  private ReelsenseStreams(
      ReelsenseConfig config,
      ReviewScorer scorer,
      FilmCatalog films,
      BatchControl control,
      SentimentHttpServer http,
      KafkaStreams streams,
      Topology topology,
      StreamMetrics metrics,
      AutoCloseable metricsBinding) {
    this.metrics = metrics;
    this.metricsBinding = metricsBinding;
    this.config = config;
    this.scorer = scorer;
    this.films = films;
    this.control = control;
    this.http = http;
    this.streams = streams;
    this.topology = topology;
  }

  /** Starts the application with value serdes from the schema registry named in {@code config}. */
  public static ReelsenseStreams start(ReelsenseConfig config, ReviewScorer scorer) {
    return start(config, scorer, null);
  }

  /**
   * Starts the application with the film sub-topology when {@code films} is not null, value serdes
   * from the schema registry named in {@code config}.
   */
  public static ReelsenseStreams start(
      ReelsenseConfig config, ReviewScorer scorer, FilmCatalog films) {
    SchemaRegistryClient client = SchemaRegistryClient.fromConfig(config.registryProperties());
    return start(config, Topics.registry(client), scorer, films);
  }

  /** Starts the application; it owns {@code scorer} from now on and closes it. */
  public static ReelsenseStreams start(
      ReelsenseConfig config, Topics.AvroSerdeFactory serdes, ReviewScorer scorer) {
    return start(config, serdes, scorer, null);
  }

  /**
   * Starts the application with the film sub-topology when {@code films} is not null; it owns
   * {@code scorer} and {@code films} from now on and closes them.
   */
  public static ReelsenseStreams start(
      ReelsenseConfig config,
      Topics.AvroSerdeFactory serdes,
      ReviewScorer scorer,
      FilmCatalog films) {
    createMissingTopics(config);
    BatchControl control = new BatchControl();
    StreamMetrics metrics = StreamMetrics.prometheus();
    metrics.model(scorer.modelId(), scorer.embedderId());
    metrics.buffer(control);
    SentimentHttpServer http = SentimentHttpServer.bind(config.httpHost(), config.httpPort());
    try {
      http.advertise(config.applicationServer(http.address().getPort()));
      Topology topology =
          ReviewTopology.build(
              config.topics(),
              Topics.ValueSerdes.of(serdes),
              ReviewTopology.Settings.from(config),
              scorer,
              control,
              metrics,
              films == null
                  ? null
                  : new FilmTopology.Settings(
                      films,
                      config.filmsBatchSize(),
                      config.batchMaxWait(),
                      config.maxReviewChars(),
                      BatchSizer.flushTimeLimit(config.streamsProperties())));
      if (films != null) {
        http.serveFilms(films);
      }
      Properties props = config.streamsProperties();
      props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, http.hostAndPort());
      KafkaStreams streams = new KafkaStreams(topology, props);
      streams.setUncaughtExceptionHandler(
          e -> {
            LOG.error("stream thread failed; replacing it: {}", DeadLetters.reason(e));
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
          });
      AutoCloseable binding = metrics.bind(streams);
      http.serveScoring(scorer, config.maxReviewChars());
      http.serveLive(
          LiveFeed.start(
              config.clientProperties(),
              config.topics(),
              Topics.ValueSerdes.of(serdes),
              ModelInfo.of(
                  scorer.modelId(),
                  scorer.embedderId().orElse(null),
                  config.bundle().orElse(null),
                  config.device(),
                  config.streamThreads()),
              metrics::consumerLag));
      http.start(streams, control, metrics);
      streams.start();
      return new ReelsenseStreams(
          config, scorer, films, control, http, streams, topology, metrics, binding);
    } catch (RuntimeException e) {
      http.close();
      if (films != null) {
        films.close();
      }
      throw e;
    }
  }

  /**
   * Creates the topics of {@code config} that do not exist yet, with {@code topic.partitions} and
   * {@code topic.replication.factor}; returns the names it created.
   */
  public static List<String> createMissingTopics(ReelsenseConfig config) {
    try (Admin admin = Admin.create(config.clientProperties())) {
      Set<String> existing = admin.listTopics().names().get();
      List<NewTopic> missing = new ArrayList<>();
      for (String t : config.topics().all()) {
        if (!existing.contains(t)) {
          missing.add(new NewTopic(t, config.topicPartitions(), config.topicReplicationFactor()));
        }
      }
      List<String> created = new ArrayList<>();
      for (NewTopic t : missing) {
        try {
          admin.createTopics(List.of(t)).all().get();
          created.add(t.name());
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException(
                "cannot create topic " + t.name() + ": " + DeadLetters.reason(e.getCause()), e);
          }
        }
      }
      if (!created.isEmpty()) {
        LOG.info("created topics {}", created);
      }
      return created;
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "cannot list topics on "
              + config.bootstrapServers()
              + ": "
              + DeadLetters.reason(e.getCause()),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    }
  }

  /** Waits until Kafka Streams is RUNNING; false when {@code timeout} passes first. */
  public boolean awaitRunning(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (streams.state() != KafkaStreams.State.RUNNING) {
      if (System.nanoTime() > deadline || !streams.state().isRunningOrRebalancing()) {
        return streams.state() == KafkaStreams.State.RUNNING;
      }
      Thread.sleep(20);
    }
    return true;
  }

  public KafkaStreams streams() {
    return streams;
  }

  /** The film side of this instance, or null when it runs without a film encoder. */
  public FilmCatalog films() {
    return films;
  }

  public BatchControl control() {
    return control;
  }

  /** The metrics of this instance (also served on {@code GET /metrics}). */
  public StreamMetrics metrics() {
    return metrics;
  }

  /**
   * A shutdown hook (not yet registered) that runs {@link #close()}: on SIGTERM the open
   * micro-batches are scored, their outputs and offsets committed, then Kafka Streams stops.
   * Register it with {@code Runtime.getRuntime().addShutdownHook(app.shutdownHook())}.
   */
  public Thread shutdownHook() {
    return new Thread(
        () -> {
          LOG.info("shutting down: draining the open micro-batches, then closing Kafka Streams");
          close();
          LOG.info("shut down cleanly");
        },
        "reelsense-shutdown");
  }

  public Topology topology() {
    return topology;
  }

  /** The base URL of the interactive-query server, e.g. {@code http://127.0.0.1:7070}. */
  public String httpUrl() {
    return "http://" + http.hostAndPort();
  }

  /**
   * Closes without draining: the open micro-batches stay in the changelogged buffer, as after a
   * crash that happened after the last commit. For tests of the exactly-once argument.
   */
  synchronized void closeKeepingBuffer() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      streams.close(
          new KafkaStreams.CloseOptions().timeout(Duration.ofSeconds(60)).leaveGroup(true));
    } finally {
      closeQuietly(metricsBinding);
      http.close();
      scorer.close();
      if (films != null) {
        films.close();
      }
    }
  }

  /**
   * Drains the open micro-batches (waiting at most the batch wait plus 10 s), then closes Kafka
   * Streams (which commits the last transaction), the HTTP server and the models.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      control.drain();
      if (streams.state().isRunningOrRebalancing()) {
        Duration wait = config.batchMaxWait().plusSeconds(10);
        if (!control.awaitEmpty(wait)) {
          LOG.warn(
              "{} reviews still buffered after {} ms; they stay in the changelogged buffer and"
                  + " are scored on the next start",
              control.pending(),
              wait.toMillis());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        streams.close(
            new KafkaStreams.CloseOptions().timeout(Duration.ofSeconds(60)).leaveGroup(true));
      } finally {
        closeQuietly(metricsBinding);
        http.close();
        scorer.close();
        if (films != null) {
          films.close();
        }
      }
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      LOG.debug("closing {}: {}", c, e.toString());
    }
  }
}
