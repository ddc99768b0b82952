/**
 * The review flow: {@link io.reelsense.stream.review.ValidateProcessor} (decode, check, or
 * dead-letter) → {@link io.reelsense.stream.review.MicroBatchProcessor} (a changelogged micro-batch
 * buffer, scored and embedded by {@link io.reelsense.stream.review.ReviewScorer}) → {@code
 * scored-reviews}, {@code review-embeddings} and the dead-letter topic, plus the per-film sentiment
 * table ({@link io.reelsense.stream.review.FilmSentiment}). {@link
 * io.reelsense.stream.review.ReviewTopology} wires it, with the film flow when a film encoder is
 * set.
 */
package io.reelsense.stream.review;
