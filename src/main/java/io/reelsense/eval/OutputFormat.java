package io.reelsense.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelsense.avro.DeadLetter;
import io.reelsense.avro.ScoredReview;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** How {@code reelsense tail} shows what it reads: one readable line, or one JSON object a line. */
public final class OutputFormat {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private OutputFormat() {}

  /**
   * One readable line, e.g. {@code test_pos_12 positive p=0.93 ★8 (0.41) film tt0111161 latency 84
   * ms (batch 64, tfidf-lr@1a2b)} or {@code DLQ test_neg_3 validate: empty text}.
   */
  public static String readable(OutputReader.Output o) {
    if (o instanceof OutputReader.Score s) {
      ScoredReview v = s.value();
      StringBuilder sb =
          new StringBuilder(
              String.format(
                  Locale.ROOT,
                  "%s  %-8s p=%.3f",
                  v.getReviewId(),
                  v.getLabelName(),
                  v.getPositiveProbability()));
      if (v.getRating() != 0) {
        sb.append(
            String.format(Locale.ROOT, "  ★%d (%.2f)", v.getRating(), v.getRatingProbability()));
      }
      if (v.getFilmId() != null) {
        sb.append("  film ").append(v.getFilmId());
      }
      sb.append(
          String.format(
              Locale.ROOT,
              "  latency %d ms (batch %d, %s)",
              latencyMs(v),
              v.getBatchSize(),
              v.getModelId()));
      return sb.toString();
    }
    if (o instanceof OutputReader.Letter l) {
      DeadLetter d = l.value();
      return String.format(
          Locale.ROOT,
          "DLQ %s  %s: %s  (%s-%d@%d)",
          l.key() == null ? "(no key)" : l.key(),
          d.getStage(),
          d.getReason(),
          d.getTopic(),
          d.getPartition(),
          d.getOffset());
    }
    OutputReader.Unreadable u = (OutputReader.Unreadable) o;
    return String.format(
        Locale.ROOT, "UNREADABLE %s-%d@%d: %s", u.topic(), u.partition(), u.offset(), u.reason());
  }

  /** From receipt by the topology to the model's score, in ms. */
  public static long latencyMs(ScoredReview v) {
    return v.getScoredAt().toEpochMilli() - v.getReceivedAt().toEpochMilli();
  }

  /** The fields of one output as a JSON-ready map (times as epoch ms). */
  public static Map<String, Object> fields(OutputReader.Output o) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (o instanceof OutputReader.Score s) {
      ScoredReview v = s.value();
      m.put("type", "scored");
      m.put("review_id", v.getReviewId());
      m.put("film_id", v.getFilmId());
      m.put("label", v.getLabel());
      m.put("label_name", v.getLabelName());
      m.put("positive_probability", v.getPositiveProbability());
      m.put("rating", v.getRating());
      m.put("rating_probability", v.getRatingProbability());
      m.put("model_id", v.getModelId());
      m.put("event_time", millis(v.getEventTime()));
      m.put("received_at", millis(v.getReceivedAt()));
      m.put("scored_at", millis(v.getScoredAt()));
      m.put("latency_ms", latencyMs(v));
      m.put("batch_size", v.getBatchSize());
      m.put("inference_ms", v.getInferenceMs());
      m.put("topic", s.topic());
      m.put("partition", s.partition());
      m.put("offset", s.offset());
    } else if (o instanceof OutputReader.Letter l) {
      DeadLetter d = l.value();
      m.put("type", "dead_letter");
      m.put("review_id", l.key());
      m.put("stage", d.getStage());
      m.put("reason", d.getReason());
      m.put("source_topic", d.getTopic());
      m.put("source_partition", d.getPartition());
      m.put("source_offset", d.getOffset());
      m.put("time", millis(d.getTime()));
      m.put("topic", l.topic());
      m.put("partition", l.partition());
      m.put("offset", l.offset());
    } else {
      OutputReader.Unreadable u = (OutputReader.Unreadable) o;
      m.put("type", "unreadable");
      m.put("reason", u.reason());
      m.put("topic", u.topic());
      m.put("partition", u.partition());
      m.put("offset", u.offset());
    }
    return m;
  }

  /** One output as one line of JSON. */
  public static String jsonLine(OutputReader.Output o) {
    try {
      return MAPPER.writeValueAsString(fields(o));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write an output as JSON", e);
    }
  }

  private static Long millis(Instant t) {
    return t == null ? null : t.toEpochMilli();
  }
}
