package io.reelsense.stream.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.reelsense.stream.BatchControl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/**
 * The operators' dashboard queries only metrics the application exports, Prometheus scrapes the
 * query server's {@code /metrics}, and the monitoring services are optional and pinned.
 */
class DashboardMetricsTest {

  private static final Pattern METRIC = Pattern.compile("\\breelsense_[a-z_]+");

  @Test
  void everyMetricTheDashboardQueriesIsExported() throws Exception {
    JsonNode dashboard =
        new ObjectMapper().readTree(Path.of("deploy/grafana/dashboards/reelsense.json").toFile());
    Set<String> queried = new TreeSet<>();
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        Matcher m = METRIC.matcher(target.path("expr").asText());
        while (m.find()) {
          queried.add(m.group());
        }
      }
    }
    assertThat(queried).hasSizeGreaterThanOrEqualTo(8);

    StreamMetrics metrics = StreamMetrics.prometheus();
    metrics.received();
    metrics.emitted(StreamMetrics.Output.SCORED, 1);
    metrics.deadLettered("deserialize", "unknown magic byte 0x07");
    metrics.batch(4);
    metrics.inference("classify", 1_000_000);
    metrics.model("m@1", Optional.empty());
    metrics.buffer(new BatchControl());
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "dashboard-check");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
    p.put(
        StreamsConfig.STATE_DIR_CONFIG,
        Files.createTempDirectory("reelsense-dashboard").toString());
    StreamsBuilder b = new StreamsBuilder();
    b.stream("in").to("out");
    try (KafkaStreams streams = new KafkaStreams(b.build(), p)) {
      metrics.bind(streams);
      String scrape = metrics.scrape().orElseThrow();
      Set<String> exported = new TreeSet<>();
      for (String line : scrape.lines().toList()) {
        Matcher m = METRIC.matcher(line);
        if (!line.startsWith("#") && m.lookingAt()) {
          exported.add(m.group());
        }
      }
      assertThat(exported).containsAll(queried);
    }
  }

  @Test
  void prometheusScrapesTheQueryServerAndTheMonitoringServicesAreOptionalAndPinned()
      throws Exception {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    JsonNode prom = yaml.readTree(Path.of("deploy/prometheus/prometheus.yml").toFile());
    JsonNode job = prom.path("scrape_configs").get(0);
    assertThat(job.path("metrics_path").asText()).isEqualTo("/metrics");
    assertThat(job.path("static_configs").get(0).path("targets").toString())
        .contains("reelsense-cpu:7070");
    JsonNode services = yaml.readTree(Path.of("docker-compose.yml").toFile()).path("services");
    for (String s : new String[] {"prometheus", "grafana"}) {
      JsonNode svc = services.path(s);
      assertThat(svc.path("profiles").toString()).isEqualTo("[\"monitoring\"]");
      assertThat(svc.path("image").asText()).matches("[a-z/]+:v?[0-9]+\\.[0-9]+\\.[0-9]+");
    }
    JsonNode ds =
        yaml.readTree(Path.of("deploy/grafana/provisioning/datasources/prometheus.yml").toFile());
    assertThat(ds.path("datasources").get(0).path("url").asText())
        .isEqualTo("http://prometheus:9090");
  }
}
