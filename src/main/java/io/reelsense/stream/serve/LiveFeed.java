package io.reelsense.stream.serve;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.reelsense.avro.DeadLetter;
import io.reelsense.avro.Review;
import io.reelsense.avro.ScoredReview;
import io.reelsense.stream.Topics;
import io.reelsense.stream.review.FilmSentiment;
import io.reelsense.stream.review.ReviewTopology;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.DoubleSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the live page shows, kept small whatever the rate: a consumer of its own (no group, from the
 * end of every partition at start, {@code read_committed}) follows the reviews, scored and
 * dead-letter topics and folds them into bounded state: per-second buckets over the last {@link
 * #SECONDS} seconds, the latest {@link #LATEST} scored reviews, dead letters by reason code with
 * the latest {@link #LATEST_PER_REASON} of each. {@link #summary} answers from that state and from
 * the per-film table of this instance, so the page never receives every record.
 */
public final class LiveFeed implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LiveFeed.class);

  /** Seconds of history in the charts. */
  static final int SECONDS = 300;

  /** Latest scored reviews kept. */
  static final int LATEST = 25;

  /** Latest dead letters kept per reason code. */
  static final int LATEST_PER_REASON = 3;

  /** Review texts kept to show next to their scores, and the characters kept of each. */
  static final int TEXTS = 5_000;

  static final int TEXT_CHARS = 2_000;

  /** Films listed as most and least liked. */
  static final int FILMS = 5;

  /** One scored review as the page shows it. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Latest(
      String reviewId,
      String filmId,
      String text,
      String label,
      double probability,
      double positiveProbability,
      Integer stars,
      long latencyMs,
      int batchSize,
      double inferenceMs,
      long scoredAt,
      String modelId) {}

  /** One second of the charts. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Second(
      long t,
      long scored,
      long deadLetters,
      double latencyMeanMs,
      long latencyMaxMs,
      double batchMean) {}

  /** One dead letter as the page shows it. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Letter(
      String stage, String reason, String topic, int partition, long offset, long time) {}

  /** Dead letters of one reason code. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Reason(
      String code, String stage, long count, String meaning, List<Letter> latest) {}

  /** One film of the per-film table. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record FilmRow(String filmId, long count, double positiveShare, Double meanRating) {}

  /** The whole summary. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Summary(
      long time,
      String state,
      boolean ready,
      long pending,
      double consumerLag,
      boolean films,
      ModelInfo model,
      long scored,
      long deadLetters,
      List<Second> seconds,
      List<Latest> latest,
      List<Reason> reasons,
      List<FilmRow> mostLiked,
      List<FilmRow> leastLiked,
      long filmCount) {}

  private static final class Bucket {
    long t;
    long scored;
    long dead;
    long latencySum;
    long latencyMax;
    long batchSum;
  }

  private static final class ReasonState {
    final String stage;
    long count;
    final Deque<Letter> latest = new ArrayDeque<>();

    ReasonState(String stage) {
      this.stage = stage;
    }
  }

  private final Topics topics;
  private final Topics.ValueSerdes serdes;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final ModelInfo model;
  private final DoubleSupplier lag;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread thread;

  private final Bucket[] buckets = new Bucket[SECONDS];
  private final Deque<Latest> latest = new ArrayDeque<>();
  private final Map<String, ReasonState> reasons = new LinkedHashMap<>();
  private final Map<String, String> texts =
      new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> e) {
          return size() > TEXTS;
        }
      };
  private long scored;
  private long dead;
  private volatile boolean caughtUp;

  private volatile FilmsCache filmsCache;

  private record FilmsCache(long at, List<FilmRow> most, List<FilmRow> least, long count) {}

  private LiveFeed(
      Map<String, Object> clientProperties,
      Topics topics,
      Topics.ValueSerdes serdes,
      ModelInfo model,
      DoubleSupplier lag) {
    this.topics = topics;
    this.serdes = serdes;
    this.model = model;
    this.lag = lag;
    Properties p = new Properties();
    p.putAll(clientProperties);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "reelsense-live-" + System.nanoTime());
    this.consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.thread = new Thread(this::run, "reelsense-live");
    thread.setDaemon(true);
  }

  /**
   * Starts following the topics of {@code topics} with the Kafka client settings {@code
   * clientProperties}; {@code lag} reads the application's consumer lag.
   */
  public static LiveFeed start(
      Map<String, Object> clientProperties,
      Topics topics,
      Topics.ValueSerdes serdes,
      ModelInfo model,
      DoubleSupplier lag) {
    LiveFeed f = new LiveFeed(clientProperties, topics, serdes, model, lag);
    f.thread.start();
    return f;
  }

  /** Whether the feed has been assigned its partitions and positioned at their end. */
  public boolean following() {
    return caughtUp;
  }

  private void run() {
    try {
      List<TopicPartition> parts = new ArrayList<>();
      for (String t : List.of(topics.reviews(), topics.reviewsScored(), topics.reviewsDlq())) {
        List<PartitionInfo> infos = consumer.partitionsFor(t, Duration.ofSeconds(30));
        if (infos != null) {
          infos.forEach(i -> parts.add(new TopicPartition(i.topic(), i.partition())));
        }
      }
      consumer.assign(parts);
      consumer.seekToEnd(parts);
      parts.forEach(consumer::position);
      caughtUp = true;
      Deserializer<Review> reviews = serdes.review().deserializer();
      Deserializer<ScoredReview> scoredDe = serdes.scored().deserializer();
      Deserializer<DeadLetter> deadDe = serdes.deadLetter().deserializer();
      while (!closed.get()) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(250));
        synchronized (this) {
          for (ConsumerRecord<byte[], byte[]> r : records) {
            if (r.topic().equals(topics.reviews()) && r.value() != null) {
              try {
                Review review = reviews.deserialize(r.topic(), r.value());
                String text = review.getText() == null ? "" : review.getText().toString();
                texts.put(
                    review.getReviewId().toString(),
                    text.length() > TEXT_CHARS ? text.substring(0, TEXT_CHARS) + "…" : text);
              } catch (RuntimeException e) {
                // a broken review is the dead-letter topic's business, shown from there
              }
            }
          }
          for (ConsumerRecord<byte[], byte[]> r : records) {
            if (r.value() == null) {
              continue;
            }
            try {
              if (r.topic().equals(topics.reviewsScored())) {
                scored(scoredDe.deserialize(r.topic(), r.value()));
              } else if (r.topic().equals(topics.reviewsDlq())) {
                deadLetter(deadDe.deserialize(r.topic(), r.value()));
              }
            } catch (RuntimeException e) {
              LOG.debug("live page: skipping a record of {}: {}", r.topic(), e.toString());
            }
          }
        }
      }
    } catch (WakeupException e) {
      if (!closed.get()) {
        throw e;
      }
    } catch (RuntimeException e) {
      LOG.warn("the live page's feed stopped: {}", e.toString());
    } finally {
      consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(2)));
    }
  }

  private Bucket bucket(long epochSecond) {
    int i = (int) Math.floorMod(epochSecond, (long) SECONDS);
    Bucket b = buckets[i];
    if (b == null) {
      b = new Bucket();
      buckets[i] = b;
    }
    if (b.t != epochSecond) {
      b.t = epochSecond;
      b.scored = 0;
      b.dead = 0;
      b.latencySum = 0;
      b.latencyMax = 0;
      b.batchSum = 0;
    }
    return b;
  }

  private void scored(ScoredReview s) {
    long now = System.currentTimeMillis();
    long scoredAt = s.getScoredAt().toEpochMilli();
    long latency = Math.max(0, scoredAt - s.getReceivedAt().toEpochMilli());
    Bucket b = bucket(now / 1000);
    b.scored++;
    b.latencySum += latency;
    b.latencyMax = Math.max(b.latencyMax, latency);
    b.batchSum += s.getBatchSize();
    scored++;
    boolean positive = s.getLabel() == 1;
    String id = s.getReviewId().toString();
    latest.addFirst(
        new Latest(
            id,
            s.getFilmId() == null ? null : s.getFilmId().toString(),
            texts.getOrDefault(id, ""),
            positive ? "positive" : "negative",
            positive ? s.getPositiveProbability() : 1 - s.getPositiveProbability(),
            s.getPositiveProbability(),
            s.getRating() > 0 ? s.getRating() : null,
            latency,
            s.getBatchSize(),
            s.getInferenceMs(),
            scoredAt,
            s.getModelId().toString()));
    while (latest.size() > LATEST) {
      latest.removeLast();
    }
  }

  private void deadLetter(DeadLetter d) {
    dead++;
    bucket(System.currentTimeMillis() / 1000).dead++;
    String stage = d.getStage().toString();
    String reason = d.getReason().toString();
    String code = StreamMetrics.reasonCode(reason);
    ReasonState st = reasons.get(stage + "/" + code);
    if (st == null) {
      if (reasons.size() >= StreamMetrics.MAX_REASONS) {
        code = "other";
      }
      st = reasons.computeIfAbsent(stage + "/" + code, k -> new ReasonState(stage));
    }
    st.count++;
    st.latest.addFirst(
        new Letter(
            stage,
            reason.length() > 300 ? reason.substring(0, 300) + "…" : reason,
            d.getTopic().toString(),
            d.getPartition(),
            d.getOffset(),
            d.getTime().toEpochMilli()));
    while (st.latest.size() > LATEST_PER_REASON) {
      st.latest.removeLast();
    }
  }

  /** The bounded summary the page polls. */
  public Summary summary(
      String state, boolean ready, long pending, boolean films, KafkaStreams streams) {
    long now = System.currentTimeMillis();
    List<Second> seconds = new ArrayList<>(SECONDS);
    List<Latest> l;
    List<Reason> rs = new ArrayList<>();
    long s;
    long d;
    synchronized (this) {
      long nowSecond = now / 1000;
      for (long t = nowSecond - SECONDS + 1; t <= nowSecond; t++) {
        Bucket b = buckets[(int) Math.floorMod(t, (long) SECONDS)];
        if (b == null || b.t != t) {
          seconds.add(new Second(t, 0, 0, 0, 0, 0));
        } else {
          seconds.add(
              new Second(
                  t,
                  b.scored,
                  b.dead,
                  b.scored == 0 ? 0 : (double) b.latencySum / b.scored,
                  b.latencyMax,
                  b.scored == 0 ? 0 : (double) b.batchSum / b.scored));
        }
      }
      l = List.copyOf(latest);
      reasons.forEach(
          (key, st) -> {
            String code = key.substring(key.indexOf('/') + 1);
            rs.add(
                new Reason(
                    code, st.stage, st.count, meaning(st.stage, code), List.copyOf(st.latest)));
          });
      s = scored;
      d = dead;
    }
    rs.sort(Comparator.comparingLong(Reason::count).reversed());
    FilmsCache fc = films(streams, now);
    return new Summary(
        now,
        state,
        ready,
        pending,
        lag.getAsDouble(),
        films,
        model,
        s,
        d,
        seconds,
        l,
        rs,
        fc.most(),
        fc.least(),
        fc.count());
  }

  /** The most and least liked films of this instance's per-film table, at most every second. */
  private FilmsCache films(KafkaStreams streams, long now) {
    FilmsCache c = filmsCache;
    if (c != null && now - c.at() < 1000) {
      return c;
    }
    List<FilmRow> rows = new ArrayList<>();
    if (streams != null && streams.state() == KafkaStreams.State.RUNNING) {
      try {
        ReadOnlyKeyValueStore<String, FilmSentiment> store =
            streams.store(
                StoreQueryParameters.fromNameAndType(
                    ReviewTopology.FILM_SENTIMENT_STORE, QueryableStoreTypes.keyValueStore()));
        try (KeyValueIterator<String, FilmSentiment> it = store.all()) {
          while (it.hasNext()) {
            var kv = it.next();
            FilmSentiment f = kv.value;
            rows.add(
                new FilmRow(
                    kv.key,
                    f.count(),
                    f.positiveShare(),
                    Double.isNaN(f.meanRating()) ? null : f.meanRating()));
          }
        }
      } catch (RuntimeException e) {
        LOG.debug("live page: the film table is not queryable now: {}", e.toString());
      }
    }
    Comparator<FilmRow> liked =
        Comparator.comparingDouble(FilmRow::positiveShare)
            .thenComparingLong(FilmRow::count)
            .thenComparing(FilmRow::filmId, Comparator.reverseOrder());
    List<FilmRow> most = rows.stream().sorted(liked.reversed()).limit(FILMS).toList();
    List<FilmRow> least =
        rows.stream()
            .sorted(
                Comparator.comparingDouble(FilmRow::positiveShare)
                    .thenComparing(Comparator.comparingLong(FilmRow::count).reversed())
                    .thenComparing(FilmRow::filmId))
            .limit(FILMS)
            .toList();
    FilmsCache fresh = new FilmsCache(now, most, least, rows.size());
    filmsCache = fresh;
    return fresh;
  }

  private static final Map<String, String> MEANINGS = new HashMap<>();

  static {
    MEANINGS.put(
        "unknown_magic_byte",
        "the value does not start with the Confluent wire-format magic byte 0: it was not"
            + " written by an Avro serializer with a schema registry");
    MEANINGS.put("unknown_schema_id", "the schema id in the value is not in the schema registry");
    MEANINGS.put("empty_or_whitespaceonly_text", "the review has no text to score");
    MEANINGS.put("empty_value", "a record with a zero-byte value");
    MEANINGS.put("empty_review_id", "the review has no review_id");
    MEANINGS.put(
        "text_has",
        "the text is longer than max.review.chars; it is refused before the model sees it");
    MEANINGS.put("null_value", "a record without a value (a tombstone)");
  }

  /** What a reason code means, in a sentence a person reading the page understands. */
  static String meaning(String stage, String code) {
    String m = MEANINGS.get(code);
    if (m != null) {
      return m;
    }
    return switch (stage) {
      case "deserialize" -> "the bytes could not be read as an Avro review";
      case "validate" -> "the review was read but fails a check (id, text, length)";
      case "classify", "score" -> "the model failed on the batch that held this review";
      case "embed" -> "the encoder failed on the batch that held this review";
      default -> "rejected at stage " + stage;
    };
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      consumer.wakeup();
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
