package io.reelsense.model;

import java.util.List;

/** A sentence-embedding model seen from outside: texts in, one vector per text out. */
public interface TextEmbedder extends AutoCloseable {

  /** The model's name, e.g. {@code bge-small}. */
  String modelId();

  /** Length of every vector it returns. */
  int dimension();

  /** Embeds a batch; the result has the same size and order as {@code texts}. */
  List<float[]> embed(List<String> texts);

  @Override
  void close();
}
