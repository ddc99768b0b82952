package io.reelsense.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reelsense.avro.Film;
import io.reelsense.avro.Review;
import io.reelsense.stream.film.PendingFilm;
import io.reelsense.stream.review.PendingReview;
import java.util.HexFormat;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

/** The buffers' binary layouts: they are in changelogs, so they must not change unnoticed. */
class PendingSerdeTest {

  private static final Review REVIEW =
      Review.newBuilder()
          .setReviewId("r1")
          .setFilmId("f1")
          .setText("a good film")
          .setSource("test")
          .setEventTime(null)
          .build();
  private static final PendingReview PENDING_REVIEW =
      new PendingReview(
          REVIEW, 11L, 22L, new Origin("reviews", 3, 44L, new byte[] {1, 2}, new byte[] {0, 9}));

  private static final Film FILM =
      Film.newBuilder()
          .setFilmId("f1")
          .setTitle("Kong")
          .setYear(1933)
          .setDescription("a giant ape")
          .setGenres(List.of("adventure"))
          .build();
  private static final PendingFilm PENDING_FILM =
      new PendingFilm(FILM, 22L, new Origin("films", 0, 5L, null, new byte[] {0, 7}));

  // written by the serdes as they were before they shared StoreSerde and Origin
  private static final String REVIEW_HEX =
      "01000000000000000b0000000000000016000772657669657773000000030000"
          + "00000000002c00000002010200000002000900000024c301324784af5a8f1b68"
          + "04723102046631166120676f6f642066696c6d02087465737400";
  private static final String FILM_HEX =
      "010000000000000016000566696c6d73000000000000000000000005ffffffff"
          + "0000000200070000002dc3012a083780af3100ac046631084b6f6e67029a1e16"
          + "61206769616e74206170650212616476656e7475726500";

  @Test
  void aPendingReviewKeepsItsLayout() {
    Serde<PendingReview> serde = PendingReview.serde();
    byte[] bytes = serde.serializer().serialize("t", PENDING_REVIEW);
    assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(REVIEW_HEX);
    PendingReview back = serde.deserializer().deserialize("t", HexFormat.of().parseHex(REVIEW_HEX));
    assertThat(back.review()).isEqualTo(REVIEW);
    assertThat(back.receivedAt()).isEqualTo(11L);
    assertThat(back.bufferedAt()).isEqualTo(22L);
    assertThat(back.origin().topic()).isEqualTo("reviews");
    assertThat(back.origin().partition()).isEqualTo(3);
    assertThat(back.origin().offset()).isEqualTo(44L);
    assertThat(back.origin().key()).containsExactly(1, 2);
    assertThat(back.origin().value()).containsExactly(0, 9);
  }

  @Test
  void aPendingFilmKeepsItsLayout() {
    Serde<PendingFilm> serde = PendingFilm.serde();
    byte[] bytes = serde.serializer().serialize("t", PENDING_FILM);
    assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(FILM_HEX);
    PendingFilm back = serde.deserializer().deserialize("t", HexFormat.of().parseHex(FILM_HEX));
    assertThat(back.film()).isEqualTo(FILM);
    assertThat(back.bufferedAt()).isEqualTo(22L);
    assertThat(back.origin().topic()).isEqualTo("films");
    assertThat(back.origin().partition()).isZero();
    assertThat(back.origin().offset()).isEqualTo(5L);
    assertThat(back.origin().key()).isNull();
    assertThat(back.origin().value()).containsExactly(0, 7);
  }

  @Test
  void nullStaysNullAndAnUnknownFormatIsNamed() {
    assertThat(PendingReview.serde().serializer().serialize("t", null)).isNull();
    assertThat(PendingFilm.serde().deserializer().deserialize("t", null)).isNull();
    assertThatThrownBy(() -> PendingFilm.serde().deserializer().deserialize("t", new byte[] {2}))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("pending")
        .hasMessageContaining("format 2");
    assertThatThrownBy(() -> PendingReview.serde().deserializer().deserialize("t", new byte[] {1}))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("cannot decode buffered review");
  }
}
