package io.reelsense.stream;

import io.reelsense.avro.DeadLetter;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Where an input record came from, with its original bytes, so that a record failing at any stage
 * can be dead-lettered as it arrived.
 *
 * @param topic input topic, empty when unknown
 * @param partition input partition, -1 when unknown
 * @param offset input offset, -1 when unknown
 * @param key original key bytes, may be null
 * @param value original value bytes, null for a tombstone
 */
public record Origin(String topic, int partition, long offset, byte[] key, byte[] value) {

  /** The origin of the record a processor is processing. */
  public static Origin of(ProcessorContext<?, ?> context, Record<byte[], byte[]> record) {
    RecordMetadata md = context.recordMetadata().orElse(null);
    return new Origin(
        md == null ? "" : md.topic(),
        md == null ? -1 : md.partition(),
        md == null ? -1 : md.offset(),
        record.key(),
        record.value());
  }

  /** The dead letter of this record, failed at {@code stage} for {@code reason}. */
  public DeadLetter deadLetter(String stage, String reason, long timeMs) {
    return DeadLetters.of(topic, partition, offset, stage, reason, key, value, timeMs);
  }

  /** Writes topic, partition, offset, key and value, as the buffers' layouts hold them. */
  public void write(DataOutputStream out) throws IOException {
    out.writeUTF(topic);
    out.writeInt(partition);
    out.writeLong(offset);
    StoreSerde.writeBytes(out, key);
    StoreSerde.writeBytes(out, value);
  }

  /** Reads what {@link #write} wrote. */
  public static Origin read(DataInputStream in) throws IOException {
    String topic = in.readUTF();
    int partition = in.readInt();
    long offset = in.readLong();
    byte[] key = StoreSerde.readBytes(in);
    return new Origin(topic, partition, offset, key, StoreSerde.readBytes(in));
  }
}
