package io.reelsense.stream.film;

import static org.assertj.core.api.Assertions.assertThat;

import io.reelsense.avro.DeadLetter;
import io.reelsense.avro.Film;
import io.reelsense.avro.FilmEmbedding;
import io.reelsense.avro.FilmNeighbour;
import io.reelsense.avro.FilmNeighbours;
import io.reelsense.avro.ReviewEmbedding;
import io.reelsense.model.TextEmbedder;
import io.reelsense.model.similarity.FilmIndex;
import io.reelsense.stream.BatchControl;
import io.reelsense.stream.BatchSizer;
import io.reelsense.stream.DeadLetters;
import io.reelsense.stream.FakeClassifier;
import io.reelsense.stream.FakeFilmEmbedder;
import io.reelsense.stream.FakeWireFormatSerdes;
import io.reelsense.stream.Origin;
import io.reelsense.stream.Topics;
import io.reelsense.stream.review.ReviewScorer;
import io.reelsense.stream.review.ReviewTopology;
import io.reelsense.stream.serve.StreamMetrics;
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
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
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
    return topology(new FilmTopology.Settings(catalog, batchSize, Duration.ofSeconds(5), 1000));
  }

  private Topology topology(FilmTopology.Settings settings) {
    return ReviewTopology.build(
        topics,
        serdes,
        new ReviewTopology.Settings(64, Duration.ofSeconds(1), 1000),
        new ReviewScorer(new FakeClassifier(), null),
        new BatchControl(),
        StreamMetrics.inMemory(),
        settings);
  }

  private Properties properties() {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "reelsense-films-test");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    return p;
  }

  private void start(int batchSize) {
    start(topology(batchSize));
  }

  private void start(Topology topology) {
    driver = new TopologyTestDriver(topology, properties(), T0);
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

  private void delete(String id) {
    films.pipeInput(id == null ? null : id.getBytes(StandardCharsets.UTF_8), (byte[]) null);
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

  /** The test encoder, taking {@code millisPerText} of wall-clock time per text. */
  private record SlowEncoder(FakeFilmEmbedder inner, long millisPerText) implements TextEmbedder {
    @Override
    public String modelId() {
      return inner.modelId();
    }

    @Override
    public int dimension() {
      return inner.dimension();
    }

    @Override
    public List<float[]> embed(List<String> texts) {
      try {
        Thread.sleep(millisPerText * texts.size());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      return inner.embed(texts);
    }

    @Override
    public void close() {
      inner.close();
    }
  }

  @Test
  void onceABatchHasBeenTimedFilmBatchesAreCutToWhatFitsTheFlushTimeLimit() {
    // 10 ms per film against a 25 ms time limit: after the first (untimed) batch of 8, at most 2
    // films
    // fit one flush, however slow the machine (a slower one only cuts further)
    FilmCatalog slow = new FilmCatalog(new SlowEncoder(encoder, 10), 2);
    start(
        topology(
            new FilmTopology.Settings(
                slow, 8, Duration.ofSeconds(5), 1000, Duration.ofMillis(25))));
    for (int i = 0; i < 16; i++) {
      send(film("f" + i, "Film " + i, 2000, "film number " + i + " about apes"));
    }
    driver.advanceWallClockTime(Duration.ofSeconds(6));

    assertThat(encoder.batches.get(0)).hasSize(8);
    List<List<String>> later = encoder.batches.subList(1, encoder.batches.size());
    assertThat(later).isNotEmpty().allSatisfy(b -> assertThat(b).hasSizeBetween(1, 2));
    assertThat(encoder.texts()).isEqualTo(16);
    assertThat(keys(embeddings.readKeyValuesToList())).hasSize(16).doesNotHaveDuplicates();
    assertThat(slow.embedded()).isEqualTo(16);
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
    // the changed film's list first, then the lists it changed
    List<KeyValue<String, FilmNeighbours>> changed = neighbours.readKeyValuesToList();
    assertThat(keys(changed)).startsWith("heist").doesNotHaveDuplicates();
    assertCurrent(changed);

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
            "stores: ["
                + FilmTopology.BUFFER_STORE
                + ", "
                + FilmTopology.LISTS_STORE
                + ", "
                + FilmTopology.VECTORS_STORE
                + "]");
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

  @Test
  void aTombstoneDeletesTheFilmFromStoreMirrorAndOutputTopics() {
    start(1);
    sendCatalog();
    embeddings.readKeyValuesToList();
    neighbours.readKeyValuesToList();
    assertThat(catalog.vectors().similarTo("heist", 1).get(0).film().id()).isEqualTo("heist2");

    delete("heist2");

    KeyValueStore<String, FilmVector> store = driver.getKeyValueStore(FilmTopology.VECTORS_STORE);
    assertThat(store.get("heist2")).isNull();
    assertThat(store.get("heist")).isNotNull();
    assertThat(catalog.vectors().film("heist2")).isEmpty();
    assertThat(catalog.vectors().size()).isEqualTo(3);
    assertThat(catalog.vectors().similarTo("heist", 3))
        .extracting(n -> n.film().id())
        .doesNotContain("heist2");
    List<KeyValue<String, FilmEmbedding>> e = embeddings.readKeyValuesToList();
    assertThat(e).hasSize(1);
    assertThat(e.get(0).key).isEqualTo("heist2");
    assertThat(e.get(0).value).isNull();
    assertThat(neighbours.readKeyValuesToList())
        .filteredOn(kv -> kv.key.equals("heist2"))
        .singleElement()
        .satisfies(kv -> assertThat(kv.value).isNull());
    assertThat(dlq.isEmpty()).isTrue();
    assertThat(catalog.deleted()).isEqualTo(1);
    // the changelog gets the tombstone too, so a restore does not bring the film back
    List<KeyValue<String, byte[]>> log = changelog(FilmTopology.VECTORS_STORE);
    assertThat(log).extracting(kv -> kv.key).endsWith("heist2");
    assertThat(log.get(log.size() - 1).value).isNull();
    // a film deleted then sent again is embedded again
    send(film("heist2", "Casino Job", 1999, "thieves plan a heist of a vegas casino vault"));
    assertThat(catalog.vectors().film("heist2")).isPresent();
    assertThat(keys(embeddings.readKeyValuesToList())).containsExactly("heist2");
  }

  @Test
  void aTombstoneOfAnUnknownFilmIsANoOpAndOneWithoutAKeyIsDeadLettered() {
    start(1);
    sendCatalog();
    embeddings.readKeyValuesToList();
    neighbours.readKeyValuesToList();
    delete("nobody");
    assertThat(embeddings.isEmpty()).isTrue();
    assertThat(neighbours.isEmpty()).isTrue();
    assertThat(dlq.isEmpty()).isTrue();
    assertThat(catalog.vectors().size()).isEqualTo(4);
    assertThat(catalog.deleted()).isZero();
    assertThat(catalog.ignoredDeletes()).isEqualTo(1);

    delete(null);
    delete("  ");
    List<DeadLetter> d = dlq.readValuesToList();
    assertThat(d).extracting(DeadLetter::getStage).containsOnly(DeadLetters.STAGE_FILM_VALIDATE);
    assertThat(d.get(0).getReason()).startsWith("tombstone (null value) with no key");
    assertThat(d.get(1).getReason()).startsWith("tombstone (null value) with an empty key");
    assertThat(catalog.vectors().size()).isEqualTo(4);
  }

  @Test
  void aTombstoneRemovesAFilmStillWaitingForItsBatch() {
    start(10);
    send(film("kong", "King Kong", 1933, "a giant ape"));
    send(film("heist", "Ocean's Eleven", 2001, "a casino heist"));
    delete("kong");
    KeyValueStore<String, PendingFilm> buffer = driver.getKeyValueStore(FilmTopology.BUFFER_STORE);
    assertThat(buffer.get("kong")).isNull();
    assertThat(embeddings.isEmpty()).isTrue();
    driver.advanceWallClockTime(Duration.ofSeconds(6));
    assertThat(encoder.batches).containsExactly(List.of("a casino heist"));
    assertThat(keys(embeddings.readKeyValuesToList())).containsExactly("heist");
    assertThat(catalog.vectors().film("kong")).isEmpty();
    assertThat(catalog.deleted()).isEqualTo(1);
  }

  @Test
  void aDeletedFilmStaysDeletedWhenItsTaskIsRestoredFromTheChangelogs() {
    start(1);
    sendCatalog();
    delete("kong");
    send(film("late", "Late", 2000, "a film that waits"));
    List<KeyValue<String, byte[]>> vectorLog = changelog(FilmTopology.VECTORS_STORE);
    assertThat(vectorLog).extracting(kv -> kv.key).contains("kong", "kong2");

    // a restore replays the changelog into an empty store, then the processor starts
    MockProcessorContext<String, FilmStage> context = new MockProcessorContext<>();
    KeyValueStore<String, FilmVector> vectors =
        restored(FilmTopology.VECTORS_STORE, FilmVector.serde(), vectorLog, context);
    restored(
        FilmTopology.BUFFER_STORE,
        PendingFilm.serde(),
        changelog(FilmTopology.BUFFER_STORE),
        context);
    restored(
        FilmTopology.LISTS_STORE,
        NeighbourList.serde(),
        changelog(FilmTopology.LISTS_STORE),
        context);
    FilmCatalog again = new FilmCatalog(new FakeFilmEmbedder(), 2);
    FilmEmbedProcessor processor =
        new FilmEmbedProcessor(
            new BatchSizer(1, BatchSizer.DEFAULT_FLUSH_TIME_LIMIT),
            Duration.ofSeconds(5),
            again,
            new BatchControl(),
            StreamMetrics.inMemory());
    processor.init(context);
    assertThat(vectors.get("kong")).isNull();
    assertThat(again.vectors().film("kong")).isEmpty();
    assertThat(again.vectors().film("kong2")).isPresent();
    assertThat(again.vectors().size()).isEqualTo(4);
    processor.close();
  }

  private List<KeyValue<String, byte[]>> changelog(String store) {
    return driver
        .createOutputTopic(
            "reelsense-films-test-" + store + "-changelog",
            Serdes.String().deserializer(),
            Serdes.ByteArray().deserializer())
        .readKeyValuesToList();
  }

  private static <V> KeyValueStore<String, V> restored(
      String name,
      org.apache.kafka.common.serialization.Serde<V> serde,
      List<KeyValue<String, byte[]>> log,
      MockProcessorContext<String, FilmStage> context) {
    KeyValueStore<String, V> store =
        Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), serde)
            .withLoggingDisabled()
            .build();
    store.init(context.getStateStoreContext(), store);
    context.addStateStore(store);
    for (KeyValue<String, byte[]> kv : log) {
      store.put(kv.key, serde.deserializer().deserialize(name, kv.value));
    }
    return store;
  }

  /** The latest list of each film in these records is its top-k among the films now present. */
  private void assertCurrent(List<KeyValue<String, FilmNeighbours>> records) {
    Map<String, FilmNeighbours> latest = new java.util.HashMap<>();
    for (KeyValue<String, FilmNeighbours> kv : records) {
      latest.put(kv.key, kv.value);
    }
    for (Map.Entry<String, FilmNeighbours> e : latest.entrySet()) {
      if (e.getValue() == null) {
        continue;
      }
      assertThat(e.getValue().getNeighbours())
          .as("list of %s", e.getKey())
          .extracting(FilmNeighbour::getFilmId)
          .containsExactlyElementsOf(
              catalog.vectors().similarTo(e.getKey(), catalog.k()).stream()
                  .map(n -> n.film().id())
                  .toList());
    }
  }

  /** Every film's latest list on the topic is its top-k among the films now present. */
  private void assertEveryListCurrent(Map<String, FilmNeighbours> latest) {
    assertThat(latest.keySet()).containsAll(catalog.vectors().ids());
    for (String id : catalog.vectors().ids()) {
      assertThat(latest.get(id).getNeighbours())
          .as("list of %s", id)
          .extracting(FilmNeighbour::getFilmId)
          .containsExactlyElementsOf(
              catalog.vectors().similarTo(id, catalog.k()).stream()
                  .map(n -> n.film().id())
                  .toList());
    }
  }

  private static Map<String, FilmNeighbours> latest(
      Map<String, FilmNeighbours> into, List<KeyValue<String, FilmNeighbours>> records) {
    for (KeyValue<String, FilmNeighbours> kv : records) {
      if (kv.value == null) {
        into.remove(kv.key);
      } else {
        into.put(kv.key, kv.value);
      }
    }
    return into;
  }

  @Test
  void aNewFilmEntersTheListsOfOlderFilmsAndThoseListsAreEmittedAgain() {
    start(1);
    send(film("kong", "King Kong", 1933, "a giant ape is taken from his island to new york"));
    send(film("heist", "Ocean's Eleven", 2001, "a crew of thieves plans a casino heist in vegas"));
    send(film("noir", "Noir", 1946, "a detective in the rain of los angeles"));
    Map<String, FilmNeighbours> lists =
        latest(new java.util.HashMap<>(), neighbours.readKeyValuesToList());
    // with k = 2 and three films every list is full: kong lists heist and noir
    assertThat(lists.get("kong").getNeighbours())
        .extracting(FilmNeighbour::getFilmId)
        .containsExactlyInAnyOrder("heist", "noir");

    send(film("kong2", "King Kong", 2005, "a giant ape on skull island is shipped to new york"));
    List<KeyValue<String, FilmNeighbours>> out = neighbours.readKeyValuesToList();
    // the new film's own list, then the older lists it entered (kong's at least, at the top)
    assertThat(keys(out)).startsWith("kong2").contains("kong").doesNotHaveDuplicates();
    latest(lists, out);
    assertThat(lists.get("kong").getNeighbours().get(0).getFilmId()).isEqualTo("kong2");
    assertThat(lists.get("kong").getNeighbours().get(0).getTitle()).isEqualTo("King Kong");
    assertEveryListCurrent(lists);
    assertThat(catalog.refreshed()).isGreaterThanOrEqualTo(out.size() - 1L).isPositive();
    // the lists are kept in a changelogged store too
    KeyValueStore<String, NeighbourList> store = driver.getKeyValueStore(FilmTopology.LISTS_STORE);
    assertThat(store.get("kong").id(0)).isEqualTo("kong2");
  }

  @Test
  void aDeletedOrChangedFilmLeavesTheListsThatHeldIt() {
    start(2);
    sendCatalog();
    send(film("noir", "Noir", 1946, "a detective in the rain of los angeles"));
    send(film("ape3", "Mighty Joe", 1949, "a giant ape in new york"));
    driver.advanceWallClockTime(Duration.ofSeconds(6));
    Map<String, FilmNeighbours> lists =
        latest(new java.util.HashMap<>(), neighbours.readKeyValuesToList());
    assertEveryListCurrent(lists);
    assertThat(lists.get("kong").getNeighbours())
        .extracting(FilmNeighbour::getFilmId)
        .contains("kong2");

    delete("kong2");
    List<KeyValue<String, FilmNeighbours>> out = neighbours.readKeyValuesToList();
    assertThat(out.get(0).key).isEqualTo("kong2");
    assertThat(out.get(0).value).isNull();
    assertThat(keys(out)).contains("kong");
    latest(lists, out);
    assertThat(lists).doesNotContainKey("kong2");
    for (FilmNeighbours n : lists.values()) {
      assertThat(n.getNeighbours()).extracting(FilmNeighbour::getFilmId).doesNotContain("kong2");
    }
    assertEveryListCurrent(lists);

    // a film whose vector moves away leaves the lists that held it
    send(film("ape3", "Mighty Joe", 1949, "a casino heist by thieves in vegas"));
    driver.advanceWallClockTime(Duration.ofSeconds(6));
    latest(lists, neighbours.readKeyValuesToList());
    assertEveryListCurrent(lists);
  }

  @Test
  void listsComeBackWithTheirStoreAndAreComputedWhenNoneIsStored() {
    start(1);
    sendCatalog();
    Map<String, FilmNeighbours> lists =
        latest(new java.util.HashMap<>(), neighbours.readKeyValuesToList());
    List<KeyValue<String, byte[]>> vectorLog = changelog(FilmTopology.VECTORS_STORE);
    List<KeyValue<String, byte[]>> listLog = changelog(FilmTopology.LISTS_STORE);

    for (boolean withLists : new boolean[] {true, false}) {
      MockProcessorContext<String, FilmStage> context = new MockProcessorContext<>();
      context.setCurrentSystemTimeMs(T0.toEpochMilli());
      restored(FilmTopology.VECTORS_STORE, FilmVector.serde(), vectorLog, context);
      restored(FilmTopology.BUFFER_STORE, PendingFilm.serde(), List.of(), context);
      KeyValueStore<String, NeighbourList> listStore =
          restored(
              FilmTopology.LISTS_STORE,
              NeighbourList.serde(),
              withLists ? listLog : List.of(),
              context);
      FilmCatalog again = new FilmCatalog(new FakeFilmEmbedder(), 2);
      FilmEmbedProcessor processor =
          new FilmEmbedProcessor(
              new BatchSizer(1, BatchSizer.DEFAULT_FLUSH_TIME_LIMIT),
              Duration.ofSeconds(5),
              again,
              new BatchControl(),
              StreamMetrics.inMemory());
      processor.init(context);
      // a new film still updates the older lists: they were restored, or computed at start
      processor.process(
          new org.apache.kafka.streams.processor.api.Record<>(
              "kong3",
              new PendingFilm(
                  film("kong3", "Kong 3", 2021, "a giant ape on an island"),
                  0,
                  new Origin(topics.films(), 0, 9, null, new byte[] {0})),
              0));
      List<String> emitted =
          context.forwarded().stream()
              .filter(r -> r.record().value() instanceof FilmStage.Neighbours)
              .<String>map(r -> r.record().key())
              .toList();
      assertThat(emitted).as("with stored lists: %s", withLists).contains("kong3", "kong");
      if (withLists) {
        // nothing was computed at start, so only the lists the new film changed are emitted
        assertThat(emitted).doesNotContain("heist");
      } else {
        // computed at start: stored and emitted once
        assertThat(emitted).contains("kong", "kong2", "heist", "heist2");
      }
      NeighbourList kong = listStore.get("kong");
      assertThat(List.of(kong.id(0), kong.id(1))).contains("kong3");
      assertThat(lists.get("kong").getNeighbours().get(0).getFilmId()).isEqualTo("kong2");
      processor.close();
    }
  }

  @Test
  void onlyTheTaskOfTheSingleFilmsPartitionTouchesTheSharedCatalog() {
    start(1);
    sendCatalog();
    assertThat(catalog.local()).isTrue();
    // the films source shares the sub-topology: tasks of other partitions run this processor too
    MockProcessorContext<String, FilmStage> other =
        new MockProcessorContext<>(
            properties(), new org.apache.kafka.streams.processor.TaskId(2, 1), stateDir.toFile());
    FilmEmbedProcessor idle =
        new FilmEmbedProcessor(
            new BatchSizer(1, BatchSizer.DEFAULT_FLUSH_TIME_LIMIT),
            Duration.ofSeconds(5),
            catalog,
            new BatchControl(),
            StreamMetrics.inMemory());
    idle.init(other);
    assertThat(other.scheduledPunctuators()).isEmpty();
    idle.close();
    assertThat(catalog.local()).isTrue();
    assertThat(catalog.vectors().size()).isEqualTo(4);
  }
}
