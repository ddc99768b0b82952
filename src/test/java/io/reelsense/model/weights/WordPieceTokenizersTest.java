package io.reelsense.model.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WordPieceTokenizersTest {

  static final String BGE_TOKENIZER = "bge-small-en-v1.5-tokenizer.json";
  private static final Map<String, String> NO_TRUNCATION = Map.of("truncation", "false");

  @TempDir Path dir;

  /** The reviews of the committed sample (test split first), texts only. */
  static List<String> sampleReviews(int max) throws IOException {
    List<String> texts = new ArrayList<>();
    try (InputStream raw =
            WordPieceTokenizersTest.class.getResourceAsStream("/sample/aclImdb_v1.tar.gz");
        TarArchiveInputStream tar =
            new TarArchiveInputStream(
                new GzipCompressorInputStream(new BufferedInputStream(raw)))) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        if (e.isFile() && e.getName().matches("aclImdb/(train|test)/(pos|neg)/\\d+_\\d+\\.txt")) {
          texts.add(new String(tar.readAllBytes(), StandardCharsets.UTF_8));
          if (texts.size() == max) {
            break;
          }
        }
      }
    }
    return texts;
  }

  /** bge-small's vocabulary (the 30,522-token uncased BERT WordPiece vocabulary) as a vocab.txt. */
  private Path bgeVocab() throws IOException {
    JsonNode vocab;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(BGE_TOKENIZER)) {
      assertThat(in).as(BGE_TOKENIZER + " on the test class path").isNotNull();
      vocab = new ObjectMapper().readTree(in).path("model").path("vocab");
    }
    String[] tokens = new String[vocab.size()];
    for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      tokens[e.getValue().asInt()] = e.getKey();
    }
    Path file = dir.resolve("vocab.txt");
    Files.writeString(file, String.join("\n", tokens) + "\n");
    return file;
  }

  private static HuggingFaceTokenizer bge() throws IOException {
    try (InputStream in =
        WordPieceTokenizersTest.class.getClassLoader().getResourceAsStream(BGE_TOKENIZER)) {
      return HuggingFaceTokenizer.newInstance(in, NO_TRUNCATION);
    }
  }

  @Test
  void sameIdsAsTheBgeTokenizerJsonOnRealReviews() throws IOException {
    List<String> reviews = sampleReviews(300);
    assertThat(reviews).hasSize(300);
    // unicode, HTML and very long texts on top of the reviews
    reviews.add("Amélie était très bien — naïve café, Zoë's “smart quotes” and 日本語 text…");
    reviews.add("<br /><br />ALL CAPS!!! and\ttabs\u00a0nbsp\u200b zero-width");
    reviews.add("");
    int longest = 0;
    int total = 0;
    try (HuggingFaceTokenizer ours =
            WordPieceTokenizers.fromVocab(bgeVocab(), true, NO_TRUNCATION);
        HuggingFaceTokenizer reference = bge()) {
      for (String text : reviews) {
        Encoding a = ours.encode(text);
        Encoding b = reference.encode(text);
        assertThat(a.getIds()).as(text).containsExactly(b.getIds());
        assertThat(a.getTypeIds()).containsExactly(b.getTypeIds());
        assertThat(a.getAttentionMask()).containsExactly(b.getAttentionMask());
        longest = Math.max(longest, a.getIds().length);
        total += a.getIds().length;
      }
      Encoding pairA = ours.encode("first sentence", "Second one");
      Encoding pairB = reference.encode("first sentence", "Second one");
      assertThat(pairA.getIds()).containsExactly(pairB.getIds());
      assertThat(pairA.getTypeIds()).containsExactly(pairB.getTypeIds()).contains(1L);
      assertThat(ours.decode(pairA.getIds(), true)).isEqualTo("first sentence second one");
    }
    assertThat(longest).as("some reviews are longer than 512 tokens").isGreaterThan(512);
    assertThat(total).isGreaterThan(60_000);
  }

  @Test
  void specialTokensAndLowercasing() throws IOException {
    try (HuggingFaceTokenizer t = WordPieceTokenizers.fromVocab(bgeVocab())) {
      Encoding e = t.encode("Café UNBELIEVABLE");
      assertThat(e.getTokens()).startsWith("[CLS]").endsWith("[SEP]").contains("cafe");
      assertThat(e.getIds()[0]).isEqualTo(101);
      assertThat(e.getIds()[e.getIds().length - 1]).isEqualTo(102);
    }
  }

  @Test
  void casedVocabularyKeepsCaseAndAccents() throws IOException {
    Path vocab = dir.resolve("cased.txt");
    Files.writeString(vocab, "[PAD]\n[UNK]\n[CLS]\n[SEP]\nCafé\ncafe\nHello\n##s\n");
    try (HuggingFaceTokenizer t = WordPieceTokenizers.fromVocab(vocab, false, Map.of())) {
      assertThat(t.encode("Café Hellos cafe hello").getIds()).containsExactly(2, 4, 6, 7, 5, 1, 3);
    }
    try (HuggingFaceTokenizer t = WordPieceTokenizers.fromVocab(vocab, true, Map.of())) {
      assertThat(t.encode("Café").getIds()).containsExactly(2, 5, 3);
    }
    Path json = dir.resolve("tokenizer.json");
    WordPieceTokenizers.writeTokenizerJson(vocab, false, json);
    try (HuggingFaceTokenizer t = HuggingFaceTokenizer.newInstance(json)) {
      assertThat(t.encode("Hello").getIds()).containsExactly(2, 6, 3);
    }
  }

  @Test
  void badVocabulariesAreNamed() throws IOException {
    Path dup = dir.resolve("dup.txt");
    Files.writeString(dup, "[UNK]\n[CLS]\n[SEP]\nword\nword\n");
    assertThatThrownBy(() -> WordPieceTokenizers.fromVocab(dup))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining(dup.toString())
        .hasMessageContaining("token 'word' appears twice (ids 3 and 4)");
    Path noUnk = dir.resolve("nounk.txt");
    Files.writeString(noUnk, "[CLS]\n[SEP]\nword\n");
    assertThatThrownBy(() -> WordPieceTokenizers.fromVocab(noUnk)).hasMessageContaining("no [UNK]");
    Path empty = dir.resolve("empty.txt");
    Files.writeString(empty, "");
    assertThatThrownBy(() -> WordPieceTokenizers.fromVocab(empty))
        .hasMessageContaining("empty vocabulary");
    assertThatThrownBy(() -> WordPieceTokenizers.fromVocab(dir.resolve("absent.txt")))
        .hasMessageContaining("no such vocabulary file");
  }
}
