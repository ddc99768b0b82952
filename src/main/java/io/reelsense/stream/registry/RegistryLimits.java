package io.reelsense.stream.registry;

/**
 * What an {@link EmbeddedSchemaRegistry} accepts: a request body of at most {@code maxRequestBytes}
 * bytes (checked against {@code Content-Length} before reading, and while reading a chunked body),
 * a schema of at most {@code maxSchemaChars} characters, at most {@code maxSubjects} subjects and
 * {@code maxVersionsPerSubject} versions in each.
 */
public record RegistryLimits(
    int maxRequestBytes, int maxSchemaChars, int maxSubjects, int maxVersionsPerSubject) {

  /** 4 MiB requests, 1 Mi-character schemas, 10 000 subjects, 1 000 versions per subject. */
  public static final RegistryLimits DEFAULT = new RegistryLimits(4 << 20, 1 << 20, 10_000, 1_000);

  public RegistryLimits {
    if (maxRequestBytes < 1 || maxSchemaChars < 1 || maxSubjects < 1 || maxVersionsPerSubject < 1) {
      throw new IllegalArgumentException("registry limits must be positive");
    }
  }
}
