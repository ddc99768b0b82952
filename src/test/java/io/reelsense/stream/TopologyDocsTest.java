package io.reelsense.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.reelsense.stream.film.FilmCatalog;
import io.reelsense.stream.film.FilmTopology;
import io.reelsense.stream.review.ReviewScorer;
import io.reelsense.stream.review.ReviewTopology;
import io.reelsense.stream.serve.StreamMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

/**
 * Regenerates {@code topology/topology.txt} (the TopologyDescription) and {@code
 * topology/topology.mmd} (Mermaid) from the real topology; fails when the committed files differed,
 * so that they never drift from the code. After a failure, commit the regenerated files.
 */
class TopologyDocsTest {

  private static final Path DIR = Path.of("topology");

  @Test
  void committedTopologyViewsMatchTheCode() throws IOException {
    TopologyDescription description =
        ReviewTopology.build(
                Topics.defaults(),
                Topics.ValueSerdes.of(new FakeWireFormatSerdes()),
                ReviewTopology.Settings.from(ReelsenseConfig.defaults()),
                new ReviewScorer(new FakeClassifier(), null),
                new BatchControl(),
                StreamMetrics.inMemory(),
                new FilmTopology.Settings(
                    new FilmCatalog(new FakeFilmEmbedder(), 10),
                    ReelsenseConfig.defaults().filmsBatchSize(),
                    ReelsenseConfig.defaults().batchMaxWait(),
                    ReelsenseConfig.defaults().maxReviewChars()))
            .describe();
    String text = description.toString();
    String mermaid = TopologyDiagram.mermaid(description);
    assertThat(text).contains("micro-batch-classify").contains(ReviewTopology.BATCH_STORE);
    assertThat(mermaid).startsWith("flowchart LR").contains("t_reviews_dlq");
    assertThat(text).contains("micro-batch-embed-film").contains(FilmTopology.VECTORS_STORE);

    List<String> stale = new ArrayList<>();
    write(DIR.resolve("topology.txt"), text, stale);
    write(DIR.resolve("topology.mmd"), mermaid, stale);
    assertThat(stale)
        .as("these files were out of date and have been regenerated; commit them")
        .isEmpty();
  }

  private static void write(Path file, String content, List<String> stale) throws IOException {
    String old = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
    if (!content.equals(old)) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, content, StandardCharsets.UTF_8);
      stale.add(file.toString());
    }
  }
}
