package io.reelsense.stream.film;

import io.reelsense.avro.DeadLetter;
import io.reelsense.avro.FilmEmbedding;
import io.reelsense.avro.FilmNeighbours;

/**
 * What a stage of the film sub-topology hands downstream, before the branches that route each kind
 * to its topic. Lives only in memory between processors of one task (never serialized).
 */
sealed interface FilmStage {

  /** A film that passed validation, on its way to the embedder. */
  record Accepted(PendingFilm pending) implements FilmStage {}

  /**
   * A tombstone of the {@code films} topic: the film with this id (the record's key) is deleted.
   */
  record Deleted(String filmId) implements FilmStage {}

  /** A film's embedding, or null for a tombstone (the film was deleted). */
  record Embedded(FilmEmbedding value) implements FilmStage {}

  /** A film's nearest films, or null for a tombstone (the film was deleted). */
  record Neighbours(FilmNeighbours value) implements FilmStage {}

  /** A film record that cannot be processed, for the dead-letter topic. */
  record Rejected(DeadLetter value) implements FilmStage {}
}
