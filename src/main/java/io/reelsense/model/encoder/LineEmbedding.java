package io.reelsense.model.encoder;

import io.reelsense.model.TextEmbedder;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code reelsense embed}: one text per line in, one vector per line out, in chunks of {@value
 * #CHUNK} lines so that the embedder batches them however long the input is.
 *
 * @param model the encoder's canonical name
 * @param texts how many lines were embedded
 * @param dimension the vectors' dimension
 * @param device where the encoder ran
 * @param seconds the time taken, opening the encoder included
 */
public record LineEmbedding(
    String model, long texts, int dimension, String device, double seconds) {

  /** Lines read before the embedder is called. */
  public static final int CHUNK = 1024;

  /**
   * Embeds every line of {@code in}, in order, handing each vector to {@code sink}.
   *
   * @param model the encoder's canonical name, for the report
   * @param device where {@code embedder} runs, for the report
   * @param startNanos when the work began ({@link System#nanoTime}), before the encoder was opened
   */
  public static LineEmbedding run(
      TextEmbedder embedder,
      String model,
      String device,
      BufferedReader in,
      Consumer<float[]> sink,
      long startNanos)
      throws IOException {
    int dimension = embedder.dimension();
    long count = embedAll(embedder, in, sink);
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    return new LineEmbedding(model, count, dimension, device, seconds);
  }

  private static long embedAll(TextEmbedder embedder, BufferedReader in, Consumer<float[]> sink)
      throws IOException {
    long count = 0;
    List<String> chunk = new ArrayList<>(CHUNK);
    String line;
    while ((line = in.readLine()) != null) {
      chunk.add(line);
      if (chunk.size() == CHUNK) {
        count += embed(embedder, chunk, sink);
      }
    }
    return count + embed(embedder, chunk, sink);
  }

  private static int embed(TextEmbedder embedder, List<String> chunk, Consumer<float[]> sink) {
    if (chunk.isEmpty()) {
      return 0;
    }
    embedder.embed(chunk).forEach(sink);
    int n = chunk.size();
    chunk.clear();
    return n;
  }

  /** {@code embed --json}: model, texts, dimension, device, seconds and texts per second. */
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("model", model);
    json.put("texts", texts);
    json.put("dimension", dimension);
    json.put("device", device);
    json.put("seconds", Math.round(seconds * 1000) / 1000.0);
    json.put("textsPerSecond", seconds > 0 ? Math.round(texts / seconds * 10) / 10.0 : 0);
    return json;
  }

  /** The line written to stderr at the end, under the name the encoder was asked for. */
  public String note(String asked) {
    return String.format(
        "embedded %d texts with %s on %s in %.1f s (%d dimensions)%n",
        texts, asked, device, seconds, dimension);
  }
}
