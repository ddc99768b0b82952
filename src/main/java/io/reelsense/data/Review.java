package io.reelsense.data;

/**
 * One review as read from IMDb or a user file.
 *
 * @param id stable id, e.g. {@code train_pos_123} for IMDb, or the file's id / line number
 * @param split {@code train}, {@code test}, or the user file's name
 * @param label 0 negative, 1 positive; null when unknown
 * @param rating stars 1-10; null when unknown
 * @param filmId IMDb film id ({@code tt0012345}); null when unknown
 * @param text the raw review text
 */
public record Review(
    String id, String split, Integer label, Integer rating, String filmId, String text) {}
