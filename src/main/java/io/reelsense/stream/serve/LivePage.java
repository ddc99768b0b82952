package io.reelsense.stream.serve;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The files of the live page, served from inside the jar ({@code
 * src/main/resources/io/reelsense/stream/serve/live/}): no CDN, nothing from the network. Only the
 * files named here are served.
 */
final class LivePage {

  private static final String ROOT = "/io/reelsense/stream/serve/live/";

  private static final Map<String, String> FILES =
      Map.of(
          "/", "index.html",
          "/index.html", "index.html",
          "/live.js", "live.js",
          "/live.css", "live.css");

  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8");

  private static final Map<String, byte[]> CACHE = new ConcurrentHashMap<>();

  private LivePage() {}

  /** Serves the page file named by the request path; false when there is none of that name. */
  static boolean serve(HttpExchange ex) throws IOException {
    String file = FILES.get(ex.getRequestURI().getRawPath());
    if (file == null) {
      return false;
    }
    byte[] bytes = CACHE.computeIfAbsent(file, LivePage::read);
    ex.getResponseHeaders()
        .set("Content-Type", TYPES.get(file.substring(file.lastIndexOf('.') + 1)));
    ex.getResponseHeaders().set("Cache-Control", "no-cache");
    ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    if ("HEAD".equals(ex.getRequestMethod())) {
      ex.sendResponseHeaders(200, -1);
      ex.close();
      return true;
    }
    ex.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
    return true;
  }

  private static byte[] read(String file) {
    try (InputStream in = LivePage.class.getResourceAsStream(ROOT + file)) {
      if (in == null) {
        throw new IllegalStateException("the jar lacks the live page file " + ROOT + file);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
