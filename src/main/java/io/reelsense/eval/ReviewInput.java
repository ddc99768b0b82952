package io.reelsense.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelsense.data.Review;
import io.reelsense.data.UserReviewReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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

  /**
   * The reviews of {@code reelsense produce}: the {@code texts} given (ids {@code <idPrefix>-<n>}),
   * else the reviews of {@code input} (a user file in a known format, else one review a line), else
   * one review a line from standard input.
   *
   * @throws EvalException when a text is blank, {@code input} is not a file, or a line is malformed
   */
  public static List<Review> read(List<String> texts, Path input, String idPrefix) {
    if (!texts.isEmpty()) {
      List<Review> out = new ArrayList<>();
      for (int i = 0; i < texts.size(); i++) {
        String t = texts.get(i);
        if (t.isBlank()) {
          throw new EvalException("review text " + (i + 1) + " is empty");
        }
        out.add(new Review(idPrefix + "-" + (i + 1), "cli", null, null, null, t));
      }
      return out;
    }
    try {
      if (input != null) {
        if (!Files.isRegularFile(input)) {
          throw new EvalException("--input " + input + ": no such file");
        }
        if (knownFormat(input)) {
          return UserReviewReader.read(input);
        }
        try (BufferedReader in = Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
          return lines(in, input.toString(), idPrefix);
        }
      }
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      return lines(in, "stdin", idPrefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

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
