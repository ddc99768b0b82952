package io.reelsense.model;

import io.reelsense.stream.Topics;
import org.apache.kafka.common.serialization.Serde;

/**
 * Test code only: a model class that breaks the drawn shape on purpose (it knows the stream's
 * topics and a Kafka serde), so that {@code ArchitectureTest} shows its rules catch such a class.
 */
final class ShapeBreakingFixture {
  Topics topics;
  Serde<String> serde;
}
