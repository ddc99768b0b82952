package io.reelsense.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StratifiedSplitTest {

  static List<Review> reviews(int negatives, int positives) {
    List<Review> out = new ArrayList<>();
    for (int i = 0; i < negatives; i++) {
      out.add(new Review("train_neg_" + i, "train", 0, 2, "tt1", "bad " + i));
    }
    for (int i = 0; i < positives; i++) {
      out.add(new Review("train_pos_" + i, "train", 1, 9, "tt2", "good " + i));
    }
    return out;
  }

  @Test
  void holdsOutTwentyPercentOfEachLabel() {
    StratifiedSplit split = StratifiedSplit.of(reviews(500, 300));

    assertThat(split.validation()).hasSize(160);
    assertThat(split.train()).hasSize(640);
    assertThat(split.validationCount(1)).isEqualTo(60);
    assertThat(split.validationCount(0)).isEqualTo(100);
    Set<String> all = new HashSet<>(split.validationIds());
    split.train().forEach(r -> assertThat(all.add(r.id())).isTrue());
    assertThat(all).hasSize(800);
  }

  @Test
  void isDeterministicForASeedAndDiffersAcrossSeeds() {
    List<Review> data = reviews(100, 100);
    StratifiedSplit a = StratifiedSplit.of(data);
    StratifiedSplit b = StratifiedSplit.of(new ArrayList<>(data));
    StratifiedSplit c = StratifiedSplit.of(data, 0.2, 7);

    assertThat(a).isEqualTo(b);
    assertThat(a.validationIds()).isNotEqualTo(c.validationIds());
    assertThat(c.validationCount(1)).isEqualTo(20);
  }

  @Test
  void shufflesTheTrainingOrder() {
    StratifiedSplit split = StratifiedSplit.of(reviews(50, 50));
    List<String> ids = split.train().stream().map(Review::id).toList();
    assertThat(ids).isNotEqualTo(ids.stream().sorted().toList());
    assertThat(split.train().subList(0, 20)).extracting(Review::label).contains(0, 1);
  }

  @Test
  void followsTheSeedsProtocolExactly() {
    List<Review> data = reviews(5, 5);
    List<Review> shuffled = new ArrayList<>(data);
    java.util.Collections.shuffle(shuffled, new java.util.Random(42));
    List<Review> expectedValidation = new ArrayList<>();
    expectedValidation.addAll(shuffled.stream().filter(r -> r.label() == 0).limit(1).toList());
    expectedValidation.addAll(shuffled.stream().filter(r -> r.label() == 1).limit(1).toList());

    StratifiedSplit split = StratifiedSplit.of(data);

    assertThat(split.validation()).containsExactlyInAnyOrderElementsOf(expectedValidation);
    assertThat(split.train()).hasSize(8);
  }

  @Test
  void rejectsUnlabeledReviewsAndBadShares() {
    List<Review> data = List.of(new Review("u1", "user", null, null, null, "x"));
    assertThatThrownBy(() -> StratifiedSplit.of(data))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("u1 has no label");
    assertThatThrownBy(() -> StratifiedSplit.of(reviews(1, 1), 1.5, 42))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
