package io.reelsense.model.similarity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What of a film an encoder embeds, in one place for the offline index and the stream: the title, a
 * full stop and the description. The title keeps films with a short description apart and lets a
 * query by title words land on the film.
 */
public final class FilmText {

  private FilmText() {}

  /** {@code Title. Description}. */
  public static String of(String title, String description) {
    return title + ". " + description;
  }

  /**
   * SHA-256 (hex, 32 characters) of a model name and a text: the same text embedded by the same
   * model gives the same vector, so a film whose key is unchanged need not be embedded again.
   */
  public static String key(String model, String text) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(model.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest()).substring(0, 32);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256 in this JVM", e);
    }
  }
}
