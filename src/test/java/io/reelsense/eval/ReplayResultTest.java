package io.reelsense.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelsense.model.ReviewPrediction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replay's accounting and scoring, without Kafka. */
class ReplayResultTest {

  private static final long T0 = 1_700_000_000_000L;

  private static ReplayLedger ledger() {
    return new ReplayLedger(
        List.of(
            new ReplayLedger.Expected("a", 1, 9, "tt1", "great"),
            new ReplayLedger.Expected("b", 0, 2, "tt1", "awful"),
            new ReplayLedger.Expected("c", 1, 8, "tt2", "nice"),
            new ReplayLedger.Expected("d", 0, 1, null, "bad"),
            new ReplayLedger.Expected("e", 1, 10, null, "")));
  }

  private static ReplayLedger.Scored scored(String id, int label, double p, int stars, long at) {
    return new ReplayLedger.Scored(id, label, p, stars, 0.5, "m@1", T0, at - 20, at, 2, 4.0);
  }

  @Test
  void accountsForEveryReviewAndListsMissingOnesInSendingOrder() {
    ReplayLedger l = ledger();
    for (String id : List.of("a", "b", "c", "d", "e")) {
      l.produced(id, T0);
    }
    assertThat(l.missing(10)).containsExactly("a", "b", "c", "d", "e");
    assertThat(l.scored(scored("c", 1, 0.9, 8, T0 + 100))).isEqualTo(ReplayLedger.Outcome.NEW);
    assertThat(
            l.deadLettered(new ReplayLedger.DeadLettered("e", "validate", "empty text", T0 + 50)))
        .isEqualTo(ReplayLedger.Outcome.NEW);
    assertThat(l.scored(scored("c", 0, 0.1, 1, T0 + 200)))
        .isEqualTo(ReplayLedger.Outcome.DUPLICATE);
    assertThat(l.scored(scored("zzz", 0, 0.1, 1, T0 + 200)))
        .isEqualTo(ReplayLedger.Outcome.FOREIGN);
    assertThat(l.accounted()).isEqualTo(2);
    assertThat(l.complete()).isFalse();
    assertThat(l.missing(2)).containsExactly("a", "b");
    assertThat(l.missingCount()).isEqualTo(3);

    ReplayResult r = ReplayResult.of(l, null);
    assertThat(r.complete()).isFalse();
    assertThat(r.missingIds()).containsExactly("a", "b", "d");
    assertThat(r.duplicates()).isEqualTo(1);
    assertThat(r.foreign()).isEqualTo(1);
    assertThat(r.scored()).isEqualTo(1);
    assertThat(r.dlq()).isEqualTo(1);
    assertThat(r.dlqByStage()).containsEntry("validate", 1);
    assertThat(r.dlqByReason()).containsEntry("empty text", 1);
    assertThat(r.scored()).as("the duplicate did not replace the first score").isEqualTo(1);
    assertThat(r.confusion().count(1, 1)).isEqualTo(1);
  }

  @Test
  void duplicateIdsInTheReplayAreRejected() {
    assertThatThrownBy(
            () ->
                new ReplayLedger(
                    List.of(
                        new ReplayLedger.Expected("x", 1, null, null, "t"),
                        new ReplayLedger.Expected("x", 0, null, null, "u"))))
        .hasMessageContaining("x occurs twice");
  }

  @Test
  void scoresQualityLatencyThroughputAndConsistency() {
    ReplayLedger l = ledger();
    l.produced("a", T0);
    l.produced("b", T0 + 10);
    l.produced("c", T0 + 20);
    l.produced("d", T0 + 30);
    l.produced("e", T0 + 40);
    l.scored(scored("a", 1, 0.9, 9, T0 + 100)); // right, stars exact
    l.scored(scored("b", 1, 0.6, 7, T0 + 210)); // wrong (FP), stars off by 5
    l.scored(scored("c", 1, 0.8, 10, T0 + 420)); // right, stars off by 2
    l.scored(scored("d", 0, 0.2, 1, T0 + 1930)); // right, exact
    l.deadLettered(new ReplayLedger.DeadLettered("e", "validate", "empty text", T0 + 1990));

    Map<String, ReviewPrediction> offline =
        Map.of(
            "a", new ReviewPrediction(1, 0.9, 9, 0.5),
            "b", new ReviewPrediction(0, 0.4, 7, 0.5), // label differs
            "c", new ReviewPrediction(1, 0.8 + 1e-9, 10, 0.5), // within tolerance
            "d", new ReviewPrediction(0, 0.2, 1, 0.5));
    ReplayResult r = ReplayResult.of(l, offline);

    assertThat(r.complete()).isTrue();
    assertThat(r.labeled()).isEqualTo(4);
    assertThat(r.accuracy()).isEqualTo(0.75);
    // positives: TP=2 (a, c), FP=1 (b), FN=0 -> precision 2/3, recall 1, F1 0.8
    assertThat(r.f1()).isCloseTo(0.8, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(r.confusion().counts()).isDeepEqualTo(new long[][] {{1, 1}, {0, 2}});
    assertThat(r.rated()).isEqualTo(4);
    assertThat(r.ratingAccuracy()).isEqualTo(0.5);
    assertThat(r.ratingMae()).isEqualTo((0 + 5 + 2 + 0) / 4.0);
    // end to end: 100, 200, 400, 1900 ms
    assertThat(r.endToEnd().p50()).isEqualTo(200);
    assertThat(r.endToEnd().p99()).isEqualTo(1900);
    assertThat(r.toScored().p50()).isEqualTo(180);
    assertThat(r.elapsedSeconds()).isEqualTo(1.99);
    assertThat(r.reviewsPerSecond()).isCloseTo(5 / 1.99, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(r.timeline().produced()).containsExactly(5, 0);
    assertThat(r.timeline().accounted()).containsExactly(3, 2);
    assertThat(r.compared()).isEqualTo(4);
    assertThat(r.mismatches()).isEqualTo(1);
    assertThat(r.mismatchIds()).containsExactly("b");
    assertThat(r.modelIds()).containsExactly("m@1");

    Map<String, Object> json = r.toJson();
    assertThat(List.copyOf(json.keySet()).subList(0, 6))
        .containsExactly("n", "scored", "dlq", "accuracy", "p99_ms", "reviews_per_s");
    assertThat(json).containsEntry("n", 5).containsEntry("dlq", 1).containsEntry("mismatches", 1);
    assertThat(ReplayReport.consistency(r)).startsWith("1 of 4 streamed predictions differ");
  }

  @Test
  void withoutRatingHeadOrBundleTheRatingAndConsistencyAreAbsent() {
    ReplayLedger l = ledger();
    l.produced("a", T0);
    l.scored(scored("a", 1, 0.9, 0, T0 + 5));
    ReplayResult r = ReplayResult.of(l, null);
    assertThat(r.ratingAccuracy()).isNull();
    assertThat(r.ratingMae()).isNull();
    assertThat(r.mismatches()).isNull();
    assertThat(ReplayReport.consistency(r)).startsWith("not checked");
  }

  @Test
  void writesJsonHtmlAndPlots(@TempDir Path dir) throws Exception {
    ReplayLedger l = ledger();
    long at = T0;
    for (ReplayLedger.Expected e : List.copyOf(l.expected())) {
      l.produced(e.id(), at);
      at += 300;
    }
    l.scored(scored("a", 1, 0.9, 9, T0 + 100));
    l.scored(scored("b", 0, 0.2, 2, T0 + 500));
    l.deadLettered(new ReplayLedger.DeadLettered("e", "validate", "empty <text>", T0 + 1300));
    ReplayResult r = ReplayResult.of(l, null);

    Path html = ReplayReport.write(dir.resolve("report"), r, Map.of("model", "m@1"));

    assertThat(html).hasFileName(ReplayReport.HTML);
    String page = Files.readString(html);
    assertThat(page)
        .contains("Incomplete", "c, d", "empty &lt;text&gt;", "m@1", ReplayReport.LATENCY_PNG);
    for (String png :
        List.of(
            ReplayReport.LATENCY_PNG, ReplayReport.THROUGHPUT_PNG, ReplayReport.CONFUSION_PNG)) {
      byte[] bytes = Files.readAllBytes(dir.resolve("report").resolve(png));
      assertThat(bytes).as(png).startsWith(0x89, 'P', 'N', 'G');
    }
    JsonNode json =
        new ObjectMapper().readTree(dir.resolve("report/" + ReplayReport.JSON).toFile());
    assertThat(json.get("n").asInt()).isEqualTo(5);
    assertThat(json.get("missing").asInt()).isEqualTo(2);
    assertThat(json.get("missing_ids").toString()).isEqualTo("[\"c\",\"d\"]");
    assertThat(json.get("timeline").get("produced_per_s").size()).isEqualTo(2);
    assertThat(json.get("context").get("model").asText()).isEqualTo("m@1");
  }
}
