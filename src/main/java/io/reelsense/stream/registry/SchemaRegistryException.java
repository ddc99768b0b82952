package io.reelsense.stream.registry;

/**
 * An error answered by a schema registry ({@code {"error_code":…,"message":…}}) or a failure to
 * reach it.
 *
 * <p>{@link #errorCode()} is Confluent's code: {@value RegistryProtocol#SUBJECT_NOT_FOUND} subject
 * not found, {@value RegistryProtocol#VERSION_NOT_FOUND} version not found, {@value
 * RegistryProtocol#SCHEMA_NOT_FOUND} schema not found, {@value RegistryProtocol#INCOMPATIBLE}
 * incompatible schema, {@value RegistryProtocol#INVALID_SCHEMA} invalid schema, {@value
 * RegistryProtocol#INVALID_VERSION} invalid version, and so on; {@value #UNREACHABLE} when no
 * answer came back at all.
 */
public class SchemaRegistryException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The {@link #errorCode()} of a registry that could not be reached (no HTTP answer). */
  public static final int UNREACHABLE = -1;

  private final int errorCode;
  private final int httpStatus;

  public SchemaRegistryException(int errorCode, int httpStatus, String message) {
    super(message);
    this.errorCode = errorCode;
    this.httpStatus = httpStatus;
  }

  public SchemaRegistryException(String message, Throwable cause) {
    super(message, cause);
    this.errorCode = UNREACHABLE;
    this.httpStatus = 0;
  }

  /** Confluent's error code, e.g. 40401; {@link #UNREACHABLE} when there was no answer. */
  public int errorCode() {
    return errorCode;
  }

  /** The HTTP status of the answer; 0 when there was no answer. */
  public int httpStatus() {
    return httpStatus;
  }

  /** Whether this is one of the "not found" answers (HTTP 404). */
  public boolean isNotFound() {
    return httpStatus == 404;
  }

  @Override
  public String getMessage() {
    return super.getMessage() + " (error code " + errorCode + ")";
  }

  /** The registry's message alone, without the error code. */
  public String registryMessage() {
    return super.getMessage();
  }
}
