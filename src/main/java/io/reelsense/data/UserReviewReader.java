package io.reelsense.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads reviews that users bring, in UTF-8:
 *
 * <ul>
 *   <li>{@code .jsonl}: one JSON object a line, e.g. {@code {"text": "…", "label": "pos"}};
 *   <li>{@code .csv} / {@code .tsv}: a header row, then one review a record (RFC 4180 quoting);
 *   <li>{@code .txt}: no header; each line {@code text<TAB>label}, or just {@code text}
 *       (unlabeled). The label is what follows the line's last tab.
 * </ul>
 *
 * <p>Columns (JSON keys), matched without regard to case: {@code text} (required), and optional
 * {@code label} ({@code 0}/{@code 1}, {@code neg}/{@code pos}, {@code negative}/{@code positive}),
 * {@code rating} (1-10), {@code film_id} and {@code id}; other columns are ignored. Empty values
 * count as absent. A review's id defaults to {@code <file-name>:<line>} (the line its record starts
 * on), its split is the file's name. Blank lines are skipped.
 *
 * <p>Every problem is a {@link DataFormatException} naming the file, the line and what is wrong
 * (unknown extension, no {@code text} column, an empty text, a bad label or rating, malformed JSON,
 * a repeated id).
 */
public final class UserReviewReader {

  /** The file formats, told apart by extension. */
  public enum Format {
    JSONL(".jsonl"),
    CSV(".csv"),
    TSV(".tsv"),
    /** {@code text<TAB>label} lines without a header. */
    TEXT(".txt");

    private final String extension;

    Format(String extension) {
      this.extension = extension;
    }

    /** The file-name extension, with its dot. */
    public String extension() {
      return extension;
    }

    /** The format of a file by its extension (any case). */
    public static Format of(Path file) {
      String name = fileName(file).toLowerCase(Locale.ROOT);
      for (Format f : values()) {
        if (name.endsWith(f.extension)) {
          return f;
        }
      }
      throw new DataFormatException(
          "cannot tell the format of "
              + file
              + ": name it .jsonl (one JSON object a line), .csv or .tsv (header row with a text"
              + " column) or .txt (text<TAB>label lines)");
    }
  }

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String LABEL_HELP = "expected 0/1, neg/pos or negative/positive";

  private UserReviewReader() {}

  /** Reads a file, its format told by its extension. */
  public static List<Review> read(Path file) {
    return read(file, Format.of(file));
  }

  /** Reads a file in the given format. */
  public static List<Review> read(Path file, Format format) {
    if (!Files.isRegularFile(file)) {
      throw new DataFormatException(
          Files.exists(file) ? file + " is not a file" : "no such file: " + file);
    }
    Rows rows = new Rows(file);
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      switch (format) {
        case JSONL -> readJsonl(in, rows);
        case CSV -> readDelimited(in, rows, CSVFormat.RFC4180);
        case TSV -> readDelimited(in, rows, CSVFormat.TDF);
        case TEXT -> readText(in, rows);
      }
    } catch (NoSuchFileException e) {
      throw new DataFormatException("no such file: " + file, e);
    } catch (CharacterCodingException e) {
      throw new DataFormatException(file + " is not UTF-8 text", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return rows.reviews;
  }

  private static void readJsonl(BufferedReader in, Rows rows) throws IOException {
    long line = 0;
    for (String s = in.readLine(); s != null; s = in.readLine()) {
      line++;
      if (line == 1) {
        s = stripBom(s);
      }
      if (s.isBlank()) {
        continue;
      }
      JsonNode node;
      try {
        node = MAPPER.readTree(s);
      } catch (JsonProcessingException e) {
        throw rows.error(line, "not valid JSON (" + e.getOriginalMessage() + ")");
      }
      if (node == null || !node.isObject()) {
        throw rows.error(line, "expected a JSON object like {\"text\": \"…\", \"label\": 1}");
      }
      Map<String, String> fields = new HashMap<>();
      Iterator<Map.Entry<String, JsonNode>> it = node.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode v = e.getValue();
        if (v.isContainerNode()) {
          continue;
        }
        fields.putIfAbsent(e.getKey().toLowerCase(Locale.ROOT), v.isNull() ? null : v.asText());
      }
      if (!fields.containsKey("text")) {
        throw rows.error(line, "no \"text\" key");
      }
      rows.add(line, fields);
    }
  }

  private static void readDelimited(BufferedReader in, Rows rows, CSVFormat base)
      throws IOException {
    Reader r = skipBom(in);
    CSVFormat format =
        base.builder()
            .setHeader()
            .setSkipHeaderRecord(true)
            .setIgnoreEmptyLines(true)
            .setAllowMissingColumnNames(true)
            .build();
    CSVParser parser;
    try {
      parser = CSVParser.parse(r, format);
    } catch (IllegalArgumentException | IOException e) {
      throw rows.error(1, "bad header row (" + e.getMessage() + ")");
    }
    try (parser) {
      List<String> header = parser.getHeaderNames();
      Map<String, Integer> columns = new HashMap<>();
      for (int i = 0; i < header.size(); i++) {
        if (header.get(i) != null) {
          columns.putIfAbsent(header.get(i).strip().toLowerCase(Locale.ROOT), i);
        }
      }
      if (!columns.containsKey("text")) {
        throw rows.error(
            1,
            "no 'text' column in the header row "
                + header
                + " (columns: text, label, …); for text<TAB>label lines without a header row,"
                + " name the file .txt");
      }
      Iterator<CSVRecord> records = parser.iterator();
      while (true) {
        long start = parser.getCurrentLineNumber() + 1;
        CSVRecord record;
        try {
          if (!records.hasNext()) {
            break;
          }
          record = records.next();
        } catch (UncheckedIOException | IllegalStateException e) {
          throw rows.error(start, "malformed record (" + e.getMessage() + ")");
        }
        Map<String, String> fields = new HashMap<>();
        for (Map.Entry<String, Integer> c : columns.entrySet()) {
          int i = c.getValue();
          if (i < record.size()) {
            fields.put(c.getKey(), record.get(i));
          }
        }
        if (record.size() != header.size()) {
          throw rows.error(
              start, record.size() + " fields where the header row has " + header.size());
        }
        rows.add(start, fields);
      }
    }
  }

  private static void readText(BufferedReader in, Rows rows) throws IOException {
    long line = 0;
    for (String s = in.readLine(); s != null; s = in.readLine()) {
      line++;
      if (line == 1) {
        s = stripBom(s);
      }
      if (s.isBlank()) {
        continue;
      }
      Map<String, String> fields = new HashMap<>();
      int tab = s.lastIndexOf('\t');
      if (tab < 0) {
        fields.put("text", s);
      } else {
        fields.put("text", s.substring(0, tab));
        String label = s.substring(tab + 1).strip();
        if (label.isEmpty()) {
          throw rows.error(line, "empty label after the tab (" + LABEL_HELP + ")");
        }
        fields.put("label", label);
      }
      rows.add(line, fields);
    }
  }

  /** Parses a label: 0/1, neg/pos, negative/positive (any case); null or blank is unknown. */
  public static Integer parseLabel(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "0", "neg", "negative" -> 0;
      case "1", "pos", "positive" -> 1;
      default ->
          throw new IllegalArgumentException(
              "bad label '" + value.strip() + "' (" + LABEL_HELP + ")");
    };
  }

  /** Parses a rating 1-10; null or blank is unknown. */
  public static Integer parseRating(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.strip();
    int rating;
    try {
      rating = Integer.parseInt(v.endsWith(".0") ? v.substring(0, v.length() - 2) : v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad rating '" + v + "' (expected a whole number 1-10)");
    }
    if (rating < 1 || rating > 10) {
      throw new IllegalArgumentException("rating " + rating + " is outside 1-10");
    }
    return rating;
  }

  private static String fileName(Path file) {
    Path name = file.getFileName();
    return name == null ? file.toString() : name.toString();
  }

  private static String stripBom(String s) {
    return s.startsWith("\uFEFF") ? s.substring(1) : s;
  }

  private static Reader skipBom(BufferedReader in) throws IOException {
    in.mark(1);
    if (in.read() != '\uFEFF') {
      in.reset();
    }
    return in;
  }

  /** Collects reviews and makes the errors of one file. */
  private static final class Rows {
    final Path file;
    final String name;
    final List<Review> reviews = new ArrayList<>();
    final Map<String, Long> idLines = new HashMap<>();

    Rows(Path file) {
      this.file = file;
      this.name = fileName(file);
    }

    DataFormatException error(long line, String problem) {
      return new DataFormatException(file + " line " + line + ": " + problem);
    }

    void add(long line, Map<String, String> fields) {
      String text = fields.get("text");
      if (text == null || text.isBlank()) {
        throw error(line, "the text is empty");
      }
      Integer label;
      Integer rating;
      try {
        label = parseLabel(fields.get("label"));
        rating = parseRating(fields.get("rating"));
      } catch (IllegalArgumentException e) {
        throw error(line, e.getMessage());
      }
      String id = blankToNull(fields.get("id"));
      if (id == null) {
        id = name + ":" + line;
      }
      Long before = idLines.putIfAbsent(id, line);
      if (before != null) {
        throw error(line, "id '" + id + "' was already used on line " + before);
      }
      reviews.add(new Review(id, name, label, rating, blankToNull(fields.get("film_id")), text));
    }

    private static String blankToNull(String s) {
      return s == null || s.isBlank() ? null : s.strip();
    }
  }
}
