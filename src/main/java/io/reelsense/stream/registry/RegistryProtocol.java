package io.reelsense.stream.registry;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Constants of Confluent's Schema Registry REST protocol, shared by client and server. */
public final class RegistryProtocol {

  /** The content type of every request and answer. */
  public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

  /** The {@code Accept} header the client sends (the one Confluent's own client sends). */
  public static final String ACCEPT =
      "application/vnd.schemaregistry.v1+json,"
          + " application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";

  /** Subject not found. */
  public static final int SUBJECT_NOT_FOUND = 40401;

  /** Version not found. */
  public static final int VERSION_NOT_FOUND = 40402;

  /** Schema not found. */
  public static final int SCHEMA_NOT_FOUND = 40403;

  /** The subject has no subject-level compatibility configured. */
  public static final int SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED = 40408;

  /** The schema is incompatible with an earlier schema of the subject. */
  public static final int INCOMPATIBLE = 409;

  /** The schema could not be parsed. */
  public static final int INVALID_SCHEMA = 42201;

  /** The version is neither a positive integer nor {@code latest}. */
  public static final int INVALID_VERSION = 42202;

  /** The compatibility level is not one of {@link CompatibilityLevel}. */
  public static final int INVALID_COMPATIBILITY_LEVEL = 42203;

  /** The operation would pass one of the registry's limits (subjects, versions per subject). */
  public static final int OPERATION_NOT_PERMITTED = 42205;

  /** An unexpected error in the registry's storage or code. */
  public static final int INTERNAL_ERROR = 50001;

  /**
   * The media types a request body may have, as Confluent's registry accepts them ({@code
   * application/octet-stream} is its generic type, read as JSON).
   */
  public static final java.util.List<String> REQUEST_MEDIA_TYPES =
      java.util.List.of(
          CONTENT_TYPE,
          "application/vnd.schemaregistry+json",
          "application/json",
          "application/octet-stream");

  /** The Avro schema type name (the default, omitted from requests and answers). */
  public static final String AVRO = "AVRO";

  static final ObjectMapper JSON = new ObjectMapper();

  private RegistryProtocol() {}

  /** The HTTP status that carries {@code errorCode}: its first three digits, or itself. */
  public static int httpStatusOf(int errorCode) {
    return errorCode >= 10000 ? errorCode / 100 : errorCode;
  }
}
