package io.reelsense.model.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns texts into BERT input ids: {@code [CLS] text [SEP]}, the text cut to fit {@link
 * Truncation}. Wraps a DJL Hugging Face tokenizer (the Rust {@code tokenizers} library) built from
 * a {@code tokenizer.json}; the tokenizer's own truncation and padding are switched off, padding is
 * done per batch by the encoder.
 */
public final class BertTokenizer implements AutoCloseable {

  private final HuggingFaceTokenizer tokenizer;
  private final long cls;
  private final long sep;
  private final int vocabSize;

  /**
   * Wraps a tokenizer whose ids run below {@code vocabSize}; its {@code [CLS]}/{@code [SEP]} ids
   * are read from its template.
   */
  public BertTokenizer(HuggingFaceTokenizer tokenizer, int vocabSize) {
    this.tokenizer = tokenizer;
    long[] empty = tokenizer.encode("", true, false).getIds();
    if (empty.length != 2) {
      throw new IllegalArgumentException(
          "the tokenizer does not wrap texts as [CLS] text [SEP] (empty text gives "
              + empty.length
              + " ids)");
    }
    this.cls = empty[0];
    this.sep = empty[1];
    this.vocabSize = vocabSize;
  }

  /**
   * DJL tokenizer options this class expects: no special tokens, truncation or padding of the
   * tokenizer's own (they are added, cut and padded here and in the encoder), and none of DJL's
   * Java-side text preparation ({@code doLowerCase}, {@code stripAccents}, {@code addPrefixSpace}):
   * texts go to the native tokenizer as they are, and its {@code tokenizer.json} normalizer
   * lowercases and strips accents.
   */
  public static final Map<String, String> OPTIONS =
      Map.of(
          "addSpecialTokens", "false",
          "truncation", "false",
          "padding", "false",
          "modelMaxLength", String.valueOf(Integer.MAX_VALUE));

  /**
   * Reads a Hugging Face {@code tokenizer.json}: a WordPiece model with BERT's {@code [CLS]}/{@code
   * [SEP]} template, or RoBERTa's byte-level BPE with its {@code <s>}/{@code </s>} template (the
   * wrapping ids are read from the template either way).
   */
  public static BertTokenizer fromTokenizerJson(InputStream in) throws IOException {
    String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    JsonNode root = new ObjectMapper().readTree(json);
    int size = 0;
    for (JsonNode id : root.path("model").path("vocab")) {
      size = Math.max(size, id.asInt() + 1);
    }
    for (JsonNode added : root.path("added_tokens")) {
      size = Math.max(size, added.path("id").asInt() + 1);
    }
    if (size == 0) {
      throw new IOException("tokenizer.json has no model.vocab: not a WordPiece or BPE tokenizer");
    }
    InputStream bytes = new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    return new BertTokenizer(HuggingFaceTokenizer.newInstance(bytes, OPTIONS), size);
  }

  /** Number of ids the vocabulary uses (largest id + 1); must fit the word-embedding matrix. */
  public int vocabSize() {
    return vocabSize;
  }

  /** Id of {@code [CLS]}. */
  public long clsId() {
    return cls;
  }

  /** Id of {@code [SEP]}. */
  public long sepId() {
    return sep;
  }

  /** The text's word-piece ids without special tokens and without truncation. */
  public long[] textIds(String text) {
    return ids(TokenizersLibrary.LIB.encode(tokenizer.getHandle(), text, false));
  }

  /**
   * The ids of a native encoding, which it then frees. Only the ids cross JNI: DJL's {@link
   * Encoding} would also copy every token as a Java string and its character span, which doubles
   * the cost of tokenizing a long review.
   */
  private static long[] ids(long encoding) {
    try {
      return TokenizersLibrary.LIB.getTokenIds(encoding);
    } finally {
      TokenizersLibrary.LIB.deleteEncoding(encoding);
    }
  }

  /** {@code [CLS] text [SEP]}, the text cut by {@code truncation}. */
  public long[] encode(String text, Truncation truncation) {
    return wrap(truncation.cut(textIds(text)));
  }

  /** {@link #encode} for many texts (tokenized in parallel by the native library), in order. */
  public List<long[]> encodeAll(List<String> texts, Truncation truncation) {
    long[] encodings =
        TokenizersLibrary.LIB.batchEncode(
            tokenizer.getHandle(), texts.toArray(String[]::new), false);
    List<long[]> out = new ArrayList<>(encodings.length);
    int i = 0;
    try {
      for (; i < encodings.length; i++) {
        out.add(wrap(truncation.cut(ids(encodings[i]))));
      }
    } finally {
      for (int j = i + 1; j < encodings.length; j++) {
        TokenizersLibrary.LIB.deleteEncoding(encodings[j]);
      }
    }
    return out;
  }

  private long[] wrap(long[] text) {
    long[] ids = new long[text.length + 2];
    ids[0] = cls;
    System.arraycopy(text, 0, ids, 1, text.length);
    ids[ids.length - 1] = sep;
    return ids;
  }

  /** The word pieces of a text, for display and tests. */
  public List<String> tokens(String text) {
    return List.of(tokenizer.encode(text, false, false).getTokens());
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
