package io.reelsense.eval.reliability;

import io.reelsense.avro.Review;
import java.util.ArrayList;
import java.util.List;

/** Avro reviews for the scenarios. */
final class ReviewText {

  private ReviewText() {}

  /** A review with only an id and a text. */
  static Review review(String id, String text) {
    return Review.newBuilder().setReviewId(id).setText(text).setSource("reliability").build();
  }

  /** The data set's reviews as Avro reviews with their ids and film ids. */
  static List<Review> of(List<io.reelsense.data.Review> reviews) {
    List<Review> out = new ArrayList<>(reviews.size());
    for (io.reelsense.data.Review r : reviews) {
      out.add(
          Review.newBuilder()
              .setReviewId(r.id())
              .setFilmId(r.filmId())
              .setText(r.text())
              .setSource("reliability")
              .build());
    }
    return out;
  }
}
