package io.reelsense.train;

/**
 * What an ensemble's combination (stacking heads or average weights) is fitted on: the IMDb
 * validation reviews alone, or those and the out-of-domain sets marked {@link
 * io.reelsense.data.OutOfDomainSets.Role#TUNING} (the sets marked reported are never used to fit or
 * choose anything).
 */
public enum TuningMix {
  /** The IMDb validation reviews only. */
  IMDB("imdb"),
  /** The IMDb validation reviews and the out-of-domain sets marked for tuning. */
  OUT_OF_DOMAIN("out-of-domain");

  private final String label;

  TuningMix(String label) {
    this.label = label;
  }

  /** The name on the command line and in the manifest. */
  public String label() {
    return label;
  }

  /** The mix of a label; an error listing the labels otherwise. */
  public static TuningMix parse(String label) {
    for (TuningMix t : values()) {
      if (t.label.equals(label)) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "unknown tuning mix '" + label + "' (imdb or out-of-domain)");
  }
}
