package io.reelsense.stream.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An error answer of the embedded registry, thrown from inside an endpoint: Confluent's error code,
 * the HTTP status and a one-line message, cut to {@value #MAX_MESSAGE} characters so an answer
 * never echoes a whole schema.
 */
final class RegistryError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The longest message an answer carries. */
  static final int MAX_MESSAGE = 400;

  private final int code;
  private final int status;

  RegistryError(int code, String message) {
    this(code, RegistryProtocol.httpStatusOf(code), message);
  }

  RegistryError(int code, int status, String message) {
    super(shorten(message), null, false, false);
    this.code = code;
    this.status = status;
  }

  int status() {
    return status;
  }

  String body() {
    return body(code, getMessage());
  }

  static String body(int code, String message) {
    ObjectNode node = RegistryProtocol.JSON.createObjectNode();
    node.put("error_code", code);
    node.put("message", shorten(message));
    return node.toString();
  }

  /** {@code text} on one line, cut to {@value #MAX_MESSAGE} characters. */
  static String shorten(String text) {
    String line = text == null ? "" : text.replaceAll("[\\r\\n\\t]+", " ");
    if (line.length() <= MAX_MESSAGE) {
      return line;
    }
    return line.substring(0, MAX_MESSAGE) + "… (" + line.length() + " characters in all)";
  }
}
