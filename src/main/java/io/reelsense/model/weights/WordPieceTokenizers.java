package io.reelsense.model.weights;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * BERT's WordPiece tokenizer built from a plain {@code vocab.txt} (one token per line, the line
 * number is the id), as a DJL {@link HuggingFaceTokenizer}: the {@code tokenizer.json} that Hugging
 * Face's {@code BertTokenizerFast} would save is generated (BERT normalizer: clean text, Chinese
 * characters split, lowercase and accents stripped for uncased models; BERT pre-tokenizer;
 * WordPiece with {@code ##} continuations, {@code [UNK]} and 100 characters per word at most;
 * {@code [CLS] A [SEP]} / {@code [CLS] A [SEP] B [SEP]} post-processing) and loaded by DJL.
 */
public final class WordPieceTokenizers {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> SPECIAL = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]");

  private WordPieceTokenizers() {}

  /** An uncased (lowercasing, accent-stripping) tokenizer with DJL's default options. */
  public static HuggingFaceTokenizer fromVocab(Path vocabTxt) throws IOException {
    return fromVocab(vocabTxt, true, Map.of());
  }

  /**
   * A tokenizer from a vocabulary.
   *
   * @param lowercase true for uncased models (lowercase and strip accents), false for cased ones
   * @param options DJL tokenizer options ({@code maxLength}, {@code truncation}, {@code padding},
   *     {@code addSpecialTokens}, …)
   */
  public static HuggingFaceTokenizer fromVocab(
      Path vocabTxt, boolean lowercase, Map<String, String> options) throws IOException {
    String json = tokenizerJson(vocabTxt, lowercase);
    try (InputStream in = new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))) {
      return HuggingFaceTokenizer.newInstance(in, options);
    }
  }

  /**
   * Writes the generated {@code tokenizer.json} next to nothing else, for tools that want a file.
   */
  public static void writeTokenizerJson(Path vocabTxt, boolean lowercase, Path out)
      throws IOException {
    Files.writeString(out, tokenizerJson(vocabTxt, lowercase), StandardCharsets.UTF_8);
  }

  /** The {@code tokenizer.json} text for a vocabulary; errors name the file and the token. */
  public static String tokenizerJson(Path vocabTxt, boolean lowercase) throws IOException {
    List<String> tokens = BertLayout.readVocabulary(vocabTxt);
    Map<String, Integer> ids = new HashMap<>();
    ObjectNode vocab = JSON.createObjectNode();
    for (int i = 0; i < tokens.size(); i++) {
      String token = tokens.get(i);
      if (ids.putIfAbsent(token, i) != null) {
        throw new CheckpointException(
            vocabTxt,
            "token '" + token + "' appears twice (ids " + ids.get(token) + " and " + i + ")");
      }
      vocab.put(token, i);
    }
    for (String required : List.of("[UNK]", "[CLS]", "[SEP]")) {
      if (!ids.containsKey(required)) {
        throw new CheckpointException(vocabTxt, "has no " + required + " token");
      }
    }

    ObjectNode root = JSON.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    for (String s : SPECIAL) {
      Integer id = ids.get(s);
      if (id != null) {
        ObjectNode t = added.addObject();
        t.put("id", id);
        t.put("content", s);
        t.put("single_word", false);
        t.put("lstrip", false);
        t.put("rstrip", false);
        t.put("normalized", false);
        t.put("special", true);
      }
    }
    ObjectNode normalizer = root.putObject("normalizer");
    normalizer.put("type", "BertNormalizer");
    normalizer.put("clean_text", true);
    normalizer.put("handle_chinese_chars", true);
    normalizer.put("strip_accents", lowercase);
    normalizer.put("lowercase", lowercase);
    root.putObject("pre_tokenizer").put("type", "BertPreTokenizer");

    ObjectNode post = root.putObject("post_processor");
    post.put("type", "TemplateProcessing");
    ArrayNode single = post.putArray("single");
    special(single, "[CLS]", 0);
    sequence(single, "A", 0);
    special(single, "[SEP]", 0);
    ArrayNode pair = post.putArray("pair");
    special(pair, "[CLS]", 0);
    sequence(pair, "A", 0);
    special(pair, "[SEP]", 0);
    sequence(pair, "B", 1);
    special(pair, "[SEP]", 1);
    ObjectNode specials = post.putObject("special_tokens");
    for (String s : List.of("[CLS]", "[SEP]")) {
      ObjectNode t = specials.putObject(s);
      t.put("id", s);
      t.putArray("ids").add(ids.get(s));
      t.putArray("tokens").add(s);
    }

    ObjectNode decoder = root.putObject("decoder");
    decoder.put("type", "WordPiece");
    decoder.put("prefix", "##");
    decoder.put("cleanup", true);

    ObjectNode model = root.putObject("model");
    model.put("type", "WordPiece");
    model.put("unk_token", "[UNK]");
    model.put("continuing_subword_prefix", "##");
    model.put("max_input_chars_per_word", 100);
    model.set("vocab", vocab);
    return JSON.writeValueAsString(root);
  }

  private static void special(ArrayNode template, String token, int typeId) {
    ObjectNode t = template.addObject().putObject("SpecialToken");
    t.put("id", token);
    t.put("type_id", typeId);
  }

  private static void sequence(ArrayNode template, String id, int typeId) {
    ObjectNode t = template.addObject().putObject("Sequence");
    t.put("id", id);
    t.put("type_id", typeId);
  }
}
