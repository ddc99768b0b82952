package io.reelsense.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchScorerTest {

  /** Labels each text with its length; records the batches it saw. */
  private static final class Lengths implements ReviewClassifier {
    final List<List<String>> batches = new ArrayList<>();

    @Override
    public String modelId() {
      return "lengths";
    }

    @Override
    public List<ReviewPrediction> classify(List<String> texts) {
      batches.add(texts);
      return texts.stream().map(t -> new ReviewPrediction(t.length(), 0.5, 0, 0)).toList();
    }

    @Override
    public void close() {}
  }

  @Test
  void batchesByLengthAndGivesResultsBackInInputOrder() {
    Lengths model = new Lengths();
    List<Integer> steps = new ArrayList<>();
    List<String> texts = List.of("ccc", "a", "bb", "dddd", "");
    List<ReviewPrediction> out =
        BatchScorer.classify(model, texts, 2, BatchScorer.Order.BY_LENGTH, steps::add);
    assertThat(out).extracting(ReviewPrediction::label).containsExactly(3, 1, 2, 4, 0);
    assertThat(model.batches)
        .containsExactly(List.of("", "a"), List.of("bb", "ccc"), List.of("dddd"));
    assertThat(steps).containsExactly(2, 2, 1);
  }

  @Test
  void inputOrderKeepsConsecutiveTextsTogether() {
    Lengths model = new Lengths();
    List<String> texts = List.of("ccc", "a", "bb");
    BatchScorer.classify(model, texts, 2, BatchScorer.Order.INPUT, n -> {});
    assertThat(model.batches).containsExactly(List.of("ccc", "a"), List.of("bb"));
  }

  @Test
  void aBatchOfTheWrongSizeOrABatchSizeBelowOneIsAnError() {
    assertThatThrownBy(
            () ->
                BatchScorer.run(
                    new int[] {1, 2}, 2, BatchScorer.Order.INPUT, b -> List.of(1), "m", n -> {}))
        .hasMessageContaining("m returned 1 predictions for 2 texts");
    assertThatThrownBy(() -> BatchScorer.batches(new int[] {1}, 0, BatchScorer.Order.INPUT))
        .hasMessageContaining("batch size must be at least 1, got 0");
  }
}
