package io.reelsense.model.encoder;

import ai.djl.Device;
import io.reelsense.model.TextEmbedder;
import io.reelsense.model.encoder.PretrainedModel.Format;
import io.reelsense.model.tokenizer.BertTokenizer;
import io.reelsense.model.tokenizer.Truncation;
import io.reelsense.model.weights.BertCheckpoint;
import io.reelsense.model.weights.BertLayout;
import io.reelsense.model.weights.CheckpointException;
import io.reelsense.model.weights.HfCheckpoint;
import io.reelsense.model.weights.OnnxBertImporter;
import io.reelsense.model.weights.TfBertImporter;
import io.reelsense.model.weights.WordPieceTokenizers;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Loads the catalog's pretrained encoders from the local Maven repository, and BERT, RoBERTa or
 * DistilBERT models from Hugging Face hub directories.
 */
public final class Encoders {

  private Encoders() {}

  /**
   * How an embedder cuts and batches texts.
   *
   * @param truncation how texts longer than the model's window are cut
   * @param batchSize texts per forward pass (texts are grouped by length to limit padding)
   * @param prefix prepended to every text (e5's {@code "query: "}); empty for none
   * @param precision the number format the encoder runs in
   */
  public record Options(Truncation truncation, int batchSize, String prefix, Precision precision) {
    public Options {
      if (batchSize < 1) {
        throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
      }
      prefix = prefix == null ? "" : prefix;
      precision = precision == null ? Precision.FP32 : precision;
    }

    /** The options in fp32. */
    public Options(Truncation truncation, int batchSize, String prefix) {
      this(truncation, batchSize, prefix, Precision.FP32);
    }

    /** The same options in {@code precision}. */
    public Options with(Precision precision) {
      return new Options(truncation, batchSize, prefix, precision);
    }

    /** Head truncation at 512 tokens, batches of 32, no prefix. */
    public static Options defaults() {
      return new Options(Truncation.head(512), 32, "");
    }
  }

  /** A model's weights and tokenizer, read from its jar. */
  public record Loaded(PretrainedModel model, BertCheckpoint checkpoint, BertTokenizer tokenizer) {}

  /** The catalog model's sentence embedder with default options, from the local repository. */
  public static TextEmbedder embedder(String name, Device device) throws IOException {
    return embedder(name, device, Options.defaults());
  }

  /** The catalog model's sentence embedder, from the local repository. */
  public static TextEmbedder embedder(String name, Device device, Options options)
      throws IOException {
    PretrainedModel model = ModelCatalog.get(name);
    return embedder(load(model, ModelCatalog.localJar(model)), device, options);
  }

  /** The catalog model's sentence embedder, from the given Maven repository. */
  public static TextEmbedder embedder(String name, Path repository, Device device, Options options)
      throws IOException {
    PretrainedModel model = ModelCatalog.get(name);
    return embedder(load(model, ModelCatalog.localJar(model, repository)), device, options);
  }

  /** A sentence embedder over loaded weights, with the model's pooling and normalization. */
  public static TextEmbedder embedder(Loaded loaded, Device device, Options options) {
    BertEncoder encoder = BertEncoder.load(loaded.checkpoint(), device, options.precision());
    return new BertTextEmbedder(
        loaded.model().name(),
        loaded.tokenizer(),
        encoder,
        loaded.model().pooling(),
        loaded.model().normalize(),
        options);
  }

  /**
   * The Hugging Face {@code tokenizer.json} text of a catalog model, from its jar: the jar's own
   * for ONNX models, the one generated from {@code vocab.txt} (uncased) for the TensorFlow bundle.
   */
  public static String tokenizerJson(PretrainedModel model, Path jar) throws IOException {
    if (model.format() == Format.HUB_DIRECTORY) {
      return Files.readString(hubTokenizer(model.directory()), StandardCharsets.UTF_8);
    }
    if (model.format() == Format.TF_BUNDLE) {
      Path savedModel = TfBertImporter.extract(jar, ModelCatalog.cacheDir());
      return WordPieceTokenizers.tokenizerJson(savedModel.resolve(TfBertImporter.VOCAB), true);
    }
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      ZipEntry entry = zip.getEntry(model.tokenizerEntry());
      if (entry == null) {
        throw new CheckpointException(jar, "holds no tokenizer entry " + model.tokenizerEntry());
      }
      try (InputStream in = zip.getInputStream(entry)) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    }
  }

  /**
   * Reads a catalog model's weights and tokenizer from its jar (the one in the local repository or
   * any copy of it), checking that the vocabulary fits the word-embedding matrix.
   */
  public static Loaded load(PretrainedModel model, Path jar) throws IOException {
    if (model.format() == Format.HUB_DIRECTORY) {
      return loadDirectory(model);
    }
    if (!jar.toFile().isFile()) {
      throw new FileNotFoundException(
          "model "
              + model.name()
              + " is not in the local Maven repository ("
              + jar
              + "); run: reelsense models pull "
              + model.name());
    }
    BertCheckpoint checkpoint;
    BertTokenizer tokenizer;
    if (model.format() == Format.TF_BUNDLE) {
      Path savedModel = TfBertImporter.extract(jar, ModelCatalog.cacheDir());
      checkpoint = TfBertImporter.read(savedModel);
      Path vocab = savedModel.resolve(TfBertImporter.VOCAB);
      int size = BertLayout.readVocabulary(vocab).size();
      tokenizer =
          new BertTokenizer(
              WordPieceTokenizers.fromVocab(vocab, true, BertTokenizer.OPTIONS), size);
    } else {
      checkpoint = OnnxBertImporter.read(jar);
      try (ZipFile zip = new ZipFile(jar.toFile())) {
        ZipEntry entry = zip.getEntry(model.tokenizerEntry());
        if (entry == null) {
          throw new CheckpointException(jar, "holds no tokenizer entry " + model.tokenizerEntry());
        }
        try (InputStream in = zip.getInputStream(entry)) {
          tokenizer = BertTokenizer.fromTokenizerJson(in);
        }
      }
    }
    return checked(model, checkpoint, tokenizer, jar);
  }

  /** A BERT, RoBERTa or DistilBERT model from a Hugging Face hub directory. */
  public static Loaded loadDirectory(Path dir) throws IOException {
    Path abs = dir.toAbsolutePath().normalize();
    return loadDirectory(PretrainedModel.hubDirectory(abs.toString(), abs));
  }

  /**
   * Writes weights and their {@code tokenizer.json} as a Hugging Face hub directory ({@code
   * config.json}, {@code model.safetensors}, {@code tokenizer.json}) in the checkpoint's own
   * architecture, which {@link #loadDirectory(Path)} and {@code from_pretrained} read back.
   */
  public static void writeDirectory(BertCheckpoint checkpoint, String tokenizerJson, Path dir)
      throws IOException {
    HfCheckpoint.write(checkpoint, dir, java.util.Map.of());
    Files.writeString(dir.resolve("tokenizer.json"), tokenizerJson, StandardCharsets.UTF_8);
  }

  private static Loaded loadDirectory(PretrainedModel model) throws IOException {
    Path dir = model.directory();
    BertCheckpoint checkpoint = HfCheckpoint.read(dir);
    BertTokenizer tokenizer;
    try (InputStream in = Files.newInputStream(hubTokenizer(dir))) {
      tokenizer = BertTokenizer.fromTokenizerJson(in);
    }
    return checked(model, checkpoint, tokenizer, dir);
  }

  private static Path hubTokenizer(Path dir) throws CheckpointException {
    Path json = dir.resolve("tokenizer.json");
    if (!Files.isRegularFile(json)) {
      throw new CheckpointException(
          json,
          "no such file: a model directory needs the fast tokenizer's tokenizer.json (save it"
              + " with tokenizer.save_pretrained)");
    }
    return json;
  }

  private static Loaded checked(
      PretrainedModel model, BertCheckpoint checkpoint, BertTokenizer tokenizer, Path jar)
      throws CheckpointException {
    int rows = checkpoint.config().vocabSize();
    if (tokenizer.vocabSize() > rows) {
      tokenizer.close();
      throw new CheckpointException(
          jar,
          "embeddings.word_embeddings.weight",
          "the tokenizer "
              + model.tokenizerEntry()
              + " uses "
              + tokenizer.vocabSize()
              + " ids but the word-embedding matrix has only "
              + rows
              + " rows");
    }
    return new Loaded(model, checkpoint, tokenizer);
  }
}
