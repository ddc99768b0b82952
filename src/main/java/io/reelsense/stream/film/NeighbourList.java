package io.reelsense.stream.film;

import io.reelsense.stream.StoreSerde;
import java.util.Arrays;
import org.apache.kafka.common.serialization.Serde;

/**
 * A film's current nearest films (ids and cosine scores, best first, at most {@code k}), as kept in
 * the changelogged {@link FilmTopology#LISTS_STORE} and in memory by the film embedding processor,
 * so that a new film can be offered to every older film's list in the scan that finds its own.
 */
final class NeighbourList {

  private static final byte FORMAT = 1;

  private final String model;
  private final String[] ids;
  private final float[] scores;
  private int size;

  NeighbourList(String model, int k) {
    this.model = model;
    this.ids = new String[k];
    this.scores = new float[k];
  }

  /** The encoder whose vectors the scores come from. */
  String model() {
    return model;
  }

  /** The most films the list holds. */
  int k() {
    return ids.length;
  }

  /** Films in the list. */
  int size() {
    return size;
  }

  String id(int i) {
    return ids[i];
  }

  float score(int i) {
    return scores[i];
  }

  /** Whether a film is in the list. */
  boolean contains(String id) {
    for (int i = 0; i < size; i++) {
      if (ids[i].equals(id)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Puts a film in the list if it is among the best {@code k} (ties keep the films already there);
   * returns whether the list changed. The film must not be in the list already.
   */
  boolean offer(String id, float score) {
    int k = ids.length;
    if (k == 0 || (size == k && score <= scores[k - 1])) {
      return false;
    }
    int at = size < k ? size++ : k - 1;
    while (at > 0 && scores[at - 1] < score) {
      ids[at] = ids[at - 1];
      scores[at] = scores[at - 1];
      at--;
    }
    ids[at] = id;
    scores[at] = score;
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NeighbourList l
        && l.model.equals(model)
        && l.size == size
        && l.ids.length == ids.length
        && Arrays.equals(l.ids, 0, size, ids, 0, size)
        && Arrays.equals(l.scores, 0, size, scores, 0, size);
  }

  @Override
  public int hashCode() {
    return model.hashCode() * 31 + Arrays.hashCode(Arrays.copyOf(ids, size));
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(model).append('[');
    for (int i = 0; i < size; i++) {
      sb.append(i == 0 ? "" : ", ").append(ids[i]).append('=').append(scores[i]);
    }
    return sb.append(']').toString();
  }

  /** Serde of the store's values: a versioned binary layout (model, k, then id and score pairs). */
  static Serde<NeighbourList> serde() {
    return StoreSerde.of(
        "neighbour list",
        FORMAT,
        (l, out) -> {
          out.writeUTF(l.model);
          out.writeInt(l.k());
          out.writeInt(l.size);
          for (int i = 0; i < l.size; i++) {
            out.writeUTF(l.ids[i]);
            out.writeFloat(l.scores[i]);
          }
        },
        in -> {
          NeighbourList l = new NeighbourList(in.readUTF(), in.readInt());
          int n = in.readInt();
          for (int i = 0; i < n; i++) {
            l.ids[i] = in.readUTF();
            l.scores[i] = in.readFloat();
          }
          l.size = n;
          return l;
        });
  }
}
