package io.reelsense.bench;

import io.reelsense.avro.Film;
import io.reelsense.avro.FilmNeighbour;
import io.reelsense.avro.FilmNeighbours;
import io.reelsense.data.DataLocation;
import io.reelsense.data.FilmCatalogReader;
import io.reelsense.data.SampleData;
import io.reelsense.eval.FilmSimilarity;
import io.reelsense.model.TextEmbedder;
import io.reelsense.model.similarity.FilmIndex;
import io.reelsense.model.similarity.FilmText;
import io.reelsense.stream.BatchControl;
import io.reelsense.stream.ReelsenseConfig;
import io.reelsense.stream.Topics;
import io.reelsense.stream.film.FilmCatalog;
import io.reelsense.stream.film.FilmTopology;
import io.reelsense.stream.registry.EmbeddedSchemaRegistry;
import io.reelsense.stream.registry.SchemaRegistryClient;
import io.reelsense.stream.review.ReviewScorer;
import io.reelsense.stream.review.ReviewTopology;
import io.reelsense.stream.serve.StreamMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * How many {@code film-neighbours} records a bulk load of the catalog makes now that a new film's
 * arrival also re-emits the older lists it enters: streams the catalog's films with a description
 * through the film topology (TopologyTestDriver, default {@code films.k} and {@code
 * films.batch.size}), with the vectors of an offline index ({@code reelsense films index}) handed
 * over as for the demo, then deletes 1% of the films; prints own lists, refreshed lists and time,
 * and checks that every film's last emitted list is its top-k among the films present.
 *
 * <p>Arguments: {@code [index file] [data dir]}, default {@code models/films-bge-small.idx} and the
 * committed sample. Films the index lacks get a hashed bag-of-words vector.
 *
 * <p>Run: {@code mvn -o -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.reelsense.bench.FilmNeighbourRefreshBenchmark
 * -Dexec.args="models/films-bge-small.idx"}
 */
public final class FilmNeighbourRefreshBenchmark {

  private FilmNeighbourRefreshBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path indexFile = Path.of(args.length > 0 ? args[0] : "models/films-bge-small.idx");
    Path data = args.length > 1 ? Path.of(args[1]) : SampleData.dir();
    List<io.reelsense.data.Film> films =
        FilmSimilarity.withDescription(
            FilmCatalogReader.read(data.resolve(DataLocation.FILM_CATALOG)));
    FilmIndex index = Files.isRegularFile(indexFile) ? FilmIndex.load(indexFile) : null;
    String model = index == null ? "hashed-words" : index.model();
    int dimension = index == null ? 256 : index.dimension();
    Map<String, float[]> byKey = new HashMap<>();
    if (index != null) {
      Map<String, Integer> positions = new HashMap<>();
      for (int i = 0; i < index.size(); i++) {
        positions.put(index.film(i).id(), i);
      }
      for (io.reelsense.data.Film f : films) {
        Integer p = positions.get(f.href());
        if (p != null) {
          byKey.put(FilmText.key(model, FilmSimilarity.text(f)), index.vector(p));
        }
      }
    }
    int[] hashed = new int[1];
    TextEmbedder encoder =
        new TextEmbedder() {
          @Override
          public String modelId() {
            return model;
          }

          @Override
          public int dimension() {
            return dimension;
          }

          @Override
          public List<float[]> embed(List<String> texts) {
            List<float[]> out = new ArrayList<>();
            for (String t : texts) {
              hashed[0]++;
              float[] v = new float[dimension];
              for (String w : t.toLowerCase(Locale.ROOT).split("\\W+")) {
                v[Math.floorMod(w.hashCode(), dimension)] += 1;
              }
              out.add(v);
            }
            return out;
          }

          @Override
          public void close() {}
        };
    ReelsenseConfig config = ReelsenseConfig.defaults();
    FilmCatalog catalog = new FilmCatalog(encoder, config.filmsK());
    catalog.precomputed(byKey);
    Topics topics = Topics.defaults();
    Path state = Files.createTempDirectory("film-refresh-bench");
    try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start()) {
      Topics.ValueSerdes serdes =
          Topics.ValueSerdes.of(Topics.registry(SchemaRegistryClient.of(registry.url())));
      Properties p = new Properties();
      p.put(StreamsConfig.APPLICATION_ID_CONFIG, "film-refresh-bench");
      p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
      p.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
      try (TopologyTestDriver driver =
          new TopologyTestDriver(
              ReviewTopology.build(
                  topics,
                  serdes,
                  ReviewTopology.Settings.from(config),
                  new ReviewScorer(new NoClassifier(), null),
                  new BatchControl(),
                  StreamMetrics.inMemory(),
                  new FilmTopology.Settings(
                      catalog,
                      config.filmsBatchSize(),
                      config.batchMaxWait(),
                      config.maxReviewChars())),
              p)) {
        TestInputTopic<String, Film> in =
            driver.createInputTopic(
                topics.films(), Serdes.String().serializer(), serdes.film().serializer());
        TestOutputTopic<String, FilmNeighbours> out =
            driver.createOutputTopic(
                topics.filmNeighbours(),
                Serdes.String().deserializer(),
                serdes.filmNeighbours().deserializer());
        long t0 = System.nanoTime();
        for (io.reelsense.data.Film f : films) {
          in.pipeInput(
              f.href(),
              Film.newBuilder()
                  .setFilmId(f.href())
                  .setTitle(f.title())
                  .setYear(f.year() > 0 ? f.year() : null)
                  .setDescription(f.description())
                  .setGenres(f.genres())
                  .build());
        }
        driver.advanceWallClockTime(config.batchMaxWait().multipliedBy(2));
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, FilmNeighbours> latest = new HashMap<>();
        List<KeyValue<String, FilmNeighbours>> load = out.readKeyValuesToList();
        apply(latest, load);
        System.out.printf(
            Locale.ROOT,
            "bulk load: %,d films (%s, %,d vectors from the index, %,d hashed), k=%d, batch %d:"
                + " %,d film-neighbours records = %,d own lists + %,d refreshed older lists"
                + " (%.2f per film), %.1f s; lists current: %s%n",
            films.size(),
            model,
            films.size() - hashed[0],
            hashed[0],
            config.filmsK(),
            config.filmsBatchSize(),
            load.size(),
            load.size() - catalog.refreshed(),
            catalog.refreshed(),
            catalog.refreshed() / (double) films.size(),
            seconds,
            current(catalog, latest));

        long before = catalog.refreshed();
        int deletes = Math.max(1, films.size() / 100);
        t0 = System.nanoTime();
        for (int i = 0; i < deletes; i++) {
          in.pipeInput(films.get(i * 97 % films.size()).href(), (Film) null);
        }
        seconds = (System.nanoTime() - t0) / 1e9;
        List<KeyValue<String, FilmNeighbours>> gone = out.readKeyValuesToList();
        apply(latest, gone);
        System.out.printf(
            Locale.ROOT,
            "deletes: %,d films: %,d film-neighbours records (%,d tombstones + %,d refreshed"
                + " lists, %.2f per delete), %.2f s; lists current: %s%n",
            deletes,
            gone.size(),
            gone.stream().filter(kv -> kv.value == null).count(),
            catalog.refreshed() - before,
            (catalog.refreshed() - before) / (double) deletes,
            seconds,
            current(catalog, latest));
      }
    }
  }

  private static void apply(
      Map<String, FilmNeighbours> latest, List<KeyValue<String, FilmNeighbours>> records) {
    for (KeyValue<String, FilmNeighbours> kv : records) {
      if (kv.value == null) {
        latest.remove(kv.key);
      } else {
        latest.put(kv.key, kv.value);
      }
    }
  }

  /** Whether every film's last emitted list is its top-k now (by id; ties may swap). */
  private static String current(FilmCatalog catalog, Map<String, FilmNeighbours> latest) {
    int wrong = 0;
    for (String id : catalog.vectors().ids()) {
      FilmNeighbours n = latest.get(id);
      List<String> expected =
          catalog.vectors().similarTo(id, catalog.k()).stream().map(x -> x.film().id()).toList();
      List<String> got =
          n == null ? List.of() : n.getNeighbours().stream().map(FilmNeighbour::getFilmId).toList();
      if (!got.equals(expected)) {
        wrong++;
      }
    }
    return wrong == 0
        ? "all " + catalog.vectors().size()
        : wrong + " of " + catalog.vectors().size() + " differ";
  }

  /** The review side is not exercised here. */
  private static final class NoClassifier implements io.reelsense.model.ReviewClassifier {
    @Override
    public String modelId() {
      return "none";
    }

    @Override
    public List<io.reelsense.model.ReviewPrediction> classify(List<String> texts) {
      throw new IllegalStateException("no reviews in this benchmark");
    }

    @Override
    public void close() {}
  }
}
