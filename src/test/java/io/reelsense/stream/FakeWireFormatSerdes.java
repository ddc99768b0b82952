package io.reelsense.stream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A test stand-in for the registry serde: the Confluent wire format (magic 0, big-endian schema id,
 * Avro binary) with schema ids kept in memory.
 */
public final class FakeWireFormatSerdes implements Topics.AvroSerdeFactory {

  private final Map<Integer, Schema> byId = new ConcurrentHashMap<>();
  private final Map<String, Integer> ids = new ConcurrentHashMap<>();

  public int idOf(Schema schema) {
    return ids.computeIfAbsent(
        schema.getFullName(),
        n -> {
          int id = ids.size() + 1;
          byId.put(id, schema);
          return id;
        });
  }

  @Override
  public <T extends SpecificRecord> Serde<T> valueSerde(Class<T> type) {
    Serializer<T> ser = (topic, value) -> value == null ? null : encode(value);
    Deserializer<T> de =
        (topic, bytes) -> {
          if (bytes == null) {
            return null;
          }
          ByteBuffer b = ByteBuffer.wrap(bytes);
          if (b.get() != 0) {
            throw new SerializationException("unknown magic byte");
          }
          int id = b.getInt();
          Schema writer = byId.get(id);
          if (writer == null) {
            throw new SerializationException("unknown schema id " + id);
          }
          try {
            Schema reader = (Schema) type.getField("SCHEMA$").get(null);
            return new SpecificDatumReader<T>(writer, reader)
                .read(null, DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null));
          } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot decode Avro for schema id " + id, e);
          } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
          }
        };
    return Serdes.serdeFrom(ser, de);
  }

  public <T extends SpecificRecord> byte[] encode(T value) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(0);
      out.write(ByteBuffer.allocate(4).putInt(idOf(value.getSchema())).array());
      BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
      new SpecificDatumWriter<T>(value.getSchema()).write(value, enc);
      enc.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new SerializationException(e);
    }
  }
}
