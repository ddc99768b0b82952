package io.reelsense.eval;

import io.reelsense.stream.ReelsenseConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/** Checks the Kafka cluster a command talks to before it sends or reads anything. */
public final class Cluster {

  private Cluster() {}

  /**
   * The partitions of every topic in {@code topics}.
   *
   * @throws EvalException when the cluster cannot be reached within {@code timeout} or a topic is
   *     missing, naming the servers, the topics and what to do
   */
  public static List<TopicPartition> partitions(
      ReelsenseConfig config, Collection<String> topics, Duration timeout) {
    try (Admin admin = Admin.create(config.clientProperties())) {
      Set<String> existing;
      try {
        existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        throw new EvalException(
            "cannot reach Kafka at "
                + config.bootstrapServers()
                + " within "
                + timeout.toSeconds()
                + " s; is the broker running? (set --bootstrap or bootstrap.servers)",
            e);
      }
      List<String> missing = new ArrayList<>();
      for (String t : topics) {
        if (!existing.contains(t)) {
          missing.add(t);
        }
      }
      if (!missing.isEmpty()) {
        throw new EvalException(
            "topic(s) "
                + missing
                + " do not exist on "
                + config.bootstrapServers()
                + "; start `reelsense run` against this cluster first (it creates its topics)"
                + " or create them");
      }
      Map<String, TopicDescription> described =
          new TreeMap<>(
              admin
                  .describeTopics(topics)
                  .allTopicNames()
                  .get(timeout.toMillis(), TimeUnit.MILLISECONDS));
      List<TopicPartition> out = new ArrayList<>();
      described.forEach(
          (name, d) ->
              d.partitions().forEach(p -> out.add(new TopicPartition(name, p.partition()))));
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EvalException("interrupted while asking Kafka for its topics", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new EvalException(
          "cannot list the topics of Kafka at "
              + config.bootstrapServers()
              + ": "
              + (e.getCause() == null ? e : e.getCause()).getMessage(),
          e);
    }
  }
}
