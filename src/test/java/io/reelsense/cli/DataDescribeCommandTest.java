package io.reelsense.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.reelsense.data.DataLocation;
import io.reelsense.data.ImdbFixture;
import io.reelsense.data.SampleData;
import io.reelsense.data.TokenCounter;
import io.reelsense.model.encoder.ModelCatalog;
import io.reelsense.model.encoder.WordPieceLengths;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDescribeCommandTest {

  @TempDir Path tmp;

  record Run(int exitCode, String out, String err) {
    String lastLine() {
      String[] lines = out.strip().split("\n");
      return lines[lines.length - 1];
    }
  }

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  private Path dataDir() throws IOException {
    ImdbFixture.standard(5).writeArchive(tmp);
    try (OutputStream out =
        new GZIPOutputStream(Files.newOutputStream(tmp.resolve(DataLocation.FILM_CATALOG)))) {
      out.write(
          ("[{\"title\": \"A\", \"year\": 2001, \"genres\": [\"Drama\"], \"href\": \"A\","
                  + " \"extract\": \"A film.\"}, {\"title\": \"B\", \"year\": 2002}]")
              .getBytes(StandardCharsets.UTF_8));
    }
    return tmp;
  }

  @Test
  void describesATinyDataDirectoryAsJson() throws IOException {
    Run r = run("data", "describe", "--data", dataDir().toString(), "--tokens", "words", "--json");

    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode json = Json.MAPPER.readTree(r.lastLine());
    assertThat(json.get("train").asInt()).isEqualTo(10);
    assertThat(json.get("test").asInt()).isEqualTo(10);
    assertThat(json.get("val_positive").asInt()).isEqualTo(1);
    assertThat(json.get("imdb_films").asInt()).isEqualTo(12);
    assertThat(json.get("films_in_both_splits").asInt()).isZero();
    assertThat(json.get("catalog_films").asInt()).isEqualTo(2);
    assertThat(json.get("catalog_with_description").asInt()).isEqualTo(1);
    assertThat(json.get("mean_clean_chars").asDouble()).isPositive();
    assertThat(json.get("profile").asText()).isEqualTo("full");
    assertThat(json.at("/balance/train/pos").asInt()).isEqualTo(5);
    assertThat(json.at("/ratings/test/7").asInt()).isEqualTo(2);
    assertThat(json.at("/reviews_per_film/max").asInt()).isEqualTo(2);
    assertThat(json.at("/tokens/counter").asText()).isEqualTo("words");
    assertThat(json.at("/tokens/text").asText()).isEqualTo("full");
    assertThat(json.at("/tokens/fit/128").asDouble()).isEqualTo(1.0);
    assertThat(json.has("shown")).isFalse();
    assertThat(r.out()).contains("val_positive 1").contains("film catalog: 2 films");
  }

  @Test
  void showsReviewsRawAndCleanedWithTheChosenProfile() throws IOException {
    Run full = run("data", "describe", "--data", dataDir().toString(), "--show", "2", "--json");
    Run none =
        run("data", "describe", "--data", tmp.toString(), "--profile", "none", "--show", "1");

    JsonNode json = Json.MAPPER.readTree(full.lastLine());
    assertThat(json.get("shown")).hasSize(2);
    assertThat(json.at("/shown/0/id").asText()).isEqualTo("train_neg_0");
    assertThat(json.at("/shown/0/raw").asText()).contains("<br />");
    assertThat(json.at("/shown/0/clean").asText()).doesNotContain("<br").doesNotContain(" of ");
    assertThat(none.exitCode()).isZero();
    assertThat(none.out())
        .contains("cleaning 'none'")
        .contains("clean: A neg review 0 of train.<br");
  }

  @Test
  void aMissingCatalogIsANoteNotAnError() throws IOException {
    ImdbFixture.standard(2).writeFolder(tmp);
    Run r = run("data", "describe", "--data", tmp.toString(), "--json");
    assertThat(r.exitCode()).isZero();
    assertThat(r.err()).contains("no film catalog");
    assertThat(Json.MAPPER.readTree(r.lastLine()).get("catalog_films").isNull()).isTrue();
  }

  @Test
  void aBrokenArchiveIsOneClearLine() throws IOException {
    Files.writeString(tmp.resolve(DataLocation.IMDB_ARCHIVE), "not an archive");
    Run r = run("data", "describe", "--data", tmp.toString(), "--json");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err().strip().lines()).hasSize(1);
    assertThat(r.err())
        .startsWith("error: cannot read " + tmp.resolve(DataLocation.IMDB_ARCHIVE))
        .contains("truncated or corrupt")
        .doesNotContain("REELSENSE_DEBUG");
    assertThat(Json.MAPPER.readTree(r.lastLine()).get("error").asText())
        .contains("truncated or corrupt");
  }

  @Test
  void aWrongDataPathAndABadProfileAreUserErrors() {
    Run missing = run("data", "describe", "--data", tmp.resolve("nope").toString());
    Run profile = run("data", "describe", "--data", tmp.toString(), "--profile", "heavy");

    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).contains("(from --data) does not exist").hasLineCount(1);
    assertThat(profile.exitCode()).isEqualTo(1);
    assertThat(profile.err()).contains("--profile").contains("full, light, none");
  }

  @Test
  void describesTheCommittedSample() throws IOException {
    Run r =
        run(
            "data",
            "describe",
            "--data",
            SampleData.dir().toString(),
            "--profile",
            "light",
            "--json");

    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode json = Json.MAPPER.readTree(r.lastLine());
    assertThat(json.get("train").asInt()).isEqualTo(2000);
    assertThat(json.get("test").asInt()).isEqualTo(1000);
    assertThat(json.at("/split/validation").asInt()).isEqualTo(400);
    assertThat(json.get("val_positive").asInt()).isEqualTo(200);
    assertThat(json.get("catalog_films").asInt()).isEqualTo(1000);
    assertThat(json.get("imdb_films").asInt()).isGreaterThan(100);
    assertThat(json.get("mean_clean_chars").asDouble())
        .isLessThan(json.get("mean_raw_chars").asDouble());
    assertThat(json.get("empty_after_cleaning").asInt()).isZero();
  }

  @Test
  void countsWordPiecesWithClsAndSepOnTheLightCleanedText() throws IOException {
    Path jar = WordPieceLengths.jar(ModelCatalog.localRepository());
    assumeTrue(Files.isRegularFile(jar), "no bge-small jar in the local Maven repository: " + jar);
    TokenCounter counter =
        TokenCounter.of("wordpiece", WordPieceLengths.bertUncased(ModelCatalog.localRepository()));
    assertThat(counter.name()).isEqualTo("wordpiece");
    // [CLS] hello , world ! [SEP]; "unaffable" splits into word pieces
    assertThat(counter.count("Hello, world!")).isEqualTo(6);
    assertThat(counter.count("unaffable")).isGreaterThan(3);
    assertThat(counter.count("")).isEqualTo(2);

    Run r =
        run("data", "describe", "--data", dataDir().toString(), "--tokens", "wordpiece", "--json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode json = Json.MAPPER.readTree(r.lastLine());
    assertThat(json.at("/tokens/counter").asText()).isEqualTo("wordpiece");
    assertThat(json.at("/tokens/text").asText()).isEqualTo("light");
    assertThat(json.at("/tokens/max").asInt()).isGreaterThan(2);
    assertThat(r.out()).contains("tokens (wordpiece, on the 'light'-cleaned text)");
  }

  @Test
  void rejectsAnUnknownTokenCounter() throws IOException {
    Run r = run("data", "describe", "--data", dataDir().toString(), "--tokens", "bytes");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.err()).contains("--tokens").contains("wordpiece, words");
  }
}
