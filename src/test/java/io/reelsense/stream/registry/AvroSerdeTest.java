package io.reelsense.stream.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reelsense.avro.DeadLetter;
import io.reelsense.avro.FilmNeighbour;
import io.reelsense.avro.FilmNeighbours;
import io.reelsense.avro.Review;
import io.reelsense.avro.ScoredReview;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Round trips through the serde, schema evolution, and the registry-side failure modes. */
class AvroSerdeTest {

  private EmbeddedSchemaRegistry registry;
  private SchemaRegistryClient client;

  @BeforeEach
  void start() {
    registry = EmbeddedSchemaRegistry.start();
    client = SchemaRegistryClient.of(registry.url());
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  private static Review review() {
    return Review.newBuilder()
        .setReviewId("r-42")
        .setFilmId("tt0111161")
        .setText("Hope is a good thing, maybe the best of things. ✓")
        .setSource("imdb")
        .setEventTime(Instant.parse("2024-05-01T12:34:56.789Z"))
        .build();
  }

  @Test
  void specificRecordsRoundTrip() {
    Serde<Review> reviews = AvroSerdes.specific(client, Review.class, false);
    Serde<ScoredReview> scored = AvroSerdes.specific(client, ScoredReview.class, false);
    Serde<DeadLetter> letters = AvroSerdes.specific(client, DeadLetter.class, false);
    Serde<FilmNeighbours> neighbours = AvroSerdes.specific(client, FilmNeighbours.class, false);

    Review review = review();
    ScoredReview score =
        ScoredReview.newBuilder()
            .setReviewId("r-42")
            .setFilmId("tt0111161")
            .setLabel(1)
            .setLabelName("positive")
            .setPositiveProbability(0.987)
            .setRating(9)
            .setRatingProbability(0.41)
            .setModelId("baseline@3")
            .setEventTime(Instant.ofEpochMilli(1))
            .setReceivedAt(Instant.ofEpochMilli(2))
            .setScoredAt(Instant.ofEpochMilli(3))
            .setBatchSize(64)
            .setInferenceMs(12.5)
            .build();
    DeadLetter letter =
        DeadLetter.newBuilder()
            .setTopic("reviews")
            .setPartition(2)
            .setOffset(123456789012L)
            .setStage("deserialize")
            .setReason("unknown magic byte 0x07")
            .setKey(ByteBuffer.wrap("k".getBytes()))
            .setValue(ByteBuffer.wrap(new byte[] {7, 0, 1}))
            .setTime(Instant.ofEpochMilli(1_700_000_000_000L))
            .build();
    FilmNeighbours near =
        FilmNeighbours.newBuilder()
            .setFilmId("tt1")
            .setModel("bge-small")
            .setNeighbours(
                List.of(
                    new FilmNeighbour("tt2", "Two", 0.9), new FilmNeighbour("tt3", "Three", 0.5)))
            .build();

    assertThat(roundTrip(reviews, "reviews", review)).isEqualTo(review);
    assertThat(roundTrip(scored, "reviews-scored", score)).isEqualTo(score);
    assertThat(roundTrip(letters, "reviews-dlq", letter)).isEqualTo(letter);
    assertThat(roundTrip(neighbours, "film-neighbours", near)).isEqualTo(near);
    assertThat(client.subjects())
        .containsExactly(
            "film-neighbours-value", "reviews-dlq-value", "reviews-scored-value", "reviews-value");
  }

  private static <T> T roundTrip(Serde<T> serde, String topic, T value) {
    byte[] bytes = serde.serializer().serialize(topic, value);
    assertThat(bytes[0]).isEqualTo(WireFormat.MAGIC_BYTE);
    return serde.deserializer().deserialize(topic, bytes);
  }

  @Test
  void genericReaderSeesTheWriterSchema() {
    byte[] bytes =
        AvroSerdes.specific(client, Review.class, false)
            .serializer()
            .serialize("reviews", review());

    GenericRecord generic = AvroDeserializer.generic(client).deserialize("reviews", bytes);

    assertThat(generic.getSchema().getFullName()).isEqualTo("io.reelsense.avro.Review");
    assertThat(generic.get("review_id").toString()).isEqualTo("r-42");
    assertThat(generic.get("source").toString()).isEqualTo("imdb");
    assertThat(generic.get("event_time")).isEqualTo(1714566896789L);
  }

  @Test
  void genericRecordsSerializeAndReadAsSpecific() {
    GenericRecord record = new GenericData.Record(Review.getClassSchema());
    record.put("review_id", "g1");
    record.put("film_id", null);
    record.put("text", "generic");
    record.put("source", null);
    record.put("event_time", 5L);
    Serde<GenericRecord> generic = AvroSerdes.generic(client, false, true);

    byte[] bytes = generic.serializer().serialize("reviews", record);
    Review review = new AvroDeserializer<>(client, Review.class).deserialize("reviews", bytes);

    assertThat(review.getReviewId()).isEqualTo("g1");
    assertThat(review.getEventTime()).isEqualTo(Instant.ofEpochMilli(5));
    assertThat(generic.deserializer().deserialize("reviews", bytes)).isEqualTo(record);
  }

  @Test
  void olderWriterSchemaResolvesIntoTheNewReader() {
    // an earlier Review without source and event_time, written by an old producer
    Schema v1 =
        SchemaBuilder.record("Review")
            .namespace("io.reelsense.avro")
            .fields()
            .requiredString("review_id")
            .optionalString("film_id")
            .requiredString("text")
            .endRecord();
    GenericRecord old = new GenericData.Record(v1);
    old.put("review_id", "old-1");
    old.put("film_id", "tt9");
    old.put("text", "written long ago");
    byte[] bytes = AvroSerdes.generic(client, false, true).serializer().serialize("reviews", old);

    Review review = new AvroDeserializer<>(client, Review.class).deserialize("reviews", bytes);

    assertThat(review.getReviewId()).isEqualTo("old-1");
    assertThat(review.getFilmId()).isEqualTo("tt9");
    assertThat(review.getSource()).isNull();
    assertThat(review.getEventTime()).isNull();
    // and the current Review schema is a BACKWARD-compatible next version of that subject
    assertThat(client.isCompatible("reviews-value", Review.getClassSchema())).isTrue();
    assertThat(client.register("reviews-value", Review.getClassSchema())).isEqualTo(2);
  }

  @Test
  void unreadableWriterSchemaIsASchemaMismatch() {
    Schema unrelated =
        SchemaBuilder.record("Review")
            .namespace("io.reelsense.avro")
            .fields()
            .requiredInt("review_id")
            .endRecord();
    GenericRecord record = new GenericData.Record(unrelated);
    record.put("review_id", 7);
    byte[] bytes =
        AvroSerdes.generic(client, false, true).serializer().serialize("elsewhere", record);

    AvroDeserializer<Review> deserializer = new AvroDeserializer<>(client, Review.class);
    assertThatThrownBy(() -> deserializer.deserialize("reviews", bytes))
        .isInstanceOf(SchemaMismatchException.class)
        .hasMessageStartingWith("writer schema 1 cannot be read as io.reelsense.avro.Review");
    // cached: the same answer again
    assertThatThrownBy(() -> deserializer.deserialize("reviews", bytes))
        .isInstanceOf(SchemaMismatchException.class);
  }

  @Test
  void withoutAutoRegisterTheSchemaMustExist() {
    Serializer<Review> strict = new AvroSerializer<>(client, false, false);
    assertThatThrownBy(() -> strict.serialize("reviews", review()))
        .isInstanceOf(SerializationException.class)
        .isNotInstanceOf(WireFormatException.class)
        .hasMessageContaining("reviews-value")
        .hasMessageContaining("40401");

    int id = client.register("reviews-value", Review.getClassSchema());
    byte[] bytes = new AvroSerializer<Review>(client, false, false).serialize("reviews", review());
    assertThat(WireFormat.schemaId(bytes)).isEqualTo(id);
  }

  @Test
  void incompatibleSchemaIsNotRegistered() {
    Schema required =
        SchemaBuilder.record("Review")
            .namespace("io.reelsense.avro")
            .fields()
            .requiredString("review_id")
            .requiredString("text")
            .requiredString("language")
            .endRecord();
    client.register("reviews-value", Review.getClassSchema());
    GenericRecord record = new GenericData.Record(required);
    record.put("review_id", "x");
    record.put("text", "y");
    record.put("language", "en");

    assertThatThrownBy(
            () -> AvroSerdes.generic(client, false, true).serializer().serialize("reviews", record))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("409");
  }

  @Test
  void registryOutageIsNotAWireFormatError() {
    byte[] bytes =
        AvroSerdes.specific(client, Review.class, false)
            .serializer()
            .serialize("reviews", review());
    SchemaRegistryClient cold = SchemaRegistryClient.of(registry.url());
    registry.close();

    assertThatThrownBy(
            () -> new AvroDeserializer<>(cold, Review.class).deserialize("reviews", bytes))
        .isInstanceOf(SerializationException.class)
        .isNotInstanceOf(WireFormatException.class)
        .hasCauseInstanceOf(SchemaRegistryException.class);
    registry = EmbeddedSchemaRegistry.start();
  }

  @Test
  void nullsPassThrough() {
    Serde<Review> serde = AvroSerdes.specific(client, Review.class, false);
    assertThat(serde.serializer().serialize("reviews", null)).isNull();
    assertThat(serde.deserializer().deserialize("reviews", null)).isNull();
    assertThat(client.subjects()).isEmpty();
  }

  @Test
  void kafkaStyleConfigurationBuildsTheClient() {
    Map<String, Object> config =
        Map.of(
            SchemaRegistryClient.URL_CONFIG, registry.url(),
            AvroSerializer.AUTO_REGISTER_CONFIG, "true",
            AvroDeserializer.SPECIFIC_READER_CONFIG, "true");
    try (Serializer<Review> serializer = new AvroSerializer<>();
        Deserializer<Object> deserializer = new AvroDeserializer<>()) {
      serializer.configure(config, true);
      deserializer.configure(config, true);

      byte[] bytes = serializer.serialize("reviews", review());
      assertThat(deserializer.deserialize("reviews", bytes)).isEqualTo(review());
      assertThat(client.subjects()).containsExactly("reviews-key");
    }
  }

  @Test
  void unconfiguredSerdeSaysSo() {
    assertThatThrownBy(() -> new AvroSerializer<Review>().serialize("reviews", review()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("configure");
  }
}
