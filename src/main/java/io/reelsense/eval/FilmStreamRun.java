package io.reelsense.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelsense.data.Film;
import io.reelsense.model.similarity.FilmIndex;
import io.reelsense.model.similarity.FilmText;
import io.reelsense.stream.ReelsenseConfig;
import io.reelsense.stream.film.FilmCatalog;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Catalog films through a running film topology: sends them to the films topic ({@link
 * FilmSender}), waits until the topology has embedded them all (or found them unchanged), and asks
 * its HTTP server for the films most similar to the first one, as a user would.
 */
public final class FilmStreamRun {

  private static final ObjectMapper JSON = new ObjectMapper();

  private FilmStreamRun() {}

  /**
   * One query of the HTTP server: {@code GET url} answered {@code status} with these films, each as
   * {@code title (year) score}.
   */
  public record Similar(String url, int status, List<String> films) {}

  /** What the run did; {@code example} is null when no film was sent. */
  public record Result(
      int sent, long embedded, long unchanged, long failed, double seconds, Similar example) {

    /** Human lines for the demo's summary: counts and time, then the similar-films example. */
    public String summary() {
      StringBuilder sb =
          new StringBuilder(
              String.format(
                  Locale.ROOT,
                  "films       %,d sent, %,d embedded, %,d unchanged, %,d failed in %.1f s%n",
                  sent(),
                  embedded(),
                  unchanged(),
                  failed(),
                  seconds()));
      Similar example = example();
      if (example != null) {
        sb.append("            GET ").append(example.url()).append(System.lineSeparator());
        for (String film : example.films()) {
          sb.append("              ").append(film).append(System.lineSeparator());
        }
      }
      return sb.toString();
    }

    /** The demo's {@code films_*} JSON keys and {@code similar_example}. */
    public Map<String, Object> toJson() {
      double seconds = seconds();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("films_sent", sent());
      m.put("films_embedded", embedded());
      m.put("films_unchanged", unchanged());
      m.put("films_failed", failed());
      m.put("films_seconds", Math.round(seconds * 100) / 100.0);
      m.put(
          "films_per_second",
          seconds > 0 ? Math.round((embedded() + unchanged()) / seconds * 10) / 10.0 : null);
      Similar example = example();
      Map<String, Object> similar = null;
      if (example != null) {
        similar = new LinkedHashMap<>();
        similar.put("url", example.url());
        similar.put("status", example.status());
        similar.put("similar", example.films());
      }
      m.put("similar_example", similar);
      return m;
    }
  }

  /**
   * Streams {@code films} through the topology whose film catalog is {@code catalog}.
   *
   * @param httpUrl the topology's HTTP server
   * @param idle give up when no film has been done for this long
   * @param progress told how many more films are done, as they are
   * @throws EvalException when the films topic is not there
   * @throws IllegalStateException when no film is done for {@code idle}
   */
  public static Result run(
      ReelsenseConfig config,
      FilmCatalog catalog,
      String httpUrl,
      List<Film> films,
      Duration idle,
      LongConsumer progress)
      throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    long before = done(catalog);
    try (FilmSender sender = FilmSender.open(config, Duration.ofSeconds(30))) {
      for (Film f : films) {
        sender.send(f);
      }
      sender.flush();
    }
    long last = before;
    long lastChange = System.nanoTime();
    while (done(catalog) - before < films.size()) {
      Thread.sleep(100);
      long now = done(catalog);
      if (now != last) {
        progress.accept(now - last);
        last = now;
        lastChange = System.nanoTime();
      } else if (System.nanoTime() - lastChange > idle.toNanos()) {
        throw new IllegalStateException(
            (now - before)
                + " of "
                + films.size()
                + " films done, then nothing for "
                + idle.toSeconds()
                + " s");
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    Similar example = films.isEmpty() ? null : similar(httpUrl, films.get(0));
    return new Result(
        films.size(), catalog.embedded(), catalog.unchanged(), catalog.failed(), seconds, example);
  }

  /**
   * Hands the catalog the vectors of an offline index (by text key) for the films about to be sent
   * whose text the index embedded with the same encoder; returns how many.
   */
  public static int reuse(FilmCatalog catalog, Path file, List<Film> films) throws IOException {
    FilmIndex index = FilmIndex.load(file);
    if (!index.model().equals(catalog.model())) {
      return 0;
    }
    Map<String, Integer> positions = new HashMap<>();
    for (int i = 0; i < index.size(); i++) {
      positions.put(index.film(i).id(), i);
    }
    Map<String, float[]> vectors = new HashMap<>();
    for (Film f : films) {
      Integer p = positions.get(f.href());
      if (p != null) {
        vectors.put(FilmText.key(catalog.model(), FilmSimilarity.text(f)), index.vector(p));
      }
    }
    catalog.precomputed(vectors);
    return vectors.size();
  }

  private static long done(FilmCatalog c) {
    return c.embedded() + c.unchanged() + c.failed();
  }

  /** GET /films/similar?title=…&year=…&k=5 on the topology's HTTP server. */
  private static Similar similar(String httpUrl, Film f) throws IOException, InterruptedException {
    String url =
        httpUrl
            + "/films/similar?title="
            + URLEncoder.encode(f.title(), StandardCharsets.UTF_8)
            + (f.year() > 0 ? "&year=" + f.year() : "")
            + "&k=5";
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    JsonNode body = JSON.readTree(r.body());
    List<String> titles = new ArrayList<>();
    for (JsonNode n : body.path("films")) {
      titles.add(
          String.format(
              Locale.ROOT,
              "%s (%s) %.3f",
              n.path("title").asText(),
              n.path("year").asText(),
              n.path("score").asDouble()));
    }
    return new Similar(url, r.statusCode(), titles);
  }
}
