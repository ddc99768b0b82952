package io.reelsense.cli;

import ai.djl.ndarray.NDArray;
import java.net.http.HttpClient;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * Test code only: a command class that holds a pipeline on purpose (a Kafka producer, an HTTP
 * client and a tensor), so that {@code ArchitectureTest} shows its rule for commands catches it.
 */
final class PipelineFixture {
  KafkaProducer<String, String> producer;
  HttpClient http;
  NDArray tensor;
}
