package io.reelsense.stream;

import io.reelsense.avro.DeadLetter;
import io.reelsense.stream.registry.SchemaRegistryException;
import io.reelsense.stream.registry.WireFormatException;
import io.reelsense.stream.serve.StreamMetrics;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The first stage of the review and the film sub-topologies: takes the raw bytes of a record,
 * decodes them (Confluent wire format + Avro) and checks the value; forwards it accepted, keyed by
 * its id, or rejected as a dead letter naming the stage and the reason. Bad bytes never throw: they
 * become dead letters.
 *
 * <p>Records whose bytes are bad ({@link WireFormatException}: unknown magic byte or schema id,
 * truncated or malformed Avro, incompatible schema) are dead-lettered with the exception's reason.
 * Only a failure of the schema registry itself (a {@link SchemaRegistryException}, a socket error
 * or a timeout in the cause chain) is thrown, because it says nothing about the record: the stream
 * thread fails, is replaced, and resumes from the last committed offset.
 *
 * @param <T> the decoded value
 * @param <O> what the stage forwards
 */
public abstract class AbstractValidateProcessor<T, O>
    implements Processor<byte[], byte[], String, O> {

  /** Size of the Confluent wire-format header: magic byte + 4-byte schema id. */
  static final int WIRE_HEADER = 5;

  private final Deserializer<T> deserializer;
  private final StreamMetrics metrics;
  private final String noun;
  private final String decodeStage;
  private final String checkStage;

  /** The context, once {@link #init} has run. */
  protected ProcessorContext<String, O> context;

  /**
   * @param noun what the value holds ("review"), for the message when the deserializer returns
   *     nothing
   * @param decodeStage the dead-letter stage of bytes that do not decode
   * @param checkStage the dead-letter stage of a decoded value that fails {@link #check}
   */
  protected AbstractValidateProcessor(
      Deserializer<T> deserializer,
      StreamMetrics metrics,
      String noun,
      String decodeStage,
      String checkStage) {
    this.deserializer = deserializer;
    this.metrics = metrics;
    this.noun = noun;
    this.decodeStage = decodeStage;
    this.checkStage = checkStage;
  }

  /** The value's id, the key it is forwarded with. */
  protected abstract String id(T value);

  /** What is wrong with a decoded value, or null when nothing is. */
  protected abstract String check(T value);

  /**
   * What a valid value is forwarded as.
   *
   * @param receivedAt timestamp of the input record, epoch ms
   * @param now wall-clock time, epoch ms
   */
  protected abstract O accepted(T value, long receivedAt, long now, Origin origin);

  /** What a record that cannot be processed is forwarded as. */
  protected abstract O rejected(DeadLetter letter);

  /**
   * Handles a tombstone (null value) and returns true, or returns false to have it rejected as
   * undecodable, as this default does.
   */
  protected boolean tombstone(Record<byte[], byte[]> record, Origin origin) {
    return false;
  }

  @Override
  public void init(ProcessorContext<String, O> context) {
    this.context = context;
  }

  @Override
  public final void process(Record<byte[], byte[]> record) {
    metrics.received();
    Origin origin = Origin.of(context, record);
    if (origin.value() == null && tombstone(record, origin)) {
      return;
    }
    String stage = decodeStage;
    Decoded<T> decoded = decode(origin.topic(), record.headers(), origin.value());
    T value = decoded.value();
    String problem = decoded.problem();
    if (value != null) {
      stage = checkStage;
      problem = check(value);
    }
    long now = context.currentSystemTimeMs();
    if (problem != null) {
      context.forward(
          record
              .withKey(value == null ? null : id(value))
              .withValue(rejected(origin.deadLetter(stage, problem, now))));
      return;
    }
    context.forward(
        record.withKey(id(value)).withValue(accepted(value, record.timestamp(), now, origin)));
  }

  /** A record value decoded from the Confluent wire format, or why it could not be. */
  private record Decoded<V>(V value, String problem) {}

  /**
   * Checks the wire-format envelope (present, magic byte 0, long enough for the schema id) and
   * deserializes. A failure of the registry or the network is thrown, since it says nothing about
   * the record.
   */
  private Decoded<T> decode(String topic, Headers headers, byte[] value) {
    if (value == null || value.length == 0) {
      return new Decoded<>(
          null, value == null ? "null value (tombstone)" : "empty value (0 bytes)");
    }
    if (value[0] != 0) {
      return new Decoded<>(
          null,
          String.format(
              "unknown magic byte 0x%02x (expected 0x00 of the Confluent wire format)",
              value[0] & 0xff));
    }
    if (value.length < WIRE_HEADER) {
      return new Decoded<>(
          null,
          "value of "
              + value.length
              + " bytes is too short for the Confluent wire format (magic + 4-byte schema id)");
    }
    try {
      T decoded = deserializer.deserialize(topic, headers, value);
      return decoded == null
          ? new Decoded<>(null, "the deserializer returned no " + noun)
          : new Decoded<>(decoded, null);
    } catch (WireFormatException e) {
      return new Decoded<>(null, e.reason());
    } catch (RuntimeException e) {
      if (isInfrastructure(e)) {
        throw e;
      }
      return new Decoded<>(null, DeadLetters.reason(e));
    }
  }

  /** A failure of the schema registry or the network, which says nothing about the record. */
  private static boolean isInfrastructure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SchemaRegistryException
          || t instanceof SocketException
          || t instanceof SocketTimeoutException
          || t instanceof UnknownHostException
          || t instanceof HttpTimeoutException) {
        return true;
      }
    }
    return false;
  }
}
