package io.reelsense.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelsense.avro.Film;
import io.reelsense.eval.FilmSimilarity;
import io.reelsense.model.similarity.FilmIndex;
import io.reelsense.model.similarity.FilmText;
import io.reelsense.stream.ReelsenseConfig;
import io.reelsense.stream.film.FilmCatalog;
import io.reelsense.stream.registry.AvroSerdes;
import io.reelsense.stream.registry.SchemaRegistryClient;
import io.reelsense.train.Progress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The demo's film step: sends catalog films (those with a description) to the {@code films} topic
 * as Avro, waits until the topology has embedded them all (or found them unchanged), and asks the
 * HTTP server for the films most similar to the first one, as a user would.
 */
final class FilmDemo {

  private static final ObjectMapper JSON = new ObjectMapper();

  private FilmDemo() {}

  /** What the step did. */
  record Outcome(
      int sent,
      long embedded,
      long unchanged,
      long failed,
      double seconds,
      Map<String, Object> example) {
    /** Human lines for the demo's summary. */
    String summary() {
      StringBuilder sb =
          new StringBuilder(
              String.format(
                  Locale.ROOT,
                  "films       %,d sent, %,d embedded, %,d unchanged, %,d failed in %.1f s%n",
                  sent,
                  embedded,
                  unchanged,
                  failed,
                  seconds));
      if (example != null) {
        sb.append("            GET ").append(example.get("url")).append(System.lineSeparator());
        Object similar = example.get("similar");
        if (similar instanceof List<?> l) {
          for (Object o : l) {
            sb.append("              ").append(o).append(System.lineSeparator());
          }
        }
      }
      return sb.toString();
    }

    Map<String, Object> toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("films_sent", sent);
      m.put("films_embedded", embedded);
      m.put("films_unchanged", unchanged);
      m.put("films_failed", failed);
      m.put("films_seconds", Math.round(seconds * 100) / 100.0);
      m.put(
          "films_per_second",
          seconds > 0 ? Math.round((embedded + unchanged) / seconds * 10) / 10.0 : null);
      m.put("similar_example", example);
      return m;
    }
  }

  /**
   * Streams {@code films} through the running topology.
   *
   * @param idle give up when no film has been done for this long
   */
  static Outcome run(
      ReelsenseConfig config,
      FilmCatalog catalog,
      String httpUrl,
      List<io.reelsense.data.Film> films,
      Duration idle,
      Progress progress)
      throws Exception {
    long t0 = System.nanoTime();
    long before = done(catalog);
    Properties p = new Properties();
    p.putAll(config.clientProperties());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    SchemaRegistryClient client = SchemaRegistryClient.fromConfig(config.registryProperties());
    try (KafkaProducer<String, Film> producer =
        new KafkaProducer<>(
            p,
            new StringSerializer(),
            AvroSerdes.specific(client, Film.class, false).serializer())) {
      for (io.reelsense.data.Film f : films) {
        producer.send(new ProducerRecord<>(config.topics().films(), f.href(), avro(f)));
      }
      producer.flush();
    }
    try (Progress.Bar bar = progress.start("films", films.size())) {
      long last = before;
      long lastChange = System.nanoTime();
      while (done(catalog) - before < films.size()) {
        Thread.sleep(100);
        long now = done(catalog);
        if (now != last) {
          bar.step((int) (now - last));
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
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    Map<String, Object> example = films.isEmpty() ? null : example(httpUrl, films.get(0));
    return new Outcome(
        films.size(), catalog.embedded(), catalog.unchanged(), catalog.failed(), seconds, example);
  }

  /**
   * Hands the catalog the vectors of an offline index (by text key) for the films about to be sent
   * whose text the index embedded with the same encoder; returns how many.
   */
  static int reuse(FilmCatalog catalog, java.nio.file.Path file, List<io.reelsense.data.Film> films)
      throws java.io.IOException {
    FilmIndex index = FilmIndex.load(file);
    if (!index.model().equals(catalog.model())) {
      return 0;
    }
    Map<String, Integer> positions = new java.util.HashMap<>();
    for (int i = 0; i < index.size(); i++) {
      positions.put(index.film(i).id(), i);
    }
    Map<String, float[]> vectors = new java.util.HashMap<>();
    for (io.reelsense.data.Film f : films) {
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
  private static Map<String, Object> example(String httpUrl, io.reelsense.data.Film f)
      throws Exception {
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
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("url", url);
    m.put("status", r.statusCode());
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
    m.put("similar", titles);
    return m;
  }

  private static Film avro(io.reelsense.data.Film f) {
    return Film.newBuilder()
        .setFilmId(f.href())
        .setTitle(f.title())
        .setYear(f.year() > 0 ? f.year() : null)
        .setDescription(f.description())
        .setGenres(f.genres())
        .build();
  }
}
