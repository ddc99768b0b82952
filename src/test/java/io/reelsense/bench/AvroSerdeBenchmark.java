package io.reelsense.bench;

import io.reelsense.avro.Review;
import io.reelsense.stream.registry.AvroSerdes;
import io.reelsense.stream.registry.EmbeddedSchemaRegistry;
import io.reelsense.stream.registry.SchemaRegistryClient;
import java.time.Instant;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Throughput of the registry-backed Avro serde on one thread: serializing and deserializing a
 * {@code Review} of about 1,000 characters, schema ids cached after the first record.
 *
 * <p>{@code mvn -o -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.reelsense.bench.AvroSerdeBenchmark [-Dexec.args=N]}
 */
public final class AvroSerdeBenchmark {

  private AvroSerdeBenchmark() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    String text = "A quietly devastating film about memory and regret; ".repeat(19);
    try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start()) {
      SchemaRegistryClient client = SchemaRegistryClient.of(registry.url());
      Serde<Review> serde = AvroSerdes.specific(client, Review.class, false);
      Serializer<Review> serializer = serde.serializer();
      Deserializer<Review> deserializer = serde.deserializer();
      Review[] reviews = new Review[1024];
      for (int i = 0; i < reviews.length; i++) {
        reviews[i] =
            Review.newBuilder()
                .setReviewId("r-" + i)
                .setFilmId("tt" + (1000000 + i))
                .setText(text)
                .setSource("bench")
                .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L + i))
                .build();
      }
      byte[][] encoded = new byte[reviews.length][];
      for (int round = 0; round < 2; round++) {
        long bytes = 0;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
          byte[] b = serializer.serialize("reviews", reviews[i & 1023]);
          encoded[i & 1023] = b;
          bytes += b.length;
        }
        double serSeconds = (System.nanoTime() - start) / 1e9;
        long checksum = 0;
        start = System.nanoTime();
        for (int i = 0; i < n; i++) {
          checksum += deserializer.deserialize("reviews", encoded[i & 1023]).getText().length();
        }
        double deSeconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(
            "%s: %d reviews of %d bytes: serialize %.0f records/s (%.1f MB/s), deserialize %.0f"
                + " records/s (checksum %d)%n",
            round == 0 ? "warm-up" : "measured",
            n,
            bytes / n,
            n / serSeconds,
            bytes / serSeconds / 1e6,
            n / deSeconds,
            checksum);
      }
    }
  }
}
