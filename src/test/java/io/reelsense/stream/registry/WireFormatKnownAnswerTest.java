package io.reelsense.stream.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reelsense.avro.DeadLetter;
import io.reelsense.avro.Review;
import io.reelsense.avro.ReviewEmbedding;
import io.reelsense.avro.ScoredReview;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Known answers at the byte level: the expected bytes are written out by hand from the Avro
 * specification (zig-zag varints, union indexes, length-prefixed strings, little-endian IEEE 754
 * floats and doubles, blocked arrays) behind Confluent's 5-byte header.
 */
class WireFormatKnownAnswerTest {

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

  private static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }

  @Test
  void reviewEncodesToTheHandWrittenBytes() {
    Review review =
        Review.newBuilder()
            .setReviewId("r1")
            .setFilmId("tt7")
            .setText("Good!")
            .setSource(null)
            .setEventTime(Instant.ofEpochMilli(1000))
            .build();
    byte[] expected =
        bytes(
            0x00, // magic byte
            0x00, 0x00, 0x00, 0x01, // schema id 1, big-endian (first schema of a fresh registry)
            0x04, 'r', '1', // review_id: length 2 zig-zag = 4, then UTF-8
            0x02, 0x06, 't', 't', '7', // film_id: union branch 1 (string) = 2, length 3 = 6
            0x0a, 'G', 'o', 'o', 'd', '!', // text: length 5 = 10
            0x00, // source: union branch 0 (null)
            0x02, 0xd0, 0x0f); // event_time: branch 1; 1000 zig-zag = 2000 = 0x50|0x80, 0x0f

    byte[] actual = new AvroSerializer<Review>(client, false, true).serialize("reviews", review);

    assertThat(actual).containsExactly(expected);
    assertThat(client.subjects()).containsExactly("reviews-value");
    Review back = new AvroDeserializer<>(client, Review.class).deserialize("reviews", expected);
    assertThat(back).isEqualTo(review);
  }

  @Test
  void reviewWithoutOptionalFieldsUsesNullBranches() {
    Review review = Review.newBuilder().setReviewId("").setText("é").build();
    byte[] expected =
        bytes(
            0x00, 0x00, 0x00, 0x00, 0x01, // header, id 1
            0x00, // review_id: empty string
            0x00, // film_id: null
            0x04, 0xc3, 0xa9, // text: "é" is two UTF-8 bytes
            0x00, // source: null
            0x00); // event_time: null

    assertThat(new AvroSerializer<Review>(client, false, true).serialize("reviews", review))
        .containsExactly(expected);
  }

  @Test
  void scoredReviewEncodesIntsLongsAndDoubles() {
    ScoredReview scored =
        ScoredReview.newBuilder()
            .setReviewId("a")
            .setFilmId(null)
            .setLabel(1)
            .setLabelName("pos")
            .setPositiveProbability(0.75)
            .setRating(-2)
            .setRatingProbability(0.5)
            .setModelId("m")
            .setEventTime(null)
            .setReceivedAt(Instant.ofEpochMilli(64))
            .setScoredAt(Instant.ofEpochMilli(-1))
            .setBatchSize(300)
            .setInferenceMs(2.0)
            .build();
    byte[] expected =
        bytes(
            0x00, 0x00, 0x00, 0x00, 0x01, // header
            0x02, 'a', // review_id
            0x00, // film_id null
            0x02, // label 1 -> zig-zag 2
            0x06, 'p', 'o', 's', // label_name
            0, 0, 0, 0, 0, 0, 0xe8, 0x3f, // 0.75 = 0x3FE8000000000000, little-endian
            0x03, // rating -2 -> zig-zag 3
            0, 0, 0, 0, 0, 0, 0xe0, 0x3f, // 0.5 = 0x3FE0000000000000
            0x02, 'm', // model_id
            0x00, // event_time null
            0x80, 0x01, // received_at 64 -> zig-zag 128 -> 0x80 0x01
            0x01, // scored_at -1 -> zig-zag 1
            0xd8, 0x04, // batch_size 300 -> zig-zag 600 = 0x258 -> 0xd8 0x04
            0, 0, 0, 0, 0, 0, 0x00, 0x40); // 2.0 = 0x4000000000000000

    byte[] actual =
        new AvroSerializer<ScoredReview>(client, false, true).serialize("reviews-scored", scored);

    assertThat(actual).containsExactly(expected);
    assertThat(new AvroDeserializer<>(client, ScoredReview.class).deserialize("x", expected))
        .isEqualTo(scored);
  }

  @Test
  void embeddingEncodesABlockedFloatArray() {
    ReviewEmbedding embedding =
        ReviewEmbedding.newBuilder()
            .setReviewId("r")
            .setFilmId(null)
            .setModel("e")
            .setVector(List.of(1.0f, -2.5f))
            .build();
    byte[] expected =
        bytes(
            0x00, 0x00, 0x00, 0x00, 0x01, // header
            0x02, 'r', // review_id
            0x00, // film_id null
            0x02, 'e', // model
            0x04, // one block of 2 items
            0x00, 0x00, 0x80, 0x3f, // 1.0f = 0x3F800000, little-endian
            0x00, 0x00, 0x20, 0xc0, // -2.5f = 0xC0200000
            0x00); // end of array

    assertThat(
            new AvroSerializer<ReviewEmbedding>(client, false, true)
                .serialize("review-embeddings", embedding))
        .containsExactly(expected);
  }

  @Test
  void deadLetterEncodesBytesAndNegativeLongs() {
    DeadLetter letter =
        DeadLetter.newBuilder()
            .setTopic("t")
            .setPartition(3)
            .setOffset(-1)
            .setStage("s")
            .setReason("r")
            .setKey(ByteBuffer.wrap(new byte[] {1, 2}))
            .setValue(null)
            .setTime(Instant.ofEpochMilli(0))
            .build();
    byte[] expected =
        bytes(
            0x00, 0x00, 0x00, 0x00, 0x01, // header
            0x02, 't', // topic
            0x06, // partition 3 -> 6
            0x01, // offset -1 -> 1
            0x02, 's', // stage
            0x02, 'r', // reason
            0x02, 0x04, 0x01, 0x02, // key: branch 1 (bytes), length 2, bytes
            0x00, // value: null
            0x00); // time 0

    assertThat(new AvroSerializer<DeadLetter>(client, false, true).serialize("reviews-dlq", letter))
        .containsExactly(expected);
  }

  @Test
  void secondSchemaGetsIdTwoAndTheSameSchemaKeepsItsId() {
    AvroSerializer<Review> reviews = new AvroSerializer<>(client, false, true);
    AvroSerializer<DeadLetter> letters = new AvroSerializer<>(client, false, true);
    Review review = Review.newBuilder().setReviewId("").setText("").build();
    reviews.serialize("reviews", review);
    byte[] letter =
        letters.serialize(
            "reviews-dlq",
            DeadLetter.newBuilder()
                .setTopic("")
                .setPartition(0)
                .setOffset(0)
                .setStage("")
                .setReason("")
                .setTime(Instant.EPOCH)
                .build());
    byte[] sameSchemaOtherTopic = reviews.serialize("replayed-reviews", review);

    assertThat(letter).startsWith(bytes(0x00, 0x00, 0x00, 0x00, 0x02));
    assertThat(sameSchemaOtherTopic).startsWith(bytes(0x00, 0x00, 0x00, 0x00, 0x01));
  }

  @Test
  void schemaIdIsReadBigEndian() {
    assertThat(WireFormat.schemaId(bytes(0x00, 0x01, 0x02, 0x03, 0x04))).isEqualTo(0x01020304);
    assertThat(WireFormat.schemaId(bytes(0x00, 0x00, 0x00, 0x01, 0x02, 0x99))).isEqualTo(258);
  }

  @Test
  void keySubjectFollowsTopicNameStrategy() {
    assertThat(WireFormat.subject("reviews", true)).isEqualTo("reviews-key");
    assertThat(WireFormat.subject("reviews", false)).isEqualTo("reviews-value");
    new AvroSerializer<Review>(client, true, true)
        .serialize("reviews", Review.newBuilder().setReviewId("").setText("").build());
    assertThat(client.subjects()).containsExactly("reviews-key");
  }

  @Test
  void badBytesThrowSpecificExceptions() {
    AvroDeserializer<Review> deserializer = new AvroDeserializer<>(client, Review.class);
    new AvroSerializer<Review>(client, false, true)
        .serialize("reviews", Review.newBuilder().setReviewId("").setText("").build());

    assertThatThrownBy(() -> deserializer.deserialize("reviews", bytes(0x07, 0, 0, 0, 1, 0)))
        .isInstanceOf(UnknownMagicByteException.class)
        .hasMessage("unknown magic byte 0x07");
    assertThatThrownBy(() -> deserializer.deserialize("reviews", bytes(0xff)))
        .isInstanceOf(UnknownMagicByteException.class)
        .hasMessage("unknown magic byte 0xff");
    assertThatThrownBy(() -> deserializer.deserialize("reviews", bytes(0, 0, 0, 0, 42, 0)))
        .isInstanceOf(UnknownSchemaIdException.class)
        .hasMessage("unknown schema id 42");
    assertThatThrownBy(() -> deserializer.deserialize("reviews", bytes(0, 0, 0)))
        .isInstanceOf(TruncatedPayloadException.class)
        .hasMessageStartingWith("truncated Avro payload");
    assertThatThrownBy(() -> deserializer.deserialize("reviews", new byte[0]))
        .isInstanceOf(TruncatedPayloadException.class)
        .hasMessageStartingWith("truncated Avro payload");
    // review_id claims 5 bytes, only 2 follow
    assertThatThrownBy(() -> deserializer.deserialize("reviews", bytes(0, 0, 0, 0, 1, 0x0a, 'a')))
        .isInstanceOf(TruncatedPayloadException.class)
        .hasMessageStartingWith("truncated Avro payload");
    // header alone: the record is missing
    assertThatThrownBy(() -> deserializer.deserialize("reviews", bytes(0, 0, 0, 0, 1)))
        .isInstanceOf(TruncatedPayloadException.class);
    // negative string length
    assertThatThrownBy(() -> deserializer.deserialize("reviews", bytes(0, 0, 0, 0, 1, 0x01)))
        .isInstanceOf(MalformedPayloadException.class);
    // union branch 5 does not exist
    assertThatThrownBy(
            () -> deserializer.deserialize("reviews", bytes(0, 0, 0, 0, 1, 0x00, 0x0a, 0, 0, 0)))
        .isInstanceOf(MalformedPayloadException.class);
    // a whole record followed by garbage
    assertThatThrownBy(
            () -> deserializer.deserialize("reviews", bytes(0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0x33)))
        .isInstanceOf(MalformedPayloadException.class)
        .hasMessageContaining("trailing bytes");
    assertThat(deserializer.deserialize("reviews", bytes(0, 0, 0, 0, 1, 0, 0, 0, 0, 0)))
        .isEqualTo(Review.newBuilder().setReviewId("").setText("").build());
    assertThat(deserializer.deserialize("reviews", null)).isNull();
  }

  @Test
  void hostileLengthsAreRefusedBeforeAllocating() {
    AvroDeserializer<Review> reviews = new AvroDeserializer<>(client, Review.class);
    new AvroSerializer<Review>(client, false, true)
        .serialize("reviews", Review.newBuilder().setReviewId("").setText("").build());
    // review_id claims 2^30 bytes (zig-zag 2^31 = varint 80 80 80 80 08); one byte follows
    assertThatThrownBy(
            () ->
                reviews.deserialize(
                    "reviews", bytes(0, 0, 0, 0, 1, 0x80, 0x80, 0x80, 0x80, 0x08, 'a')))
        .isInstanceOf(TruncatedPayloadException.class)
        .hasMessageContaining("string of 1073741824 bytes but only 1 bytes left");

    AvroDeserializer<ReviewEmbedding> embeddings =
        new AvroDeserializer<>(client, ReviewEmbedding.class);
    new AvroSerializer<ReviewEmbedding>(client, false, true)
        .serialize(
            "review-embeddings",
            ReviewEmbedding.newBuilder().setReviewId("").setModel("").setVector(List.of()).build());
    // a vector block claiming 2^30 floats: Avro alone would allocate a 2^30-slot list first
    assertThatThrownBy(
            () ->
                embeddings.deserialize(
                    "review-embeddings",
                    bytes(
                        0, 0, 0, 0, 2, 0x00, 0x00, 0x00, 0x80, 0x80, 0x80, 0x80, 0x08, 0, 0, 0, 0)))
        .isInstanceOf(TruncatedPayloadException.class)
        .hasMessageContaining("block of 1073741824 items");
  }

  @Test
  void wireFormatExceptionsAreKafkaSerializationExceptions() {
    assertThatThrownBy(() -> WireFormat.schemaId(bytes(0x07)))
        .isInstanceOf(org.apache.kafka.common.errors.SerializationException.class)
        .isInstanceOf(WireFormatException.class)
        .satisfies(
            e ->
                assertThat(((WireFormatException) e).reason())
                    .isEqualTo("unknown magic byte 0x07"));
  }
}
