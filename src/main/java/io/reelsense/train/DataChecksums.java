package io.reelsense.train;

import io.reelsense.data.ImdbCorpus;
import io.reelsense.data.Review;
import io.reelsense.model.bundle.Bundles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** The sha256 of the data a model was trained on, as recorded in bundle manifests. */
public final class DataChecksums {

  private DataChecksums() {}

  /**
   * For an archive, its sha256 by file name; for an unpacked folder, the sha256 of the reviews as
   * read (each review's id, rating and text in reading order) under {@code <folder>/ (reviews)}.
   */
  public static Map<String, String> of(Path imdb, ImdbCorpus corpus) throws IOException {
    Map<String, String> sums = new LinkedHashMap<>();
    if (Files.isRegularFile(imdb)) {
      sums.put(imdb.getFileName().toString(), Bundles.sha256(imdb));
    } else {
      sums.put(imdb.getFileName() + "/ (reviews)", ofReviews(corpus));
    }
    return sums;
  }

  static String ofReviews(ImdbCorpus corpus) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
    for (Review r : corpus.all()) {
      digest.update((r.id() + "\t" + r.rating() + "\t").getBytes(StandardCharsets.UTF_8));
      digest.update(r.text().getBytes(StandardCharsets.UTF_8));
      digest.update((byte) '\n');
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
