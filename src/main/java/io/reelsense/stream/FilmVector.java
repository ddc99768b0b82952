package io.reelsense.stream;

import io.reelsense.model.similarity.FilmIndex;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

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
    Serializer<FilmVector> ser =
        (topic, v) -> {
          if (v == null) {
            return null;
          }
          try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(128 + v.vector.length * 4);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(FORMAT);
            out.writeUTF(v.filmId);
            out.writeUTF(v.title);
            out.writeInt(v.year);
            out.writeUTF(v.textKey);
            out.writeUTF(v.model);
            out.writeInt(v.vector.length);
            for (float x : v.vector) {
              out.writeFloat(x);
            }
            out.flush();
            return bytes.toByteArray();
          } catch (IOException e) {
            throw new SerializationException("cannot encode film vector", e);
          }
        };
    Deserializer<FilmVector> de =
        (topic, data) -> {
          if (data == null) {
            return null;
          }
          try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
            byte format = in.readByte();
            if (format != FORMAT) {
              throw new SerializationException("unknown film-vector format " + format);
            }
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
          } catch (IOException e) {
            throw new SerializationException("cannot decode film vector", e);
          }
        };
    return Serdes.serdeFrom(ser, de);
  }
}
