package io.reelsense.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserReviewReaderTest {

  @TempDir Path dir;

  private Path write(String name, String content) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, content, StandardCharsets.UTF_8);
    return p;
  }

  @Test
  void readsJsonlWithAllColumns() throws IOException {
    Path f =
        write(
            "mine.jsonl",
            "{\"text\": \"Loved it\", \"label\": \"pos\", \"rating\": 9, \"film_id\": \"tt0111161\","
                + " \"id\": \"r1\"}\n"
                + "\n"
                + "{\"TEXT\": \"Dull.\", \"label\": 0, \"extra\": [1, 2]}\n"
                + "{\"text\": \"No label\", \"label\": null, \"rating\": \"4\"}\n");
    assertThat(UserReviewReader.read(f))
        .containsExactly(
            new Review("r1", "mine.jsonl", 1, 9, "tt0111161", "Loved it"),
            new Review("mine.jsonl:3", "mine.jsonl", 0, null, null, "Dull."),
            new Review("mine.jsonl:4", "mine.jsonl", null, 4, null, "No label"));
  }

  @Test
  void readsCsvWithQuotedMultiLineTextAndIdsFromStartLines() throws IOException {
    Path f =
        write(
            "r.csv",
            "\uFEFFid,Text,label,rating\n"
                + ",\"Good, very \"\"good\"\"\nsecond line\",positive,8\n"
                + "x7,Bad,NEGATIVE,\n");
    List<Review> reviews = UserReviewReader.read(f);
    assertThat(reviews)
        .containsExactly(
            new Review("r.csv:2", "r.csv", 1, 8, null, "Good, very \"good\"\nsecond line"),
            new Review("x7", "r.csv", 0, null, null, "Bad"));
  }

  @Test
  void readsTsvWithOnlyText() throws IOException {
    Path f = write("u.tsv", "film_id\ttext\ntt1\tfine\ntt2\tok then\n");
    assertThat(UserReviewReader.read(f))
        .extracting(Review::id, Review::filmId, Review::text, Review::label)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("u.tsv:2", "tt1", "fine", null),
            org.assertj.core.groups.Tuple.tuple("u.tsv:3", "tt2", "ok then", null));
  }

  @Test
  void readsTextLabelLines() throws IOException {
    Path f = write("plain.txt", "great\tfilm\t1\nawful\tneg\n\njust text\n");
    assertThat(UserReviewReader.read(f))
        .containsExactly(
            new Review("plain.txt:1", "plain.txt", 1, null, null, "great\tfilm"),
            new Review("plain.txt:2", "plain.txt", 0, null, null, "awful"),
            new Review("plain.txt:4", "plain.txt", null, null, null, "just text"));
  }

  @Test
  void unknownExtensionSaysWhichAreKnown() throws IOException {
    Path f = write("x.xlsx", "text\nhi\n");
    assertThatThrownBy(() -> UserReviewReader.read(f))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("x.xlsx")
        .hasMessageContaining(".jsonl")
        .hasMessageContaining(".tsv");
  }

  @Test
  void missingFileIsNamed() {
    Path f = dir.resolve("gone.csv");
    assertThatThrownBy(() -> UserReviewReader.read(f))
        .isInstanceOf(DataFormatException.class)
        .hasMessage("no such file: " + f);
  }

  @Test
  void missingTextColumnNamesTheHeader() throws IOException {
    Path f = write("h.csv", "review,label\nhi,1\n");
    assertThatThrownBy(() -> UserReviewReader.read(f))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining(f + " line 1: no 'text' column")
        .hasMessageContaining("review")
        .hasMessageContaining("name the file .txt");
  }

  @Test
  void badLabelNamesLineAndValue() throws IOException {
    Path f = write("b.csv", "text,label\nok,1\nhmm,maybe\n");
    assertThatThrownBy(() -> UserReviewReader.read(f))
        .isInstanceOf(DataFormatException.class)
        .hasMessage(f + " line 3: bad label 'maybe' (expected 0/1, neg/pos or negative/positive)");
  }

  @Test
  void badRatingIsReported() throws IOException {
    Path f = write("r.jsonl", "{\"text\": \"a\", \"rating\": 11}\n");
    assertThatThrownBy(() -> UserReviewReader.read(f))
        .hasMessage(f + " line 1: rating 11 is outside 1-10");
    Path g = write("s.jsonl", "{\"text\": \"a\", \"rating\": \"ten\"}\n");
    assertThatThrownBy(() -> UserReviewReader.read(g)).hasMessageContaining("bad rating 'ten'");
  }

  @Test
  void malformedJsonAndMissingTextAreReported() throws IOException {
    Path f = write("m.jsonl", "{\"text\": \"a\"}\n{\"text\": \n");
    assertThatThrownBy(() -> UserReviewReader.read(f))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining(f + " line 2: not valid JSON");
    Path g = write("n.jsonl", "{\"body\": \"a\"}\n");
    assertThatThrownBy(() -> UserReviewReader.read(g)).hasMessage(g + " line 1: no \"text\" key");
    Path h = write("o.jsonl", "[1, 2]\n");
    assertThatThrownBy(() -> UserReviewReader.read(h))
        .hasMessageContaining("expected a JSON object");
  }

  @Test
  void emptyTextWrongFieldCountAndRepeatedIdsAreReported() throws IOException {
    Path f = write("e.tsv", "text\tlabel\n\t1\n");
    assertThatThrownBy(() -> UserReviewReader.read(f)).hasMessage(f + " line 2: the text is empty");
    Path g = write("c.csv", "text,label\nfine,1,extra\n");
    assertThatThrownBy(() -> UserReviewReader.read(g))
        .hasMessage(g + " line 2: 3 fields where the header row has 2");
    Path h = write("d.jsonl", "{\"id\": 5, \"text\": \"a\"}\n{\"id\": \"5\", \"text\": \"b\"}\n");
    assertThatThrownBy(() -> UserReviewReader.read(h))
        .hasMessage(h + " line 2: id '5' was already used on line 1");
    Path t = write("t.txt", "text\t\n");
    assertThatThrownBy(() -> UserReviewReader.read(t)).hasMessageContaining("line 1: empty label");
  }

  @Test
  void formatIsToldByExtension() {
    assertThat(UserReviewReader.Format.of(Path.of("a/B.JSONL")))
        .isEqualTo(UserReviewReader.Format.JSONL);
    assertThat(UserReviewReader.Format.of(Path.of("x.txt")))
        .isEqualTo(UserReviewReader.Format.TEXT);
  }
}
