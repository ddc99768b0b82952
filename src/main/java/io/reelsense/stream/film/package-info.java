/**
 * The film flow: {@link io.reelsense.stream.film.FilmValidateProcessor} → {@link
 * io.reelsense.stream.film.FilmEmbedProcessor} (films embedded in micro-batches on one partition,
 * kept in a changelogged vector store, with each film's nearest films as a {@link
 * io.reelsense.stream.film.NeighbourList}) → {@code film-embeddings} and {@code film-neighbours}.
 * {@link io.reelsense.stream.film.FilmCatalog} is the in-memory mirror the HTTP queries of {@link
 * io.reelsense.stream.film.FilmQueries} read. {@link io.reelsense.stream.film.FilmTopology} wires
 * it.
 */
package io.reelsense.stream.film;
