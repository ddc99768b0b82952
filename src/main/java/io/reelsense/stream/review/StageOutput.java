package io.reelsense.stream.review;

import io.reelsense.avro.DeadLetter;
import io.reelsense.avro.ReviewEmbedding;
import io.reelsense.avro.ScoredReview;

/**
 * What a processing stage of the topology hands downstream, before the branches that route each
 * kind to its topic. Lives only in memory between processors of one task (never serialized).
 */
public sealed interface StageOutput {

  /** A review that passed validation, on its way to the micro-batch buffer. */
  record Accepted(PendingReview pending) implements StageOutput {}

  /** A review scored by the model. */
  record Scored(ScoredReview value) implements StageOutput {}

  /** A review's embedding. */
  record Embedded(ReviewEmbedding value) implements StageOutput {}

  /** A record that cannot be processed, for the dead-letter topic. */
  record Rejected(DeadLetter value) implements StageOutput {}
}
