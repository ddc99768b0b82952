package io.reelsense.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelsense.data.Review;
import io.reelsense.data.UserReviewReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reviews a user types or pipes in for {@code reelsense produce}: one review a line, either plain
 * text or a JSON object ({@code {"text": "…", "id": "…", "film_id": "…", "label": 1}}). Files with
 * a known extension ({@code .jsonl}, {@code .csv}, {@code .tsv}, {@code .txt}) are read by {@link
 * UserReviewReader}.
 */
public final class ReviewInput {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ReviewInput() {}

  /** Whether {@link UserReviewReader} knows the file's format by its extension. */
  public static boolean knownFormat(Path file) {
    String name = file.getFileName() == null ? "" : file.getFileName().toString();
    String lower = name.toLowerCase(Locale.ROOT);
    for (UserReviewReader.Format f : UserReviewReader.Format.values()) {
      if (lower.endsWith(f.extension())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Reads one review a line from {@code in}; blank lines are skipped. Ids default to {@code
   * <idPrefix>-<line>}.
   *
   * @throws EvalException naming the source and line of a malformed JSON line or one without text
   */
  public static List<Review> lines(BufferedReader in, String sourceName, String idPrefix) {
    List<Review> out = new ArrayList<>();
    try {
      long line = 0;
      for (String s = in.readLine(); s != null; s = in.readLine()) {
        line++;
        String t = s.strip();
        if (t.isEmpty()) {
          continue;
        }
        String id = idPrefix + "-" + line;
        if (!t.startsWith("{")) {
          out.add(new Review(id, sourceName, null, null, null, t));
          continue;
        }
        JsonNode node;
        try {
          node = MAPPER.readTree(t);
        } catch (JsonProcessingException e) {
          throw new EvalException(
              sourceName + " line " + line + ": not valid JSON (" + e.getOriginalMessage() + ")");
        }
        String text = text(node, "text");
        if (text == null || text.isBlank()) {
          throw new EvalException(
              sourceName + " line " + line + ": no \"text\" (write {\"text\": \"…\"})");
        }
        String given = text(node, "id");
        if (given == null) {
          given = text(node, "review_id");
        }
        Integer label;
        Integer rating;
        try {
          label = UserReviewReader.parseLabel(text(node, "label"));
          rating = UserReviewReader.parseRating(text(node, "rating"));
        } catch (RuntimeException e) {
          throw new EvalException(sourceName + " line " + line + ": " + e.getMessage(), e);
        }
        out.add(
            new Review(
                given == null ? id : given,
                sourceName,
                label,
                rating,
                text(node, "film_id"),
                text));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + sourceName, e);
    }
    return out;
  }

  private static String text(JsonNode node, String key) {
    JsonNode v = node.get(key);
    return v == null || v.isNull() || v.isContainerNode() ? null : v.asText();
  }
}
