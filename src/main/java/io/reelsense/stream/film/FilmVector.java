package io.reelsense.stream.film;

import io.reelsense.model.similarity.FilmIndex;
import io.reelsense.stream.StoreSerde;
import org.apache.kafka.common.serialization.Serde;

/**
 * A film's vector as kept in the changelogged {@link FilmTopology#VECTORS_STORE}: what it was made
 * from ({@code textKey}, a hash of model and text) decides whether a film that arrives again must
 * be embedded again.
 *
 * @param filmId the film id
 * @param title the title
 * @param year the year, 0 when unknown
 * @param textKey {@link io.reelsense.model.similarity.FilmText#key} of the embedded text
 * @param model the encoder
 * @param vector the embedding
 */
public record FilmVector(
    String filmId, String title, int year, String textKey, String model, float[] vector) {

  private static final byte FORMAT = 1;

  /** The film as the in-memory index knows it. */
  public FilmIndex.Film entry() {
    return new FilmIndex.Film(filmId, title, year);
  }

  /** Serde of the store's values: a versioned binary layout. */
  public static Serde<FilmVector> serde() {
    return StoreSerde.of(
        "film vector",
        FORMAT,
        (v, out) -> {
          out.writeUTF(v.filmId);
          out.writeUTF(v.title);
          out.writeInt(v.year);
          out.writeUTF(v.textKey);
          out.writeUTF(v.model);
          out.writeInt(v.vector.length);
          for (float x : v.vector) {
            out.writeFloat(x);
          }
        },
        in -> {
          String id = in.readUTF();
          String title = in.readUTF();
          int year = in.readInt();
          String key = in.readUTF();
          String model = in.readUTF();
          float[] v = new float[in.readInt()];
          for (int i = 0; i < v.length; i++) {
            v[i] = in.readFloat();
          }
          return new FilmVector(id, title, year, key, model, v);
        });
  }
}
