package io.reelsense.cli;

import io.reelsense.data.TokenCounter;
import io.reelsense.model.encoder.ModelCatalog;
import io.reelsense.model.encoder.PretrainedModel;
import io.reelsense.model.tokenizer.BertTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Token counters over BERT's uncased WordPiece vocabulary, for {@code data describe}. The
 * vocabulary is bge-small's {@code tokenizer.json} (the 30,522 BERT-base uncased word pieces), read
 * from the model jar in the local Maven repository; counts include {@code [CLS]} and {@code [SEP]},
 * as the encoder sees them.
 */
final class WordPieceCounters {

  /** The catalog model whose tokenizer carries the BERT uncased vocabulary. */
  static final String MODEL = "bge-small";

  private WordPieceCounters() {}

  /** Where the vocabulary's jar lies (or would lie) in this Maven repository. */
  static Path jar(Path repository) {
    return ModelCatalog.localJar(ModelCatalog.get(MODEL), repository);
  }

  /**
   * A {@code wordpiece} counter from the model jar.
   *
   * @throws IOException when the jar is missing, unreadable or holds no tokenizer
   */
  static TokenCounter bertUncased(Path repository) throws IOException {
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
   * A {@code wordpiece} counter over a tokenizer: word pieces of the whole text plus {@code [CLS]}
   * and {@code [SEP]}, never truncated.
   */
  static TokenCounter of(BertTokenizer tokenizer) {
    return TokenCounter.of("wordpiece", text -> tokenizer.textIds(text).length + 2);
  }
}
