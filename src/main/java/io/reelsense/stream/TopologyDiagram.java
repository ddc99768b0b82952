package io.reelsense.stream;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.streams.TopologyDescription;

/** Renders a Kafka Streams {@link TopologyDescription} as a Mermaid flowchart. */
public final class TopologyDiagram {

  private TopologyDiagram() {}

  /** The Mermaid source: one subgraph per sub-topology, topics and stores as cylinders. */
  public static String mermaid(TopologyDescription description) {
    Set<String> lines = new LinkedHashSet<>();
    Set<String> topics = new LinkedHashSet<>();
    Set<String> stores = new LinkedHashSet<>();
    StringBuilder sb = new StringBuilder("flowchart LR\n");
    List<TopologyDescription.Subtopology> subs = new ArrayList<>(description.subtopologies());
    subs.sort(Comparator.comparingInt(TopologyDescription.Subtopology::id));
    for (TopologyDescription.Subtopology sub : subs) {
      sb.append("  subgraph sub").append(sub.id());
      sb.append("[\"sub-topology ").append(sub.id()).append("\"]\n");
      List<TopologyDescription.Node> nodes = new ArrayList<>(sub.nodes());
      nodes.sort(Comparator.comparing(TopologyDescription.Node::name));
      for (TopologyDescription.Node node : nodes) {
        sb.append("    ").append(id(node.name())).append("[\"").append(node.name()).append("\"]\n");
        if (node instanceof TopologyDescription.Source source) {
          for (String topic : source.topicSet()) {
            topics.add(topic);
            lines.add("  " + topicId(topic) + " --> " + id(node.name()));
          }
        }
        if (node instanceof TopologyDescription.Sink sink && sink.topic() != null) {
          topics.add(sink.topic());
          lines.add("  " + id(node.name()) + " --> " + topicId(sink.topic()));
        }
        if (node instanceof TopologyDescription.Processor processor) {
          for (String store : processor.stores()) {
            stores.add(store);
            lines.add("  " + id(node.name()) + " -.- " + storeId(store));
          }
        }
        List<TopologyDescription.Node> next = new ArrayList<>(node.successors());
        next.sort(Comparator.comparing(TopologyDescription.Node::name));
        for (TopologyDescription.Node successor : next) {
          lines.add("  " + id(node.name()) + " --> " + id(successor.name()));
        }
      }
      sb.append("  end\n");
    }
    for (String topic : topics) {
      sb.append("  ").append(topicId(topic)).append("[(\"").append(topic).append("\")]\n");
    }
    for (String store : stores) {
      sb.append("  ").append(storeId(store)).append("[(\"store: ").append(store).append("\")]\n");
    }
    lines.forEach(l -> sb.append(l).append('\n'));
    return sb.toString();
  }

  private static String id(String name) {
    return "n_" + name.replaceAll("[^A-Za-z0-9]", "_");
  }

  private static String topicId(String name) {
    return "t_" + name.replaceAll("[^A-Za-z0-9]", "_");
  }

  private static String storeId(String name) {
    return "s_" + name.replaceAll("[^A-Za-z0-9]", "_");
  }
}
