package io.reelsense.train;

import io.reelsense.data.Review;
import io.reelsense.model.tokenizer.BertTokenizer;
import io.reelsense.model.tokenizer.Truncation;
import io.reelsense.text.CleaningProfile;
import java.util.ArrayList;
import java.util.List;

/** Data preparation of fine-tuning: reviews cleaned, tokenized and labelled for the loop. */
final class FineTuneData {

  private FineTuneData() {}

  /** Tokenized reviews with their labels. */
  record Encoded(List<long[]> ids, int[] lengths, int[] labels, int[] stars) {
    int size() {
      return ids.size();
    }
  }

  static Encoded encode(
      BertTokenizer tokenizer,
      List<Review> reviews,
      FineTuneOptions o,
      Truncation truncation,
      Progress progress,
      String task) {
    List<String> texts = new ArrayList<>(reviews.size());
    CleaningProfile profile = o.cleaning();
    try (Progress.Bar bar = progress.start(task, reviews.size())) {
      for (Review r : reviews) {
        texts.add(profile == CleaningProfile.NONE ? r.text() : profile.cleaner().clean(r.text()));
      }
      List<long[]> ids = tokenizer.encodeAll(texts, truncation);
      bar.step(reviews.size());
      int[] lengths = ids.stream().mapToInt(a -> a.length).toArray();
      int[] labels = new int[reviews.size()];
      int[] stars = new int[reviews.size()];
      for (int i = 0; i < reviews.size(); i++) {
        Review r = reviews.get(i);
        if (r.label() == null) {
          throw new IllegalArgumentException("review " + r.id() + " has no label");
        }
        labels[i] = r.label();
        if (o.task().rating() && r.rating() == null) {
          throw new IllegalArgumentException("review " + r.id() + " has no rating");
        }
        stars[i] = r.rating() == null ? 0 : r.rating();
      }
      return new Encoded(ids, lengths, labels, stars);
    }
  }

  /** The index of a star rating among {@link Evaluation#STAR_CLASSES}. */
  static int starIndex(int stars) {
    int[] classes = Evaluation.STAR_CLASSES;
    for (int i = 0; i < classes.length; i++) {
      if (classes[i] == stars) {
        return i;
      }
    }
    throw new IllegalArgumentException("rating " + stars + " is not one of the IMDb star classes");
  }
}
