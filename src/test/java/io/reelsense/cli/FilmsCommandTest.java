package io.reelsense.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reelsense.data.SampleData;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code films} subcommands on the committed sample's 1,000 films (TF-IDF: no model jars). */
class FilmsCommandTest {

  @TempDir Path tmp;

  record Run(int exitCode, String out, String err) {
    JsonNode json() throws IOException {
      String[] lines = out.strip().split("\n");
      return Json.MAPPER.readTree(lines[lines.length - 1]);
    }
  }

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  private static String sample() {
    return SampleData.dir().toString();
  }

  @Test
  void similarByTitleWithYearLeavesTheFilmItselfOut() throws IOException {
    Run r =
        run(
            "films",
            "similar",
            "beauty and the beast",
            "--year",
            "1991",
            "--model",
            "tfidf",
            "--k",
            "5",
            "--data",
            sample(),
            "--json");

    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode json = r.json();
    assertThat(json.at("/query/title").asText()).isEqualTo("Beauty and the Beast");
    assertThat(json.at("/query/year").asInt()).isEqualTo(1991);
    assertThat(json.get("neighbours")).hasSize(5);
    for (JsonNode n : json.get("neighbours")) {
      assertThat(n.get("id").asText()).isNotEqualTo(json.at("/query/id").asText());
    }
    assertThat(r.out())
        .contains("Films closest to Beauty and the Beast (1991) (tfidf)")
        .contains("  1. ");
  }

  @Test
  void ambiguousAndUnknownTitlesListCandidates() {
    Run ambiguous =
        run("films", "similar", "Beauty and the Beast", "--model", "tfidf", "--data", sample());
    Run unknown = run("films", "similar", "San Quentinn", "--model", "tfidf", "--data", sample());

    assertThat(ambiguous.exitCode()).isNotZero();
    assertThat(ambiguous.err())
        .contains("Beauty and the Beast (1987)")
        .contains("Beauty and the Beast (1991)")
        .contains("--year");
    assertThat(unknown.exitCode()).isNotZero();
    assertThat(unknown.err())
        .contains("no film titled 'San Quentinn'")
        .contains("San Quentin (1937)");
  }

  @Test
  void similarByTextFindsAFilmWithThoseWords() throws IOException {
    Run r =
        run(
            "films",
            "similar",
            "--text",
            "a prison drama at San Quentin",
            "--model",
            "tfidf",
            "--k",
            "3",
            "--data",
            sample(),
            "--json");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.json().get("neighbours").toString()).contains("San Quentin");
  }

  @Test
  void titleAndTextTogetherIsAUserError() {
    Run r = run("films", "similar", "Alien", "--text", "x", "--model", "tfidf", "--data", sample());
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.err()).contains("either a TITLE or --text");
  }

  @Test
  void evalMeasuresTfidfAboveRandomOnTheSample() throws IOException {
    Run r =
        run(
            "films",
            "eval",
            "--models",
            "tfidf,random",
            "--queries",
            "300",
            "--data",
            sample(),
            "--index-dir",
            tmp.toString(),
            "--json");

    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode json = r.json();
    assertThat(json.get("queries").asInt()).isEqualTo(300);
    assertThat(json.get("k").asInt()).isEqualTo(10);
    double tfidf = json.at("/precision_at_10/tfidf").asDouble();
    double random = json.at("/precision_at_10/random").asDouble();
    assertThat(random).isBetween(0.05, 0.6);
    assertThat(tfidf).isGreaterThan(random + 0.05);
  }

  @Test
  void evalRejectsAnUnknownModel() {
    Run r = run("films", "eval", "--models", "tfidf,gpt", "--data", sample());
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.err()).contains("unknown model 'gpt'").contains("bge-small");
  }
}
