package io.reelsense.model.encoder;

import io.reelsense.model.tokenizer.BertTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.function.ToIntFunction;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Token lengths over BERT's uncased WordPiece vocabulary, for {@code data describe}. The vocabulary
 * is bge-small's {@code tokenizer.json} (the 30,522 BERT-base uncased word pieces), read from the
 * model jar in the local Maven repository; lengths include {@code [CLS]} and {@code [SEP]}, as the
 * encoder sees them.
 */
public final class WordPieceLengths {

  /** The catalog model whose tokenizer carries the BERT uncased vocabulary. */
  public static final String MODEL = "bge-small";

  private WordPieceLengths() {}

  /** Where the vocabulary's jar lies (or would lie) in this Maven repository. */
  public static Path jar(Path repository) {
    return ModelCatalog.localJar(ModelCatalog.get(MODEL), repository);
  }

  /**
   * The length of a text in word pieces from the model jar, {@code [CLS]} and {@code [SEP]}
   * included, never truncated.
   *
   * @throws IOException when the jar is missing, unreadable or holds no tokenizer
   */
  public static ToIntFunction<String> bertUncased(Path repository) throws IOException {
    PretrainedModel model = ModelCatalog.get(MODEL);
    Path jar = jar(repository);
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      ZipEntry entry = zip.getEntry(model.tokenizerEntry());
      if (entry == null) {
        throw new IOException(jar + " holds no " + model.tokenizerEntry());
      }
      try (InputStream in = zip.getInputStream(entry)) {
        return of(BertTokenizer.fromTokenizerJson(in));
      }
    }
  }

  /**
   * The length of a text in word pieces of {@code tokenizer}, plus {@code [CLS]} and {@code [SEP]}.
   */
  public static ToIntFunction<String> of(BertTokenizer tokenizer) {
    return text -> tokenizer.textIds(text).length + 2;
  }
}
