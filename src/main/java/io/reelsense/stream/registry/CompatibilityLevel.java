package io.reelsense.stream.registry;

import java.util.Locale;

/** The compatibility levels of Confluent's Schema Registry, by their wire names. */
public enum CompatibilityLevel {
  /** Any change is accepted. */
  NONE(false, false, false),
  /** The new schema can read data written with the latest registered schema (the default). */
  BACKWARD(true, false, false),
  /** The new schema can read data written with every registered schema. */
  BACKWARD_TRANSITIVE(true, false, true),
  /** The latest registered schema can read data written with the new schema. */
  FORWARD(false, true, false),
  /** Every registered schema can read data written with the new schema. */
  FORWARD_TRANSITIVE(false, true, true),
  /** Both {@link #BACKWARD} and {@link #FORWARD} against the latest schema. */
  FULL(true, true, false),
  /** Both {@link #BACKWARD} and {@link #FORWARD} against every registered schema. */
  FULL_TRANSITIVE(true, true, true);

  private final boolean backward;
  private final boolean forward;
  private final boolean transitive;

  CompatibilityLevel(boolean backward, boolean forward, boolean transitive) {
    this.backward = backward;
    this.forward = forward;
    this.transitive = transitive;
  }

  /** Whether the new schema must read data written with the older ones. */
  public boolean backward() {
    return backward;
  }

  /** Whether the older schemas must read data written with the new one. */
  public boolean forward() {
    return forward;
  }

  /** Whether the check covers every registered version rather than only the latest. */
  public boolean transitive() {
    return transitive;
  }

  /**
   * The level named {@code name} (case-insensitive, as Confluent accepts it).
   *
   * @throws IllegalArgumentException naming the valid values when {@code name} is not a level
   */
  public static CompatibilityLevel parse(String name) {
    if (name != null) {
      for (CompatibilityLevel level : values()) {
        if (level.name().equals(name.trim().toUpperCase(Locale.ROOT))) {
          return level;
        }
      }
    }
    throw new IllegalArgumentException(
        "Invalid compatibility level '"
            + name
            + "'. Valid values are none, backward, forward, full, backward_transitive,"
            + " forward_transitive, and full_transitive");
  }
}
