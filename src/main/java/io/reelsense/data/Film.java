package io.reelsense.data;

import java.util.List;

/**
 * One film of the catalog.
 *
 * @param title the title as in Wikipedia's film lists
 * @param year release year
 * @param genres genres, possibly empty
 * @param description the lead paragraph of the article ({@code extract}); empty when missing
 * @param href the Wikipedia article name; the film's stable id
 */
public record Film(String title, int year, List<String> genres, String description, String href) {}
