package io.reelsense.stream.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's HTTP side: checks each request (body size against {@link RegistryLimits} before
 * reading it, {@code Content-Type} among {@link RegistryProtocol#REQUEST_MEDIA_TYPES}, well-formed
 * %-escapes), routes it to a {@link RegistryService} endpoint and answers Confluent's JSON. A
 * client's mistake gets a 4xx with a one-line message and at most a DEBUG log line; only the
 * registry's own failures are logged as warnings.
 */
final class RegistryHttpHandler implements HttpHandler {

  private static final Logger LOG = LoggerFactory.getLogger(RegistryHttpHandler.class);

  private final RegistryService service;
  private final RegistryLimits limits;

  RegistryHttpHandler(RegistryService service, RegistryLimits limits) {
    this.service = service;
    this.limits = limits;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      int status;
      String body;
      try {
        Answer answer = route(exchange);
        status = answer.status;
        body = answer.body;
      } catch (RegistryError e) {
        LOG.debug(
            "{} {} answered {}: {}",
            exchange.getRequestMethod(),
            RegistryError.shorten(exchange.getRequestURI().getRawPath()),
            e.status(),
            e.getMessage());
        status = e.status();
        body = e.body();
      } catch (RuntimeException e) {
        LOG.warn(
            "embedded schema registry failed on {} {}",
            exchange.getRequestMethod(),
            RegistryError.shorten(exchange.getRequestURI().getRawPath()),
            e);
        status = RegistryProtocol.httpStatusOf(RegistryProtocol.INTERNAL_ERROR);
        body = RegistryError.body(RegistryProtocol.INTERNAL_ERROR, "Internal error: " + e);
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", RegistryProtocol.CONTENT_TYPE);
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private Answer route(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    List<String> path = segments(exchange.getRequestURI().getRawPath());
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    int n = path.size();
    String head = n == 0 ? "" : path.get(0);
    switch (head) {
      case "":
        if (n == 0 && method.equals("GET")) {
          return ok(RegistryProtocol.JSON.createObjectNode());
        }
        break;
      case "subjects":
        if (n == 1) {
          return method.equals("GET") ? ok(service.listSubjects()) : notAllowed();
        }
        if (n == 2) {
          return method.equals("POST")
              ? ok(service.lookup(path.get(1), body(exchange)))
              : notAllowed();
        }
        if (path.get(2).equals("versions")) {
          if (n == 3) {
            return switch (method) {
              case "GET" -> ok(service.listVersions(path.get(1)));
              case "POST" -> ok(service.register(path.get(1), body(exchange)));
              default -> notAllowed();
            };
          }
          if (n == 4) {
            return method.equals("GET")
                ? ok(service.versionNode(path.get(1), path.get(3)))
                : notAllowed();
          }
          if (n == 5 && path.get(4).equals("schema")) {
            return method.equals("GET")
                ? new Answer(
                    200, service.versionNode(path.get(1), path.get(3)).path("schema").asText())
                : notAllowed();
          }
        }
        break;
      case "schemas":
        if (n == 2 && path.get(1).equals("types")) {
          return method.equals("GET")
              ? ok(RegistryProtocol.JSON.createArrayNode().add(RegistryProtocol.AVRO))
              : notAllowed();
        }
        if (n >= 3 && n <= 4 && path.get(1).equals("ids")) {
          if (!method.equals("GET")) {
            return notAllowed();
          }
          if (n == 3) {
            return ok(service.schemaById(path.get(2)));
          }
          return path.get(3).equals("versions")
              ? ok(service.versionsOfId(path.get(2)))
              : notFound();
        }
        break;
      case "compatibility":
        if (n == 5 && path.get(1).equals("subjects") && path.get(3).equals("versions")) {
          return method.equals("POST")
              ? ok(
                  service.checkCompatibility(
                      path.get(2),
                      path.get(4),
                      body(exchange),
                      "true".equals(query.get("verbose"))))
              : notAllowed();
        }
        break;
      case "config":
        if (n == 1) {
          return switch (method) {
            case "GET" -> ok(service.globalLevel());
            case "PUT" -> ok(service.setLevel(null, body(exchange)));
            default -> notAllowed();
          };
        }
        if (n == 2) {
          return switch (method) {
            case "GET" ->
                ok(service.subjectLevel(path.get(1), "true".equals(query.get("defaultToGlobal"))));
            case "PUT" -> ok(service.setLevel(path.get(1), body(exchange)));
            case "DELETE" -> ok(service.deleteSubjectLevel(path.get(1)));
            default -> notAllowed();
          };
        }
        break;
      default:
        break;
    }
    return notFound();
  }

  /**
   * The request's JSON object body: its declared length and media type are checked before a byte is
   * read, and a body without a declared length is read only up to the limit.
   */
  private JsonNode body(HttpExchange exchange) throws IOException {
    int max = limits.maxRequestBytes();
    String declared = exchange.getRequestHeaders().getFirst("Content-Length");
    if (declared != null) {
      long length;
      try {
        length = Long.parseLong(declared.trim());
      } catch (NumberFormatException e) {
        throw new RegistryError(400, "Unreadable Content-Length");
      }
      if (length > max) {
        throw tooLarge(length + " bytes");
      }
    }
    checkMediaType(exchange.getRequestHeaders().getFirst("Content-Type"));
    byte[] bytes;
    try (InputStream in = exchange.getRequestBody()) {
      bytes = in.readNBytes(max + 1);
    }
    if (bytes.length > max) {
      throw tooLarge("more than " + max + " bytes");
    }
    try {
      JsonNode node = RegistryProtocol.JSON.readTree(bytes);
      if (node == null || !node.isObject()) {
        throw new RegistryError(400, "Request body must be a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new RegistryError(400, "Unparsable JSON request body: " + e.getOriginalMessage());
    }
  }

  private RegistryError tooLarge(String size) {
    return new RegistryError(
        413,
        "Request body of " + size + " is over the limit of " + limits.maxRequestBytes() + " bytes");
  }

  private static void checkMediaType(String contentType) {
    String type =
        contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!RegistryProtocol.REQUEST_MEDIA_TYPES.contains(type)) {
      throw new RegistryError(
          415,
          "Unsupported Content-Type '"
              + RegistryError.shorten(contentType == null ? "" : contentType)
              + "': send "
              + String.join(", ", RegistryProtocol.REQUEST_MEDIA_TYPES));
    }
  }

  private static List<String> segments(String rawPath) {
    List<String> segments = new ArrayList<>();
    for (String raw : rawPath.split("/")) {
      if (!raw.isEmpty()) {
        segments.add(decode(raw.replace("+", "%2B")));
      }
    }
    return segments;
  }

  private static Map<String, String> query(String rawQuery) {
    Map<String, String> query = new HashMap<>();
    if (rawQuery != null) {
      for (String pair : rawQuery.split("&")) {
        int eq = pair.indexOf('=');
        String key = eq < 0 ? pair : pair.substring(0, eq);
        String value = eq < 0 ? "" : pair.substring(eq + 1);
        query.put(decode(key), decode(value));
      }
    }
    return query;
  }

  private static String decode(String raw) {
    try {
      return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new RegistryError(400, "Malformed %-escape in the request URL");
    }
  }

  private static Answer ok(JsonNode node) {
    try {
      return new Answer(200, RegistryProtocol.JSON.writeValueAsString(node));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Answer notAllowed() {
    return new Answer(405, RegistryError.body(405, "HTTP 405 Method Not Allowed"));
  }

  private static Answer notFound() {
    return new Answer(404, RegistryError.body(404, "HTTP 404 Not Found"));
  }

  private record Answer(int status, String body) {}
}
