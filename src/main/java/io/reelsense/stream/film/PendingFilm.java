package io.reelsense.stream.film;

import io.reelsense.avro.Film;
import io.reelsense.stream.Origin;
import io.reelsense.stream.StoreSerde;
import org.apache.kafka.common.serialization.Serde;

/**
 * A valid film on its way to the embedder (through the single-partition repartition topic and the
 * film micro-batch buffer), with where it came from, so that a failed batch can dead-letter the
 * original bytes.
 *
 * @param film the decoded film
 * @param bufferedAt wall-clock time it was accepted, epoch ms
 * @param origin the input record
 */
public record PendingFilm(Film film, long bufferedAt, Origin origin) {

  private static final byte FORMAT = 1;

  /** Serde of the repartition topic and the buffer: a versioned binary layout. */
  public static Serde<PendingFilm> serde() {
    return StoreSerde.of(
        "pending film",
        FORMAT,
        (p, out) -> {
          out.writeLong(p.bufferedAt);
          p.origin.write(out);
          StoreSerde.writeAvro(out, p.film.toByteBuffer());
        },
        in -> {
          long bufferedAt = in.readLong();
          Origin origin = Origin.read(in);
          return new PendingFilm(Film.fromByteBuffer(StoreSerde.readAvro(in)), bufferedAt, origin);
        });
  }
}
