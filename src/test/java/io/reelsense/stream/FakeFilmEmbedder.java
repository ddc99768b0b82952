package io.reelsense.stream;

import io.reelsense.model.TextEmbedder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A test encoder: a text's vector counts its words in 256 hashed buckets (so texts sharing words
 * are close); a text containing "explode" makes the whole batch fail. Records every batch.
 */
public final class FakeFilmEmbedder implements TextEmbedder {

  public static final int DIM = 256;

  public final List<List<String>> batches = new CopyOnWriteArrayList<>();
  volatile boolean closed;

  @Override
  public String modelId() {
    return "fake-encoder";
  }

  @Override
  public int dimension() {
    return DIM;
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    batches.add(List.copyOf(texts));
    List<float[]> out = new ArrayList<>();
    for (String t : texts) {
      if (t.contains("explode")) {
        throw new IllegalStateException("out of memory on the encoder");
      }
      out.add(vector(t));
    }
    return out;
  }

  public static float[] vector(String text) {
    float[] v = new float[DIM];
    for (String w : text.toLowerCase(Locale.ROOT).split("\\W+")) {
      if (w.length() > 2) {
        v[Math.floorMod(w.hashCode(), DIM)] += 1;
      }
    }
    return v;
  }

  public int texts() {
    return batches.stream().mapToInt(List::size).sum();
  }

  @Override
  public void close() {
    closed = true;
  }
}
