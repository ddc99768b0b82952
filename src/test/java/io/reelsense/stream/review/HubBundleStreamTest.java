package io.reelsense.stream.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelsense.avro.Review;
import io.reelsense.avro.ScoredReview;
import io.reelsense.data.ImdbCorpus;
import io.reelsense.data.ImdbReader;
import io.reelsense.data.SampleData;
import io.reelsense.model.ReviewClassifier;
import io.reelsense.model.ReviewScores;
import io.reelsense.model.bundle.Bundles;
import io.reelsense.model.encoder.EncoderClassifier;
import io.reelsense.model.encoder.Encoders;
import io.reelsense.model.encoder.HubClassificationHead;
import io.reelsense.model.encoder.Pooling;
import io.reelsense.model.tokenizer.Truncation;
import io.reelsense.model.weights.Architecture;
import io.reelsense.model.weights.BertCheckpoint;
import io.reelsense.model.weights.HfCheckpoint;
import io.reelsense.model.weights.Safetensors;
import io.reelsense.stream.BatchControl;
import io.reelsense.stream.FakeWireFormatSerdes;
import io.reelsense.stream.Topics;
import io.reelsense.text.CleaningProfile;
import io.reelsense.train.BaselineOptions;
import io.reelsense.train.FineTuneBundles;
import io.reelsense.train.FineTuneOptions;
import io.reelsense.train.FineTuner;
import io.reelsense.train.Progress;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A tiny RoBERTa and a tiny DistilBERT (the hub fixtures) fine-tuned on the sample, saved as
 * bundles whose {@code encoder/} carries the sentiment head in the architecture's own layout,
 * reloaded through the model part's API and served by the review topology.
 */
class HubBundleStreamTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir static Path tmp;

  private static ImdbCorpus corpus;

  @BeforeAll
  static void readSample() {
    corpus = ImdbReader.read(ImdbReader.locate(SampleData.dir()));
  }

  @ParameterizedTest
  @CsvSource({
    "tiny-roberta, ROBERTA, classifier.dense.weight, classifier.out_proj.weight",
    "tiny-distilbert, DISTILBERT, pre_classifier.weight, classifier.weight"
  })
  void aFineTunedHubModelExportsItsHeadAndServesInTheStream(
      String name, Architecture architecture, String dense, String out) throws Exception {
    Path fixture =
        Path.of(getClass().getResource("/hf/" + name + "/config.json").toURI()).getParent();
    Encoders.Loaded loaded = Encoders.loadDirectory(fixture);
    loaded.tokenizer().close();
    FineTuner.Base base =
        new FineTuner.Base(
            name,
            loaded.checkpoint(),
            Files.readString(fixture.resolve("tokenizer.json"), StandardCharsets.UTF_8),
            Pooling.CLS);
    FineTuneOptions options =
        new FineTuneOptions(
            BaselineOptions.Task.SENTIMENT,
            CleaningProfile.LIGHT,
            1,
            8,
            1e-3f,
            0.01f,
            0.1f,
            1f,
            0.1f,
            Truncation.head(20),
            0,
            42,
            48,
            16,
            16,
            16,
            2,
            0,
            0);
    FineTuner.Result result =
        new FineTuner(
                base,
                options,
                Device.cpu(),
                tmp.resolve(name + "-run"),
                Progress.NONE,
                new PrintWriter(new StringWriter()),
                () -> false)
            .run(corpus, false);
    assertThat(result.completed()).isTrue();
    Path bundle = tmp.resolve(name + "-bundle");
    FineTuneBundles.write(bundle, base, options, result, Map.of(), Map.of(), Map.of());

    // encoder/ is a hub directory of the architecture's sequence-classification class
    Path hub = bundle.resolve(Bundles.ENCODER_DIR);
    JsonNode config = new ObjectMapper().readTree(hub.resolve(HfCheckpoint.CONFIG).toFile());
    assertThat(config.at("/architectures/0").asText()).endsWith("ForSequenceClassification");
    assertThat(config.at("/model_type").asText()).isEqualTo(architecture.modelType());
    assertThat(Safetensors.read(hub.resolve(HfCheckpoint.WEIGHTS)).keySet())
        .contains(dense, out, dense.replace("weight", "bias"), out.replace("weight", "bias"));
    BertCheckpoint reread = HfCheckpoint.read(hub);
    HubClassificationHead head = HubClassificationHead.of(reread).orElseThrow();
    assertThat(head.architecture()).isEqualTo(architecture);
    assertThat(head.labels()).isEqualTo(2);

    List<io.reelsense.data.Review> sample = corpus.test().subList(0, 8);
    List<String> texts = sample.stream().map(io.reelsense.data.Review::text).toList();
    List<ReviewScores> offline;
    try (EncoderClassifier classifier = Bundles.loadEncoder(bundle, Device.cpu(), 4)) {
      assertThat(classifier.embedder().encoder().config().architecture()).isEqualTo(architecture);
      offline = classifier.score(texts);
      // the exported head gives the bundle's probabilities from the first token's state
      List<float[]> first = classifier.pooled(texts);
      for (int i = 0; i < texts.size(); i++) {
        float[] logits = head.logits(first.get(i));
        double positive = 1 / (1 + Math.exp(logits[0] - logits[1]));
        assertThat(positive).isCloseTo(offline.get(i).positive(), within(1e-5));
      }
    }
    // the scores are not all alike: the head was trained, not left at its start
    assertThat(offline.stream().mapToDouble(ReviewScores::positive).max().getAsDouble())
        .isGreaterThan(offline.stream().mapToDouble(ReviewScores::positive).min().getAsDouble());

    Topics topics = Topics.defaults();
    FakeWireFormatSerdes wire = new FakeWireFormatSerdes();
    Topics.ValueSerdes serdes = Topics.ValueSerdes.of(wire);
    ReviewClassifier served = Bundles.load(bundle);
    var topology =
        ReviewTopology.build(
            topics,
            serdes,
            new ReviewTopology.Settings(4, Duration.ofSeconds(10), 100_000),
            new ReviewScorer(served, null),
            new BatchControl());
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "reelsense-hub-test");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    p.put(StreamsConfig.STATE_DIR_CONFIG, tmp.resolve(name + "-state").toString());
    try (TopologyTestDriver driver = new TopologyTestDriver(topology, p, T0)) {
      TestInputTopic<byte[], byte[]> in =
          driver.createInputTopic(
              topics.reviews(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
      TestOutputTopic<String, ScoredReview> scored =
          driver.createOutputTopic(
              topics.reviewsScored(),
              Serdes.String().deserializer(),
              serdes.scored().deserializer());
      for (int i = 0; i < sample.size(); i++) {
        Review r =
            Review.newBuilder()
                .setReviewId("r" + i)
                .setFilmId("f1")
                .setText(texts.get(i))
                .setSource("test")
                .setEventTime(T0.minusSeconds(60))
                .build();
        in.pipeInput(r.getReviewId().getBytes(StandardCharsets.UTF_8), wire.encode(r));
      }
      List<ScoredReview> outs = scored.readValuesToList();
      assertThat(outs).hasSize(sample.size());
      for (ScoredReview s : outs) {
        int i = Integer.parseInt(s.getReviewId().substring(1));
        assertThat(s.getBatchSize()).isEqualTo(4);
        assertThat(s.getModelId()).contains(name);
        // the stream pads its batches differently from the offline run: equal to float rounding
        assertThat(s.getPositiveProbability()).isCloseTo(offline.get(i).positive(), within(1e-5));
      }
    }
  }
}
