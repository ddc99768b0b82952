package io.reelsense.stream.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.reelsense.model.bundle.Bundles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which model serves, as the live page shows it: the bundle folder, its kind and test accuracy
 * (from the bundle's {@code manifest.json}; null when the manifest does not say), the model and
 * embedder ids, the device and the number of stream threads.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ModelInfo(
    String modelId,
    String embedderId,
    String bundle,
    String kind,
    Double testAccuracy,
    String device,
    int threads) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Reads kind and test accuracy from {@code bundle}'s manifest, when there is one. */
  public static ModelInfo of(
      String modelId, String embedderId, Path bundle, String device, int threads) {
    String kind = null;
    Double accuracy = null;
    if (bundle != null) {
      Path manifest = bundle.resolve(Bundles.MANIFEST);
      if (Files.isRegularFile(manifest)) {
        try {
          JsonNode m = JSON.readTree(manifest.toFile());
          kind = m.path("kind").isTextual() ? m.path("kind").textValue() : null;
          accuracy = accuracy(m.path("metrics"));
        } catch (IOException e) {
          kind = null;
        }
      }
    }
    return new ModelInfo(
        modelId,
        embedderId,
        bundle == null ? null : bundle.toString(),
        kind,
        accuracy,
        device,
        threads);
  }

  /** The test accuracy among a manifest's metrics: {@code test.accuracy} or {@code accuracy}. */
  private static Double accuracy(JsonNode metrics) {
    for (JsonNode n :
        new JsonNode[] {
          metrics.path("test").path("accuracy"),
          metrics.path("test_accuracy"),
          metrics.path("accuracy")
        }) {
      if (n.isNumber()) {
        return n.doubleValue();
      }
    }
    return null;
  }
}
