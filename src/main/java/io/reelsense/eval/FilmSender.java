package io.reelsense.eval;

import io.reelsense.avro.Film;
import io.reelsense.stream.ReelsenseConfig;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Sends catalog films to the films topic as Avro {@link Film}s, keyed by film id (the catalog's
 * href), through the schema registry's serde, as {@link ReviewSender} sends reviews: the topics'
 * own key serde, idempotent, acks from all in-sync replicas.
 */
public final class FilmSender implements AutoCloseable {

  private final KafkaProducer<String, Film> producer;
  private final String topic;

  private FilmSender(KafkaProducer<String, Film> producer, String topic) {
    this.producer = producer;
    this.topic = topic;
  }

  /**
   * A sender to {@code config}'s films topic; checks first that the cluster answers and the topic
   * exists.
   *
   * @throws EvalException when it does not
   */
  public static FilmSender open(ReelsenseConfig config, Duration timeout) {
    String topic = config.topics().films();
    return new FilmSender(
        AvroProducers.open(
            config,
            topic,
            Film.class,
            timeout,
            Map.of(
                ProducerConfig.LINGER_MS_CONFIG,
                20,
                ProducerConfig.CLIENT_ID_CONFIG,
                "reelsense-film-sender")),
        topic);
  }

  /** The topic it sends to. */
  public String topic() {
    return topic;
  }

  /** Sends one catalog film, keyed by its href. */
  public Future<RecordMetadata> send(io.reelsense.data.Film film) {
    return producer.send(new ProducerRecord<>(topic, film.href(), avro(film)));
  }

  /** Waits until every sent film is acknowledged. */
  public void flush() {
    producer.flush();
  }

  /** The Avro film of a catalog film: its href as id, no year when the catalog has none. */
  public static Film avro(io.reelsense.data.Film f) {
    return Film.newBuilder()
        .setFilmId(f.href())
        .setTitle(f.title())
        .setYear(f.year() > 0 ? f.year() : null)
        .setDescription(f.description())
        .setGenres(f.genres())
        .build();
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(30));
  }
}
