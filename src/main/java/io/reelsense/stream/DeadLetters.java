package io.reelsense.stream;

import io.reelsense.avro.DeadLetter;
import io.reelsense.stream.serve.StreamMetrics;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/** Builds {@link DeadLetter}s and readable reasons; the stage names used in the DLQ. */
public final class DeadLetters {

  /** The value could not be decoded (wire format, schema id, Avro). */
  public static final String STAGE_DESERIALIZE = "deserialize";

  /** The review decoded but is unusable (empty id, empty or oversized text). */
  public static final String STAGE_VALIDATE = "validate";

  /** The model failed on the batch holding the review. */
  public static final String STAGE_CLASSIFY = "classify";

  /** The embedder failed on the batch holding the review. */
  public static final String STAGE_EMBED = "embed";

  /** A film record could not be decoded. */
  public static final String STAGE_FILM_DESERIALIZE = "film-deserialize";

  /** A film decoded but is unusable (empty id, title or description). */
  public static final String STAGE_FILM_VALIDATE = "film-validate";

  /** The film encoder failed on the batch holding the film. */
  public static final String STAGE_FILM_EMBED = "film-embed";

  private DeadLetters() {}

  /**
   * Sends a sub-topology's failed records to the dead-letter topic, each counted by stage and
   * reason and keyed by the original record's key bytes.
   *
   * @param failed the failed records, each holding its dead letter
   * @param letter a record's dead letter
   * @param keyName the name of the keying step
   * @param sinkName the name of the sink
   */
  public static <V> void send(
      KStream<String, V> failed,
      Function<V, DeadLetter> letter,
      Topics topics,
      Topics.ValueSerdes serdes,
      StreamMetrics metrics,
      String keyName,
      String sinkName) {
    failed
        .map(
            (k, v) -> {
              DeadLetter d = letter.apply(v);
              metrics.deadLettered(d.getStage(), d.getReason());
              return KeyValue.pair(bytes(d.getKey()), d);
            },
            Named.as(keyName))
        .to(
            topics.reviewsDlq(),
            Produced.with(Serdes.ByteArray(), serdes.deadLetter()).withName(sinkName));
  }

  private static byte[] bytes(ByteBuffer b) {
    if (b == null) {
      return null;
    }
    ByteBuffer d = b.duplicate();
    byte[] out = new byte[d.remaining()];
    d.get(out);
    return out;
  }

  public static DeadLetter of(
      String topic,
      int partition,
      long offset,
      String stage,
      String reason,
      byte[] key,
      byte[] value,
      long timeMs) {
    return DeadLetter.newBuilder()
        .setTopic(topic == null ? "" : topic)
        .setPartition(partition)
        .setOffset(offset)
        .setStage(stage)
        .setReason(reason)
        .setKey(key == null ? null : ByteBuffer.wrap(key))
        .setValue(value == null ? null : ByteBuffer.wrap(value))
        .setTime(Instant.ofEpochMilli(timeMs))
        .build();
  }

  /** A one-line reason from an exception and its causes, e.g. {@code X: boom (caused by Y: z)}. */
  public static String reason(Throwable e) {
    StringBuilder sb = new StringBuilder(describe(e));
    Throwable seen = e;
    for (Throwable c = e.getCause();
        c != null && c != seen && sb.length() < 1000;
        c = c.getCause()) {
      sb.append(" (caused by ").append(describe(c)).append(')');
      seen = c;
    }
    return sb.length() > 1000 ? sb.substring(0, 1000) + "…" : sb.toString();
  }

  private static String describe(Throwable t) {
    String m = t.getMessage();
    return t.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
  }
}
