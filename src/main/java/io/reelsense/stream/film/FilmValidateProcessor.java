package io.reelsense.stream.film;

import io.reelsense.avro.DeadLetter;
import io.reelsense.avro.Film;
import io.reelsense.stream.AbstractValidateProcessor;
import io.reelsense.stream.DeadLetters;
import io.reelsense.stream.Origin;
import io.reelsense.stream.serve.StreamMetrics;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Record;

/**
 * First stage of the film sub-topology: decodes a film record (Confluent wire format + Avro) and
 * checks it; forwards {@link FilmStage.Accepted} keyed by film id, or {@link FilmStage.Rejected}
 * with the stage and reason (bad bytes never throw). A tombstone (null value) keyed by a film id
 * deletes that film: it is forwarded as {@link FilmStage.Deleted}; one without a usable key is
 * rejected. As for reviews, only a failure of the schema registry itself is thrown.
 */
final class FilmValidateProcessor extends AbstractValidateProcessor<Film, FilmStage> {

  private final int maxChars;

  FilmValidateProcessor(Deserializer<Film> deserializer, int maxChars, StreamMetrics metrics) {
    super(
        deserializer,
        metrics,
        "film",
        DeadLetters.STAGE_FILM_DESERIALIZE,
        DeadLetters.STAGE_FILM_VALIDATE);
    this.maxChars = maxChars;
  }

  @Override
  protected boolean tombstone(Record<byte[], byte[]> record, Origin origin) {
    byte[] key = record.key();
    String id = key == null ? null : new String(key, StandardCharsets.UTF_8);
    if (id == null || id.isBlank()) {
      context.forward(
          record
              .withKey((String) null)
              .withValue(
                  new FilmStage.Rejected(
                      origin.deadLetter(
                          DeadLetters.STAGE_FILM_VALIDATE,
                          "tombstone (null value) with "
                              + (key == null ? "no key" : "an empty key")
                              + ": a film is deleted by a null value keyed by its film id",
                          context.currentSystemTimeMs()))));
      return true;
    }
    context.forward(record.withKey(id).withValue(new FilmStage.Deleted(id)));
    return true;
  }

  @Override
  protected String id(Film film) {
    return film.getFilmId();
  }

  @Override
  protected FilmStage accepted(Film film, long receivedAt, long now, Origin origin) {
    return new FilmStage.Accepted(new PendingFilm(film, now, origin));
  }

  @Override
  protected FilmStage rejected(DeadLetter letter) {
    return new FilmStage.Rejected(letter);
  }

  @Override
  protected String check(Film film) {
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
