package io.reelsense.stream;

import io.reelsense.avro.Film;
import org.apache.kafka.common.serialization.Serde;

/**
 * A valid film on its way to the embedder (through the single-partition repartition topic and the
 * film micro-batch buffer), with where it came from, so that a failed batch can dead-letter the
 * original bytes.
 *
 * @param film the decoded film
 * @param bufferedAt wall-clock time it was accepted, epoch ms
 * @param topic input topic
 * @param partition input partition
 * @param offset input offset
 * @param key original key bytes, may be null
 * @param value original value bytes
 */
public record PendingFilm(
    Film film,
    long bufferedAt,
    String topic,
    int partition,
    long offset,
    byte[] key,
    byte[] value) {

  private static final byte FORMAT = 1;

  /** Serde of the repartition topic and the buffer: a versioned binary layout. */
  public static Serde<PendingFilm> serde() {
    return StoreSerde.of(
        "pending film",
        FORMAT,
        (p, out) -> {
          out.writeLong(p.bufferedAt);
          new StoreSerde.Source(
                  p.topic, p.partition, p.offset, p.key, p.value, p.film.toByteBuffer())
              .write(out);
        },
        in -> {
          long bufferedAt = in.readLong();
          StoreSerde.Source s = StoreSerde.Source.read(in);
          return new PendingFilm(
              Film.fromByteBuffer(s.avro()),
              bufferedAt,
              s.topic(),
              s.partition(),
              s.offset(),
              s.key(),
              s.value());
        });
  }
}
