package io.reelsense.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reelsense.data.SampleData;
import io.reelsense.model.bundle.BundleManifest;
import io.reelsense.model.bundle.Bundles;
import java.nio.file.Path;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --ensemble} over two baselines trained on the committed sample, and the errors. */
class TrainEnsembleCommandTest {

  @TempDir Path tmp;

  private TrainCommandTest.Run train(Path out, String... extra) {
    String[] base = {
      "train",
      "--data",
      SampleData.dir().toString(),
      "--out",
      out.toString(),
      "--no-progress",
      "--threads",
      "2",
      "--ngram",
      "1,1",
      "--json"
    };
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    return TrainCommandTest.run(args);
  }

  @Test
  void anEnsembleOfTwoBundlesIsTrainedWrittenAndEvaluated() throws Exception {
    Path lr = tmp.resolve("lr");
    Path nb = tmp.resolve("nb");
    assertThat(train(lr, "--C", "1").exitCode()).isZero();
    assertThat(train(nb, "--model", "tfidf-nb").exitCode()).isZero();
    Path ens = tmp.resolve("ens");
    TrainCommandTest.Run r =
        train(
            ens,
            "--ensemble",
            lr + "," + nb,
            "--combine",
            "average",
            "--weight-step",
            "0.25",
            "--test-limit",
            "400");
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode json = r.json();
    assertThat(json.get("kind").asText()).isEqualTo("ensemble");
    assertThat(json.get("n_test").asInt()).isEqualTo(400);
    assertThat(json.get("test_accuracy").asDouble()).isGreaterThan(0.7);
    assertThat(json.get("val_accuracy").asDouble())
        .isGreaterThanOrEqualTo(json.at("/members/lr/val_accuracy").asDouble())
        .isGreaterThanOrEqualTo(json.at("/members/nb/val_accuracy").asDouble());
    assertThat(r.out()).contains("sentiment weight");

    BundleManifest manifest = Bundles.readManifest(ens);
    assertThat(manifest.members()).hasSize(2);
    TrainCommandTest.Run eval =
        TrainCommandTest.run(
            "evaluate",
            "--model",
            ens.toString(),
            "--split",
            "test",
            "--data",
            SampleData.dir().toString(),
            "--json");
    assertThat(eval.exitCode()).as(eval.err()).isZero();
    assertThat(eval.json().get("accuracy").asDouble()).isGreaterThan(0.7);

    // stacking is the default
    TrainCommandTest.Run stacked =
        train(tmp.resolve("stacked"), "--ensemble", lr + "," + nb, "--test-limit", "400");
    assertThat(stacked.exitCode()).as(stacked.err()).isZero();
    assertThat(stacked.json().get("combination").asText()).isEqualTo("stacking");
    assertThat(stacked.json().get("test_accuracy").asDouble()).isGreaterThan(0.7);
    assertThat(stacked.out()).contains("stacking heads (C sentiment").doesNotContain("weight");
    assertThat(Bundles.readManifest(tmp.resolve("stacked")).files())
        .containsKey(Bundles.SENTIMENT_FILE);

    TrainCommandTest.Run vote =
        train(tmp.resolve("vote"), "--ensemble", lr + "," + nb, "--combine", "vote");
    assertThat(vote.exitCode()).isNotZero();
    assertThat(vote.err()).contains("--combine: unknown combination 'vote' (stacking or average)");

    // six members: too many for the averaging's weight grid, not for stacking
    String six = String.join(",", Collections.nCopies(3, lr + "," + nb));
    TrainCommandTest.Run averaged =
        train(tmp.resolve("six-avg"), "--ensemble", six, "--combine", "average");
    assertThat(averaged.exitCode()).isNotZero();
    assertThat(averaged.err())
        .contains("--combine average weighs at most 5 bundles")
        .contains("got 6");
    TrainCommandTest.Run stackedSix =
        train(tmp.resolve("six"), "--ensemble", six, "--test-limit", "200");
    assertThat(stackedSix.exitCode()).as(stackedSix.err()).isZero();
    assertThat(stackedSix.json().get("test_accuracy").asDouble()).isGreaterThan(0.7);
  }

  @Test
  void wrongCombinationsAreOneLineErrors() {
    TrainCommandTest.Run frozenBaseline = train(tmp.resolve("x"), "--frozen");
    assertThat(frozenBaseline.exitCode()).isNotZero();
    assertThat(frozenBaseline.err()).contains("--frozen applies to encoders");

    // without --frozen an encoder is fine-tuned, which has no ablation
    TrainCommandTest.Run notFrozen = train(tmp.resolve("y"), "--model", "minilm-l6", "--ablation");
    assertThat(notFrozen.exitCode()).isNotZero();
    assertThat(notFrozen.err())
        .contains("--ablation applies to the TF-IDF models and to --frozen encoders")
        .contains("add --frozen");

    // with --frozen the ablation runs: here it stops at the missing model, not at --ablation
    TrainCommandTest.Run frozenAblation =
        train(
            tmp.resolve("w"),
            "--model",
            "minilm-l6",
            "--frozen",
            "--ablation",
            "--repo",
            tmp.resolve("empty-repo").toString());
    assertThat(frozenAblation.exitCode()).isNotZero();
    assertThat(frozenAblation.err())
        .contains("model minilm-l6 is not in the local Maven repository")
        .doesNotContain("--ablation");

    TrainCommandTest.Run one = train(tmp.resolve("z"), "--ensemble", tmp.resolve("x").toString());
    assertThat(one.exitCode()).isNotZero();
    assertThat(one.err()).contains("at least two bundles");
  }
}
