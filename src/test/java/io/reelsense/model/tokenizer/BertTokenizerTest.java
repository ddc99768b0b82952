package io.reelsense.model.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.reelsense.data.ImdbReader;
import io.reelsense.data.Review;
import io.reelsense.data.SampleData;
import io.reelsense.model.TestModels;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

class BertTokenizerTest {

  private static BertTokenizer minilm() throws Exception {
    try (ZipFile zip = new ZipFile(TestModels.jarHolding(TestModels.MINILM).toFile())) {
      return BertTokenizer.fromTokenizerJson(
          zip.getInputStream(zip.getEntry("all-minilm-l6-v2-tokenizer.json")));
    }
  }

  @Test
  void wrapsTextInClsAndSepAndLowercases() throws Exception {
    try (BertTokenizer t = minilm()) {
      assertThat(t.clsId()).isEqualTo(101);
      assertThat(t.sepId()).isEqualTo(102);
      assertThat(t.vocabSize()).isEqualTo(30522);
      assertThat(t.tokens("Unbelievably GOOD film<br />"))
          .containsExactly(
              "un", "##bel", "##ie", "##va", "##bly", "good", "film", "<", "br", "/", ">");
      long[] ids = t.encode("Great film!", Truncation.head(512));
      assertThat(ids[0]).isEqualTo(101);
      assertThat(ids[ids.length - 1]).isEqualTo(102);
      assertThat(ids).hasSize(5);
    }
  }

  @Test
  void truncatesLongTextsToTheBudgetWithTheChosenStrategy() throws Exception {
    String longText = "one two three four five six seven eight nine ten ".repeat(30) + "finale";
    try (BertTokenizer t = minilm()) {
      long[] all = t.textIds(longText);
      assertThat(all.length).isGreaterThan(300);
      long[] head = t.encode(longText, Truncation.head(16));
      long[] tail = t.encode(longText, Truncation.tail(16));
      long[] both = t.encode(longText, Truncation.headTail(16, 4));
      assertThat(head).hasSize(16);
      assertThat(head[1]).isEqualTo(all[0]);
      assertThat(tail[14]).isEqualTo(all[all.length - 1]);
      assertThat(both[4]).isEqualTo(all[3]);
      assertThat(both[5]).isEqualTo(all[all.length - 10]);
      List<long[]> batch = t.encodeAll(List.of(longText, "ok"), Truncation.tail(16));
      assertThat(batch.get(0)).containsExactly(tail);
      assertThat(batch.get(1)).hasSize(3);
    }
  }

  @Test
  void idsEqualDjlsOwnEncodingOnRealReviews() throws Exception {
    List<String> reviews =
        ImdbReader.readSplit(SampleData.dir(), "test").stream()
            .limit(200)
            .map(Review::text)
            .collect(java.util.stream.Collectors.toCollection(java.util.ArrayList::new));
    reviews.add("Ça va? Naïve café, ﬁlm 映画 😀 <br /><br />");
    reviews.add("");
    String json;
    try (ZipFile zip = new ZipFile(TestModels.jarHolding(TestModels.MINILM).toFile())) {
      json =
          new String(
              zip.getInputStream(zip.getEntry("all-minilm-l6-v2-tokenizer.json")).readAllBytes(),
              StandardCharsets.UTF_8);
    }
    try (BertTokenizer t = minilm();
        HuggingFaceTokenizer djl =
            HuggingFaceTokenizer.newInstance(
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
                BertTokenizer.OPTIONS)) {
      Encoding[] reference = djl.batchEncode(reviews, false, false);
      List<long[]> fast = t.encodeAll(reviews, Truncation.head(100_000));
      for (int i = 0; i < reviews.size(); i++) {
        long[] expected = reference[i].getIds();
        assertThat(fast.get(i)).hasSize(expected.length + 2);
        assertThat(java.util.Arrays.copyOfRange(fast.get(i), 1, expected.length + 1))
            .as(reviews.get(i))
            .containsExactly(expected);
        assertThat(t.textIds(reviews.get(i))).containsExactly(expected);
      }
    }
  }
}
