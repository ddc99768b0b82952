package io.reelsense.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.reelsense.data.Downloader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code data fetch} against a local HTTP server; never the network. */
class DataFetchCommandTest {

  @TempDir Path dir;

  private HttpServer server;
  private final byte[] archive = new byte[300_000];
  private final byte[] movies =
      "[{\"title\":\"A\",\"year\":2000,\"genres\":[],\"href\":\"A\"}]"
          .getBytes(StandardCharsets.UTF_8);
  private final List<String> ranges = new ArrayList<>();
  private volatile boolean honourRange = true;
  private volatile int breakOffAt = -1;

  @BeforeEach
  void start() throws IOException {
    new Random(7).nextBytes(archive);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/aclImdb_v1.tar.gz", ex -> serve(ex, archive));
    server.createContext("/movies.json", ex -> serve(ex, movies));
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void serve(HttpExchange ex, byte[] body) throws IOException {
    try (ex) {
      String range = ex.getRequestHeaders().getFirst("Range");
      synchronized (ranges) {
        ranges.add(ex.getRequestURI().getPath() + " " + range);
      }
      int from = 0;
      if (range != null && honourRange) {
        from = Integer.parseInt(range.replace("bytes=", "").replace("-", ""));
        if (from >= body.length) {
          ex.sendResponseHeaders(416, -1);
          return;
        }
        ex.getResponseHeaders()
            .add("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
        ex.sendResponseHeaders(206, body.length - from);
      } else {
        ex.sendResponseHeaders(200, body.length);
      }
      int end = breakOffAt > from ? breakOffAt : body.length;
      breakOffAt = -1;
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body, from, end - from);
      }
    }
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  private static String sha(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  private record Run(int code, String out, String err) {
    JsonNode json() throws IOException {
      String[] lines = out.strip().split("\n");
      return Json.MAPPER.readTree(lines[lines.length - 1]);
    }
  }

  private Run fetch(String... extra) throws Exception {
    List<String> args =
        new ArrayList<>(List.of("data", "fetch", "--json", "--data", dir.toString()));
    List<String> given = Arrays.asList(extra);
    String[][] defaults = {
      {"--imdb-url", url("/aclImdb_v1.tar.gz")},
      {"--imdb-sha256", sha(archive)},
      {"--catalog-url", url("/movies.json")}
    };
    for (String[] d : defaults) {
      if (!given.contains(d[0])) {
        args.addAll(List.of(d));
      }
    }
    args.addAll(Arrays.asList(extra));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.execute(
            new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void downloadsBothFilesThenSkipsThem() throws Exception {
    Run first = fetch();
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(Files.readAllBytes(dir.resolve("aclImdb_v1.tar.gz"))).isEqualTo(archive);
    try (InputStream in =
        new GZIPInputStream(Files.newInputStream(dir.resolve("wikipedia-movies.json.gz")))) {
      assertThat(in.readAllBytes()).isEqualTo(movies);
    }
    assertThat(dir.resolve("wikipedia-movies.json")).doesNotExist();
    JsonNode files = first.json().get("files");
    assertThat(files.get(0).get("outcome").asText()).isEqualTo("downloaded");
    assertThat(files.get(0).get("bytes").asLong()).isEqualTo(archive.length);
    assertThat(files.get(0).get("sha256").asText()).isEqualTo(sha(archive));
    assertThat(files.get(1).get("outcome").asText()).isEqualTo("downloaded");
    assertThat(first.err()).contains("aclImdb_v1.tar.gz").contains("MiB");

    int requests = ranges.size();
    Run second = fetch("--no-progress");
    assertThat(second.code()).isZero();
    assertThat(second.json().get("files").get(0).get("outcome").asText()).isEqualTo("skipped");
    assertThat(second.json().get("files").get(1).get("outcome").asText()).isEqualTo("skipped");
    assertThat(ranges).hasSize(requests);
  }

  @Test
  void resumesAPartFileWithARangeRequest() throws Exception {
    Files.write(
        Downloader.partFile(dir.resolve("aclImdb_v1.tar.gz")), Arrays.copyOf(archive, 100_000));
    Run run = fetch("--only", "imdb", "--no-progress");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(ranges).containsExactly("/aclImdb_v1.tar.gz bytes=100000-");
    assertThat(Files.readAllBytes(dir.resolve("aclImdb_v1.tar.gz"))).isEqualTo(archive);
    JsonNode f = run.json().get("files").get(0);
    assertThat(f.get("outcome").asText()).isEqualTo("resumed");
    assertThat(f.get("transferred").asLong()).isEqualTo(200_000);
    assertThat(dir.resolve("aclImdb_v1.tar.gz.part")).doesNotExist();
  }

  @Test
  void aBrokenTransferKeepsItsPartAndTheNextRunResumes() throws Exception {
    breakOffAt = 120_000;
    Run broken = fetch("--only", "imdb", "--no-progress");
    assertThat(broken.code()).isEqualTo(1);
    assertThat(broken.err()).contains("run again to resume");
    Path part = dir.resolve("aclImdb_v1.tar.gz.part");
    assertThat(part).exists();
    long kept = Files.size(part);
    assertThat(kept).isPositive().isLessThan(archive.length);

    Run again = fetch("--only", "imdb", "--no-progress");
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(ranges).last().isEqualTo("/aclImdb_v1.tar.gz bytes=" + kept + "-");
    assertThat(Files.readAllBytes(dir.resolve("aclImdb_v1.tar.gz"))).isEqualTo(archive);
  }

  @Test
  void startsOverWhenTheServerIgnoresTheRange() throws Exception {
    honourRange = false;
    Files.write(Downloader.partFile(dir.resolve("aclImdb_v1.tar.gz")), new byte[] {1, 2, 3});
    Run run = fetch("--only", "imdb", "--no-progress");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(Files.readAllBytes(dir.resolve("aclImdb_v1.tar.gz"))).isEqualTo(archive);
    assertThat(run.json().get("files").get(0).get("outcome").asText()).isEqualTo("downloaded");
  }

  @Test
  void checksumMismatchKeepsThePartAndSaysBothDigests() throws Exception {
    String wrong = "ab".repeat(32);
    Run run = fetch("--only", "imdb", "--no-progress", "--imdb-sha256", wrong);
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .contains("checksum mismatch")
        .contains("expected sha256 " + wrong)
        .contains("actual " + sha(archive))
        .contains("aclImdb_v1.tar.gz.part");
    assertThat(dir.resolve("aclImdb_v1.tar.gz")).doesNotExist();
    assertThat(Files.readAllBytes(dir.resolve("aclImdb_v1.tar.gz.part"))).isEqualTo(archive);
    assertThat(run.json().get("error").asText()).contains("checksum mismatch");
  }

  @Test
  void existingFileThatDoesNotMatchIsKeptAndReported() throws Exception {
    Files.write(dir.resolve("aclImdb_v1.tar.gz"), new byte[] {9});
    Run run = fetch("--only", "imdb", "--no-progress");
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .contains("exists but does not match")
        .contains("expected sha256 " + sha(archive));
    assertThat(Files.readAllBytes(dir.resolve("aclImdb_v1.tar.gz"))).containsExactly(9);
    assertThat(ranges).isEmpty();
  }

  @Test
  void httpErrorsAndBadChecksumsAreUserErrors() throws Exception {
    Run missing = fetch("--only", "imdb", "--no-progress", "--imdb-url", url("/nope.tar.gz"));
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).contains("/nope.tar.gz answered HTTP 404");
    Run bad = fetch("--only", "imdb", "--no-progress", "--imdb-sha256", "xyz");
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.err()).contains("--imdb-sha256: a SHA-256 is 64 hex digits");
  }
}
