package io.reelsense.eval;

import io.reelsense.avro.Film;
import io.reelsense.stream.ReelsenseConfig;
import io.reelsense.stream.Topics;
import io.reelsense.stream.registry.AvroSerdes;
import io.reelsense.stream.registry.SchemaRegistryClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.Serializer;

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
    Cluster.partitions(config, List.of(topic), timeout);
    SchemaRegistryClient registry = SchemaRegistryClient.fromConfig(config.registryProperties());
    Serializer<Film> values = AvroSerdes.specific(registry, Film.class, false).serializer();
    Map<String, Object> props = config.clientProperties();
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 20);
    props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.toMillis());
    props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "reelsense-film-sender");
    return new FilmSender(
        new KafkaProducer<>(props, Topics.keySerde().serializer(), values), topic);
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
