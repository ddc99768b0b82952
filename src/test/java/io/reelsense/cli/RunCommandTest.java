package io.reelsense.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.reelsense.train.TinyBundles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {

  @TempDir Path tmp;

  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString());
  }

  private Path tinyBundle() throws Exception {
    return TinyBundles.tfidf(tmp.resolve("bundle"));
  }

  @Test
  void runsOnTheEmbeddedBrokerPrintsTheMaskedConfigAndStopsCleanly() throws Exception {
    Result r =
        run(
            "run",
            "--embedded",
            "--bundle",
            tinyBundle().toString(),
            "--embedder",
            "none",
            "--http-port",
            "0",
            "--set",
            "basic.auth.user.info=me:topsecret",
            "--run-for",
            "2",
            "--json");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("configuration (secrets masked):")
        .contains("basic.auth.user.info = ******")
        .doesNotContain("topsecret")
        .contains("running: reviews → reviews-scored with tfidf-lr@")
        .contains("stopped cleanly after");
    String json = r.out().strip().lines().reduce((a, b) -> b).orElseThrow();
    assertThat(Json.MAPPER.readTree(json).get("pending").asLong()).isZero();
  }

  @Test
  void aMissingBundleOrAnInvalidValueIsOneClearLine() {
    Result noBundle = run("run", "--bootstrap", "localhost:1");
    assertThat(noBundle.code()).isEqualTo(1);
    assertThat(noBundle.err()).startsWith("error: no model bundle: pass --bundle DIR");

    Result bad = run("run", "--batch-size", "0", "--bundle", tmp.toString());
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.err())
        .startsWith(
            "error: invalid configuration batch.size=0 (from the command line): must be between 1"
                + " and 100000");

    Result notABundle = run("run", "--bundle", tmp.toString(), "--embedder", "none");
    assertThat(notABundle.code()).isEqualTo(1);
    assertThat(notABundle.err()).contains("manifest.json");
  }

  @Test
  void aMissingEmbedderJarIsOneLineBeforeAnyBrokerIsSought() throws Exception {
    String before = System.getProperty("maven.repo.local");
    System.setProperty("maven.repo.local", tmp.resolve("empty-repo").toString());
    try {
      Result r = run("run", "--bootstrap", "127.0.0.1:1", "--bundle", tinyBundle().toString());
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err().strip())
          .startsWith("error: the encoder bge-small for review-embeddings is not in the local")
          .endsWith("fetch it with `reelsense models pull bge-small`, or pass --embedder none");
    } finally {
      if (before == null) {
        System.clearProperty("maven.repo.local");
      } else {
        System.setProperty("maven.repo.local", before);
      }
    }
  }

  @Test
  void noBrokerFailsWithinSecondsWithOneLine() throws Exception {
    int closed;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    Result r =
        run(
            "run",
            "--bootstrap",
            "127.0.0.1:" + closed,
            "--registry",
            "http://127.0.0.1:" + closed,
            "--bundle",
            tinyBundle().toString(),
            "--embedder",
            "none");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("inference: tfidf-lr classifier on the JVM (CPU)");
    assertThat(r.err().strip())
        .startsWith("error: cannot reach Kafka at 127.0.0.1:" + closed + " within 5 s")
        .endsWith(
            "start the broker or fix bootstrap.servers (REELSENSE_BOOTSTRAP_SERVERS,"
                + " --bootstrap)")
        .doesNotContain("\n");
  }

  @Test
  void gpuDemandedWithoutAGpuFailsWithOneLine() throws Exception {
    org.assertj.core.api.Assumptions.assumeThat(
            ai.djl.engine.Engine.getEngine("PyTorch").getGpuCount())
        .isZero();
    Result r =
        run(
            "run",
            "--embedded",
            "--bundle",
            tinyBundle().toString(),
            "--embedder",
            "none",
            "--device",
            "gpu");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().strip())
        .startsWith("error: model.device=gpu (from the command line): ")
        .contains("finds 0 GPU(s) here; use --device cpu or auto")
        .doesNotContain("\n");
  }
}
