package io.reelsense.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.reelsense.avro.DeadLetter;
import io.reelsense.avro.Film;
import io.reelsense.avro.FilmEmbedding;
import io.reelsense.avro.FilmNeighbour;
import io.reelsense.avro.FilmNeighbours;
import io.reelsense.avro.ReviewEmbedding;
import io.reelsense.model.similarity.FilmIndex;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilmTopologyTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir Path stateDir;

  private final Topics topics = Topics.defaults();
  private final FakeWireFormatSerdes wire = new FakeWireFormatSerdes();
  private final Topics.ValueSerdes serdes = Topics.ValueSerdes.of(wire);
  private final FakeFilmEmbedder encoder = new FakeFilmEmbedder();
  private final FilmCatalog catalog = new FilmCatalog(encoder, 2);
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> films;
  private TestInputTopic<String, ReviewEmbedding> reviewVectors;
  private TestOutputTopic<String, FilmEmbedding> embeddings;
  private TestOutputTopic<String, FilmNeighbours> neighbours;
  private TestOutputTopic<byte[], DeadLetter> dlq;

  private Topology topology(int batchSize) {
    return ReviewTopology.build(
        topics,
        serdes,
        new ReviewTopology.Settings(64, Duration.ofSeconds(1), 1000),
        new BatchScorer(new FakeClassifier(), null),
        new BatchControl(),
        StreamMetrics.inMemory(),
        new FilmTopology.Settings(catalog, batchSize, Duration.ofSeconds(5), 1000));
  }

  private void start(int batchSize) {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "reelsense-films-test");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    driver = new TopologyTestDriver(topology(batchSize), p, T0);
    films =
        driver.createInputTopic(
            topics.films(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
    reviewVectors =
        driver.createInputTopic(
            topics.reviewEmbeddings(),
            Serdes.String().serializer(),
            serdes.embedding().serializer());
    embeddings =
        driver.createOutputTopic(
            topics.filmEmbeddings(),
            Serdes.String().deserializer(),
            serdes.filmEmbedding().deserializer());
    neighbours =
        driver.createOutputTopic(
            topics.filmNeighbours(),
            Serdes.String().deserializer(),
            serdes.filmNeighbours().deserializer());
    dlq =
        driver.createOutputTopic(
            topics.reviewsDlq(),
            Serdes.ByteArray().deserializer(),
            serdes.deadLetter().deserializer());
  }

  private static <V> List<String> keys(List<KeyValue<String, V>> records) {
    return records.stream().map(kv -> kv.key).toList();
  }

  @AfterEach
  void stop() {
    if (driver != null) {
      driver.close();
    }
  }

  private static Film film(String id, String title, Integer year, String description) {
    return Film.newBuilder()
        .setFilmId(id)
        .setTitle(title)
        .setYear(year)
        .setDescription(description)
        .setGenres(List.of("Drama"))
        .build();
  }

  private void send(Film f) {
    films.pipeInput(f.getFilmId().getBytes(StandardCharsets.UTF_8), wire.encode(f));
  }

  private void sendCatalog() {
    send(film("kong", "King Kong", 1933, "a giant ape is taken from his island to new york"));
    send(film("kong2", "King Kong", 2005, "a giant ape on skull island is shipped to new york"));
    send(film("heist", "Ocean's Eleven", 2001, "a crew of thieves plans a casino heist in vegas"));
    send(
        film(
            "heist2",
            "Casino Job",
            1999,
            "Casino Job is about thieves who plan a heist of a vegas casino vault"));
  }

  @Test
  void embedsFilmsInBatchesAndEmitsEmbeddingsAndTheTopKOfEveryNewFilm() {
    start(2);
    sendCatalog();
    assertThat(encoder.batches).hasSize(2);
    assertThat(encoder.batches.get(0))
        .containsExactly(
            "a giant ape is taken from his island to new york",
            "a giant ape on skull island is shipped to new york");

    List<KeyValue<String, FilmEmbedding>> e = embeddings.readKeyValuesToList();
    assertThat(e).extracting(kv -> kv.key).containsExactly("kong", "kong2", "heist", "heist2");
    assertThat(e.get(0).value.getModel()).isEqualTo("fake-encoder");
    assertThat(e.get(0).value.getVector()).hasSize(FakeFilmEmbedder.DIM);

    Map<String, FilmNeighbours> n = neighbours.readKeyValuesToMap();
    assertThat(n).containsOnlyKeys("kong", "kong2", "heist", "heist2");
    // the second Kong film arrived with the first: each is the other's nearest
    assertThat(n.get("kong2").getNeighbours().get(0).getFilmId()).isEqualTo("kong");
    assertThat(n.get("heist2").getNeighbours())
        .extracting(FilmNeighbour::getFilmId)
        .hasSize(2)
        .startsWith("heist")
        .doesNotContain("heist2");
    assertThat(n.get("heist2").getModel()).isEqualTo("fake-encoder");
    assertThat(n.get("heist2").getNeighbours().get(0).getScore())
        .isGreaterThan(n.get("heist2").getNeighbours().get(1).getScore());
    assertThat(dlq.isEmpty()).isTrue();
    assertThat(catalog.embedded()).isEqualTo(4);
  }

  @Test
  void aLoneFilmIsEmbeddedAfterTheMaxWait() {
    start(10);
    send(film("kong", "King Kong", 1933, "a giant ape"));
    assertThat(embeddings.isEmpty()).isTrue();
    driver.advanceWallClockTime(Duration.ofSeconds(6));
    assertThat(keys(embeddings.readKeyValuesToList())).containsExactly("kong");
    assertThat(neighbours.readValuesToList().get(0).getNeighbours()).isEmpty();
  }

  @Test
  void anUnchangedFilmIsNotEmbeddedAgainAndAChangedOneIs() {
    start(1);
    sendCatalog();
    embeddings.readKeyValuesToList();
    neighbours.readKeyValuesToList();
    int before = encoder.texts();
    assertThat(before).isEqualTo(4);
    assertThat(catalog.unchanged()).isZero();

    sendCatalog();
    assertThat(encoder.texts()).isEqualTo(before);
    assertThat(embeddings.isEmpty()).isTrue();
    assertThat(neighbours.isEmpty()).isTrue();
    assertThat(catalog.unchanged()).isEqualTo(4);

    // a new year alone is stored without embedding; a new description is embedded
    send(film("kong", "King Kong", 1934, "a giant ape is taken from his island to new york"));
    assertThat(encoder.texts()).isEqualTo(before);
    assertThat(catalog.vectors().film("kong")).map(FilmIndex.Film::year).contains(1934);
    send(film("heist", "Ocean's Eleven", 2001, "a giant ape robs a casino"));
    assertThat(encoder.texts()).isEqualTo(before + 1);
    assertThat(keys(neighbours.readKeyValuesToList())).containsExactly("heist");

    KeyValueStore<String, FilmVector> store = driver.getKeyValueStore(FilmTopology.VECTORS_STORE);
    try (var all = store.all()) {
      assertThat(all).toIterable().extracting(kv -> kv.key).hasSize(4);
    }
    assertThat(store.get("heist").model()).isEqualTo("fake-encoder");
  }

  @Test
  void badFilmRecordsAndFailedBatchesGoToTheDeadLetterTopicWithAReason() {
    start(1);
    films.pipeInput("x".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3});
    send(film("", "No Id", 2000, "something"));
    send(film("empty", "Empty", 2000, "  "));
    send(film("boom", "Boom", 2000, "this one will explode"));
    List<DeadLetter> d = dlq.readValuesToList();
    assertThat(d)
        .extracting(DeadLetter::getStage)
        .containsExactly(
            DeadLetters.STAGE_FILM_DESERIALIZE,
            DeadLetters.STAGE_FILM_VALIDATE,
            DeadLetters.STAGE_FILM_VALIDATE,
            DeadLetters.STAGE_FILM_EMBED);
    assertThat(d.get(0).getReason()).contains("magic byte 0x01");
    assertThat(d.get(1).getReason()).isEqualTo("empty film_id");
    assertThat(d.get(2).getReason()).contains("empty description");
    assertThat(d.get(3).getReason()).contains("out of memory on the encoder");
    assertThat(d.get(3).getTopic()).isEqualTo(topics.films());
    assertThat(d.get(3).getValue()).isNotNull();
    assertThat(catalog.failed()).isEqualTo(1);
    assertThat(embeddings.isEmpty()).isTrue();
    // the stream goes on
    send(film("ok", "Fine", 2000, "a quiet film"));
    assertThat(keys(embeddings.readKeyValuesToList())).containsExactly("ok");
  }

  @Test
  void reviewVectorsAreKeptInAQueryableStore() {
    start(1);
    reviewVectors.pipeInput(
        "r1",
        ReviewEmbedding.newBuilder()
            .setReviewId("r1")
            .setFilmId("kong")
            .setModel("fake-encoder")
            .setVector(List.of(1f, 2f))
            .build());
    KeyValueStore<String, ReviewEmbedding> store =
        driver.getKeyValueStore(FilmTopology.REVIEW_VECTORS_STORE);
    assertThat(store.get("r1").getVector()).containsExactly(1f, 2f);
  }

  @Test
  void allFilmsMeetInOneTaskWithChangeloggedStores() {
    TopologyDescription d = topology(8).describe();
    String text = d.toString();
    assertThat(text)
        .contains(FilmTopology.SINGLE + "-repartition")
        .contains("micro-batch-embed-film")
        .contains(
            "stores: [" + FilmTopology.BUFFER_STORE + ", " + FilmTopology.VECTORS_STORE + "]");
  }

  @Test
  void catalogAnswersSimilarityQueriesFromTheMirror() {
    start(4);
    sendCatalog();
    assertThat(catalog.local()).isTrue();
    assertThat(catalog.vectors().similarTo("heist", 1).get(0).film().id()).isEqualTo("heist2");
    assertThat(catalog.similarToText("a vegas casino heist", 1).get(0).film().id())
        .startsWith("heist");
  }

  @Test
  void precomputedVectorsOfTheSameTextAndEncoderAreUsedInsteadOfEmbedding() {
    String text =
        io.reelsense.model.similarity.FilmText.of(
            "Casino Job", "Casino Job is about thieves who plan a heist of a vegas casino vault");
    assertThat(text).isEqualTo("is about thieves who plan a heist of a vegas casino vault");
    catalog.precomputed(
        Map.of(
            io.reelsense.model.similarity.FilmText.key("fake-encoder", text),
            FakeFilmEmbedder.vector(text)));
    start(2);
    send(
        film(
            "heist2",
            "Casino Job",
            1999,
            "Casino Job is about thieves who plan a heist of a vegas casino vault"));
    send(film("other", "Other", 1999, "a quiet film"));
    assertThat(encoder.batches).hasSize(1);
    assertThat(encoder.batches.get(0)).containsExactly("a quiet film");
    assertThat(keys(embeddings.readKeyValuesToList())).containsExactly("heist2", "other");
    assertThat(catalog.vectors().size()).isEqualTo(2);
  }
}
