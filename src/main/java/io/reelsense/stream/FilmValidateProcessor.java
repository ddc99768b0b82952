package io.reelsense.stream;

import io.reelsense.avro.Film;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * First stage of the film sub-topology: decodes a film record (Confluent wire format + Avro) and
 * checks it; forwards {@link FilmStage.Accepted} keyed by film id, or {@link FilmStage.Rejected}
 * with the stage and reason (bad bytes never throw). A tombstone (null value) keyed by a film id
 * deletes that film: it is forwarded as {@link FilmStage.Deleted}; one without a usable key is
 * rejected. As for reviews, only a failure of the schema registry itself is thrown.
 */
final class FilmValidateProcessor implements Processor<byte[], byte[], String, FilmStage> {

  private final Deserializer<Film> deserializer;
  private final int maxChars;
  private final StreamMetrics metrics;
  private ProcessorContext<String, FilmStage> context;

  FilmValidateProcessor(Deserializer<Film> deserializer, int maxChars, StreamMetrics metrics) {
    this.deserializer = deserializer;
    this.maxChars = maxChars;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, FilmStage> context) {
    this.context = context;
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    metrics.received();
    RecordMetadata md = context.recordMetadata().orElse(null);
    String topic = md == null ? "" : md.topic();
    int partition = md == null ? -1 : md.partition();
    long offset = md == null ? -1 : md.offset();
    byte[] value = record.value();
    if (value == null) {
      tombstone(record, topic, partition, offset);
      return;
    }
    String stage = DeadLetters.STAGE_FILM_DESERIALIZE;
    ValidateProcessor.Decoded<Film> decoded =
        ValidateProcessor.decode(deserializer, topic, record.headers(), value, "film");
    Film film = decoded.value();
    String problem = decoded.problem();
    if (film != null) {
      stage = DeadLetters.STAGE_FILM_VALIDATE;
      problem = check(film);
    }
    long now = context.currentSystemTimeMs();
    if (problem != null) {
      context.forward(
          record
              .withKey(film == null ? null : film.getFilmId())
              .withValue(
                  new FilmStage.Rejected(
                      DeadLetters.of(
                          topic, partition, offset, stage, problem, record.key(), value, now))));
      return;
    }
    PendingFilm pending = new PendingFilm(film, now, topic, partition, offset, record.key(), value);
    context.forward(record.withKey(film.getFilmId()).withValue(new FilmStage.Accepted(pending)));
  }

  private void tombstone(Record<byte[], byte[]> record, String topic, int partition, long offset) {
    byte[] key = record.key();
    String id = key == null ? null : new String(key, StandardCharsets.UTF_8);
    if (id == null || id.isBlank()) {
      context.forward(
          record
              .withKey((String) null)
              .withValue(
                  new FilmStage.Rejected(
                      DeadLetters.of(
                          topic,
                          partition,
                          offset,
                          DeadLetters.STAGE_FILM_VALIDATE,
                          "tombstone (null value) with "
                              + (key == null ? "no key" : "an empty key")
                              + ": a film is deleted by a null value keyed by its film id",
                          key,
                          null,
                          context.currentSystemTimeMs()))));
      return;
    }
    context.forward(record.withKey(id).withValue(new FilmStage.Deleted(id)));
  }

  private String check(Film film) {
    if (film.getFilmId() == null || film.getFilmId().isBlank()) {
      return "empty film_id";
    }
    if (film.getTitle() == null || film.getTitle().isBlank()) {
      return "empty title";
    }
    String d = film.getDescription();
    if (d == null || d.isBlank()) {
      return "empty description: nothing to embed";
    }
    if (d.length() > maxChars) {
      return "description has "
          + d.length()
          + " characters, more than max.review.chars="
          + maxChars;
    }
    return null;
  }
}
