package io.reelsense.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.reelsense.stream.registry.SchemaRegistryClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code reelsense broker} started again on the same {@code --log-dir} (or {@code --registry-dir})
 * answers with the schemas and ids it handed out before.
 */
class BrokerCommandRegistryTest {

  private static final Schema FIRST =
      SchemaBuilder.record("Thing")
          .namespace("io.example")
          .fields()
          .requiredString("a")
          .endRecord();
  private static final Schema SECOND =
      SchemaBuilder.record("Other").namespace("io.example").fields().requiredInt("b").endRecord();

  /** A running {@code reelsense broker}: its registry URL and the call that ends with it. */
  private record Running(String registryUrl, CompletableFuture<Integer> exit, StringWriter err) {}

  private static Running start(String... args) throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(
            () -> Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!out.toString().contains("ready\n") && System.nanoTime() < deadline) {
      assertThat(exit).as("broker ended early: %s", err).isNotDone();
      Thread.sleep(50);
    }
    assertThat(out.toString()).as("stderr: %s", err).contains("ready");
    String url =
        out.toString()
            .lines()
            .filter(l -> l.startsWith("registry "))
            .findFirst()
            .orElseThrow()
            .substring("registry ".length());
    return new Running(url, exit, err);
  }

  private static void awaitExit(Running running) throws Exception {
    assertThat(running.exit().get(60, TimeUnit.SECONDS)).as("stderr: %s", running.err()).isZero();
  }

  private static SchemaRegistryClient client(String url) {
    return SchemaRegistryClient.builder(url)
        .timeouts(Duration.ofSeconds(5), Duration.ofSeconds(30))
        .build();
  }

  @Test
  void schemasOutliveABrokerRestartOnTheSameLogDir(@TempDir Path tmp) throws Exception {
    String logDir = tmp.resolve("kafka").toString();
    Running first = start("broker", "--log-dir", logDir, "--run-for", "3");
    assertThat(client(first.registryUrl()).register("t-value", FIRST)).isEqualTo(1);
    awaitExit(first);

    Running second = start("broker", "--log-dir", logDir, "--run-for", "3");
    SchemaRegistryClient again = client(second.registryUrl());
    assertThat(again.schemaTextById(1)).isEqualTo(FIRST.toString());
    assertThat(again.register("u-value", SECOND)).isEqualTo(2);
    assertThat(again.register("t-value", FIRST)).isEqualTo(1);
    awaitExit(second);
  }

  @Test
  void aRegistryOnItsOwnKeepsSchemasInRegistryDir(@TempDir Path tmp) throws Exception {
    String dir = tmp.resolve("schemas").toString();
    Running first = start("broker", "--no-kafka", "--registry-dir", dir, "--run-for", "2");
    assertThat(client(first.registryUrl()).register("t-value", FIRST)).isEqualTo(1);
    awaitExit(first);

    Running second = start("broker", "--no-kafka", "--registry-dir", dir, "--run-for", "2");
    assertThat(client(second.registryUrl()).schemaTextById(1)).isEqualTo(FIRST.toString());
    awaitExit(second);
  }
}
