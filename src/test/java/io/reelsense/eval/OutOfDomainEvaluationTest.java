package io.reelsense.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.reelsense.data.OutOfDomainSets;
import io.reelsense.data.Review;
import io.reelsense.model.ReviewClassifier;
import io.reelsense.model.ReviewPrediction;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class OutOfDomainEvaluationTest {

  /** Says positive when the text holds "good"; counts its calls. */
  static final class KeywordClassifier implements ReviewClassifier {
    final List<Integer> batchSizes = new ArrayList<>();

    @Override
    public String modelId() {
      return "keyword@1";
    }

    @Override
    public List<ReviewPrediction> classify(List<String> texts) {
      batchSizes.add(texts.size());
      return texts.stream()
          .map(t -> t.contains("good") ? 1 : 0)
          .map(l -> new ReviewPrediction(l, l, 0, 0))
          .toList();
    }

    @Override
    public void close() {}
  }

  static OutOfDomainSets.LabeledSet set(int index, int n, int wrongEvery) {
    OutOfDomainSets.SetInfo info = OutOfDomainSets.SETS.get(index);
    List<Review> reviews =
        IntStream.range(0, n)
            .mapToObj(
                i -> {
                  int label = i % 2;
                  boolean right = wrongEvery == 0 || i % wrongEvery != 0;
                  String text = (label == 1) == right ? "good" : "bad";
                  return new Review(info.name() + "_" + i, info.name(), label, null, null, text);
                })
            .toList();
    return new OutOfDomainSets.LabeledSet(info, reviews);
  }

  @Test
  void scoresEverySetInBatchesAndAveragesOnlyTheReportedOnes() {
    KeywordClassifier model = new KeywordClassifier();
    // amazon: every 4th wrong (0.75); imdb-sentences: all right; yelp (tuning): every 2nd wrong
    List<OutOfDomainSets.LabeledSet> sets = List.of(set(0, 200, 4), set(1, 10, 0), set(2, 10, 2));

    OutOfDomainEvaluation.Result result = OutOfDomainEvaluation.evaluate(model, sets);

    assertThat(result.model()).isEqualTo("keyword@1");
    assertThat(result.sets())
        .extracting(OutOfDomainEvaluation.SetScore::set)
        .containsExactly("amazon", "imdb-sentences", "yelp");
    assertThat(result.sets().get(0).accuracy()).isEqualTo(0.75);
    assertThat(result.sets().get(0).n()).isEqualTo(200);
    assertThat(result.sets().get(1).accuracy()).isEqualTo(1.0);
    assertThat(result.sets().get(2).accuracy()).isEqualTo(0.5);
    assertThat(result.sets().get(2).role()).isEqualTo(OutOfDomainSets.Role.TUNING);
    assertThat(result.reportedMeanAccuracy()).isCloseTo(0.875, within(1e-12));
    // 200 texts in batches of 64, then one batch per small set
    assertThat(model.batchSizes).containsExactly(64, 64, 64, 8, 10, 10);
  }
}
