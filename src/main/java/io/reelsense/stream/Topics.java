package io.reelsense.stream;

import io.reelsense.avro.DeadLetter;
import io.reelsense.avro.Film;
import io.reelsense.avro.FilmEmbedding;
import io.reelsense.avro.FilmNeighbours;
import io.reelsense.avro.Review;
import io.reelsense.avro.ReviewEmbedding;
import io.reelsense.avro.ScoredReview;
import io.reelsense.stream.registry.AvroSerdes;
import io.reelsense.stream.registry.SchemaRegistryClient;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Every topic of reelsense by name, with the serdes of its keys and values, in one place. Keys are
 * the review or film id as a UTF-8 string; values are Avro records in the Confluent wire format
 * (made by an {@link AvroSerdeFactory}, the schema registry's serde in production).
 *
 * @param reviews input reviews ({@link Review}); consumed as raw bytes by the topology
 * @param reviewsScored scores ({@link ScoredReview})
 * @param reviewEmbeddings review vectors ({@link ReviewEmbedding})
 * @param reviewsDlq records that could not be processed ({@link DeadLetter})
 * @param films the film catalogue ({@link Film})
 * @param filmEmbeddings film vectors ({@link FilmEmbedding})
 * @param filmNeighbours nearest films ({@link FilmNeighbours})
 */
public record Topics(
    String reviews,
    String reviewsScored,
    String reviewEmbeddings,
    String reviewsDlq,
    String films,
    String filmEmbeddings,
    String filmNeighbours) {

  public static final String REVIEWS = "reviews";
  public static final String REVIEWS_SCORED = "reviews-scored";
  public static final String REVIEW_EMBEDDINGS = "review-embeddings";
  public static final String REVIEWS_DLQ = "reviews-dlq";
  public static final String FILMS = "films";
  public static final String FILM_EMBEDDINGS = "film-embeddings";
  public static final String FILM_NEIGHBOURS = "film-neighbours";

  /** The default names. */
  public static Topics defaults() {
    return new Topics(
        REVIEWS,
        REVIEWS_SCORED,
        REVIEW_EMBEDDINGS,
        REVIEWS_DLQ,
        FILMS,
        FILM_EMBEDDINGS,
        FILM_NEIGHBOURS);
  }

  /** Every topic name, input first. */
  public List<String> all() {
    return List.of(
        reviews,
        reviewsScored,
        reviewEmbeddings,
        reviewsDlq,
        films,
        filmEmbeddings,
        filmNeighbours);
  }

  /** Serde of every record key: the review or film id as UTF-8. */
  public static Serde<String> keySerde() {
    return Serdes.String();
  }

  /** Makes value serdes of generated Avro classes (the registry's wire-format serde). */
  public interface AvroSerdeFactory {
    <T extends SpecificRecord> Serde<T> valueSerde(Class<T> type);
  }

  /**
   * Value serdes in the Confluent wire format backed by the schema registry behind {@code client}
   * (subjects by TopicNameStrategy, schemas registered on first use, ids cached).
   */
  public static AvroSerdeFactory registry(SchemaRegistryClient client) {
    return new AvroSerdeFactory() {
      @Override
      public <T extends SpecificRecord> Serde<T> valueSerde(Class<T> type) {
        return AvroSerdes.specific(client, type, false);
      }
    };
  }

  /** The value serdes of every topic, made by one factory. */
  public record ValueSerdes(
      Serde<Review> review,
      Serde<ScoredReview> scored,
      Serde<ReviewEmbedding> embedding,
      Serde<DeadLetter> deadLetter,
      Serde<Film> film,
      Serde<FilmEmbedding> filmEmbedding,
      Serde<FilmNeighbours> filmNeighbours) {

    public static ValueSerdes of(AvroSerdeFactory factory) {
      return new ValueSerdes(
          factory.valueSerde(Review.class),
          factory.valueSerde(ScoredReview.class),
          factory.valueSerde(ReviewEmbedding.class),
          factory.valueSerde(DeadLetter.class),
          factory.valueSerde(Film.class),
          factory.valueSerde(FilmEmbedding.class),
          factory.valueSerde(FilmNeighbours.class));
    }
  }
}
