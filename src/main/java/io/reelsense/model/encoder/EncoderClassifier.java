package io.reelsense.model.encoder;

import ai.djl.Device;
import io.reelsense.model.ReviewScores;
import io.reelsense.model.ScoringClassifier;
import io.reelsense.model.baseline.LinearHeads;
import io.reelsense.model.tokenizer.BertTokenizer;
import io.reelsense.model.weights.BertCheckpoint;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Serves an {@link EncoderModel}: clean each text with the bundle's profile, tokenize and cut it,
 * encode texts in length-sorted batches (each in its own NDManager scope, on the encoder's device:
 * the GPU when DJL finds one), pool, optionally normalize, and apply the linear heads. {@link
 * #score} is synchronized: one batch runs on the encoder at a time.
 */
public final class EncoderClassifier implements ScoringClassifier {

  /** Texts per forward pass unless told otherwise. */
  public static final int DEFAULT_BATCH_SIZE = 32;

  private final String modelId;
  private final UnaryOperator<String> cleaner;
  private final BertTextEmbedder embedder;
  private final LinearHeads heads;

  /**
   * @param modelId what {@link #modelId()} returns
   * @param cleaner applied to each text first (the bundle's cleaning profile)
   * @param embedder text to pooled vector; owned (closed) by this classifier from now on
   * @param heads the linear heads on the pooled vector
   */
  public EncoderClassifier(
      String modelId, UnaryOperator<String> cleaner, BertTextEmbedder embedder, LinearHeads heads) {
    if (heads.dimension() != embedder.dimension()) {
      throw new IllegalArgumentException(
          "the heads take "
              + heads.dimension()
              + " inputs but the encoder gives "
              + embedder.dimension());
    }
    this.modelId = modelId;
    this.cleaner = cleaner;
    this.embedder = embedder;
    this.heads = heads;
  }

  /**
   * Builds the encoder of {@code model} on {@code device} and serves it.
   *
   * @param batchSize texts per forward pass
   */
  public static EncoderClassifier of(
      String modelId,
      EncoderModel model,
      UnaryOperator<String> cleaner,
      Device device,
      int batchSize) {
    return of(modelId, model, cleaner, device, batchSize, Precision.FP32);
  }

  /**
   * Builds the encoder of {@code model} on {@code device} in {@code precision} and serves it.
   *
   * @param batchSize texts per forward pass
   */
  public static EncoderClassifier of(
      String modelId,
      EncoderModel model,
      UnaryOperator<String> cleaner,
      Device device,
      int batchSize,
      Precision precision) {
    BertTextEmbedder embedder = embedder(model, device, batchSize, precision);
    try {
      return new EncoderClassifier(modelId, cleaner, embedder, model.heads());
    } catch (RuntimeException e) {
      embedder.close();
      throw e;
    }
  }

  /** The text-to-vector part of {@code model} (tokenizer, encoder, pooling), on {@code device}. */
  public static BertTextEmbedder embedder(EncoderModel model, Device device, int batchSize) {
    return embedder(model, device, batchSize, Precision.FP32);
  }

  /** As {@link #embedder(EncoderModel, Device, int)}, in {@code precision}. */
  public static BertTextEmbedder embedder(
      EncoderModel model, Device device, int batchSize, Precision precision) {
    return embedder(
        model.base(),
        model.checkpoint(),
        model.tokenizerJson(),
        model.pooling(),
        model.normalize(),
        new Encoders.Options(model.truncation(), batchSize, model.prefix(), precision),
        device);
  }

  /**
   * A text-to-vector embedder over weights and a {@code tokenizer.json}, on {@code device}: what an
   * encoder bundle serves, without the heads (the frozen trainer embeds with it).
   */
  public static BertTextEmbedder embedder(
      String name,
      BertCheckpoint checkpoint,
      String tokenizerJson,
      Pooling pooling,
      boolean normalize,
      Encoders.Options options,
      Device device) {
    BertTokenizer tokenizer;
    try {
      tokenizer =
          BertTokenizer.fromTokenizerJson(
              new ByteArrayInputStream(tokenizerJson.getBytes(StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the tokenizer: " + e.getMessage(), e);
    }
    if (tokenizer.vocabSize() > checkpoint.config().vocabSize()) {
      tokenizer.close();
      throw new IllegalArgumentException(
          "the tokenizer uses "
              + tokenizer.vocabSize()
              + " ids but the word-embedding matrix has "
              + checkpoint.config().vocabSize()
              + " rows");
    }
    BertEncoder encoder;
    try {
      encoder = BertEncoder.load(checkpoint, device, options.precision());
    } catch (RuntimeException e) {
      tokenizer.close();
      throw e;
    }
    try {
      return new BertTextEmbedder(name, tokenizer, encoder, pooling, normalize, options);
    } catch (RuntimeException e) {
      encoder.close();
      tokenizer.close();
      throw e;
    }
  }

  @Override
  public String modelId() {
    return modelId;
  }

  @Override
  public List<String> tasks() {
    return heads.tasks();
  }

  /** The heads on the pooled vector. */
  public LinearHeads heads() {
    return heads;
  }

  /** The text-to-vector part (device, tokenizer, options). */
  public BertTextEmbedder embedder() {
    return embedder;
  }

  /** The pooled (and, if the model says so, normalized) vector of each cleaned text. */
  public synchronized List<float[]> pooled(List<String> texts) {
    List<String> clean = new ArrayList<>(texts.size());
    for (String t : texts) {
      clean.add(cleaner.apply(t == null ? "" : t));
    }
    return embedder.embed(clean);
  }

  @Override
  public List<ReviewScores> score(List<String> texts) {
    List<float[]> vectors = pooled(texts);
    List<ReviewScores> out = new ArrayList<>(vectors.size());
    for (float[] v : vectors) {
      out.add(heads.scores(v));
    }
    return out;
  }

  @Override
  public synchronized void close() {
    embedder.close();
  }
}
