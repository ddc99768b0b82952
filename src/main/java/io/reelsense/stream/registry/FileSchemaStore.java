package io.reelsense.stream.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SchemaStore} in a file under a directory, for a registry running without a broker: one
 * JSON line per record, {@code {"key":…,"value":…}} with the key and value of Confluent's {@code
 * _schemas} topic, appended and forced to disk before the registry answers. One registry at a time
 * may use a directory (a lock file guards it). A line cut short by a crash is skipped with a
 * warning.
 */
public final class FileSchemaStore implements SchemaStore {

  private static final Logger LOG = LoggerFactory.getLogger(FileSchemaStore.class);

  /** The log's file name inside the directory. */
  public static final String FILE_NAME = "schemas.jsonl";

  private final Path file;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final FileChannel log;
  private final List<StoreRecord> pending = new ArrayList<>();

  private FileSchemaStore(Path dir) throws IOException {
    Files.createDirectories(dir);
    this.file = dir.resolve(FILE_NAME);
    this.lockChannel =
        FileChannel.open(
            dir.resolve("schemas.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock held;
    try {
      held = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      held = null;
    }
    if (held == null) {
      lockChannel.close();
      throw new IllegalStateException(
          "another schema registry is using " + dir + "; stop it or pick another directory");
    }
    this.lock = held;
    try {
      if (Files.exists(file)) {
        load();
      }
      this.log =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
      if (log.size() > 0 && !endsWithNewline()) {
        write(new byte[] {'\n'});
      }
    } catch (IOException | RuntimeException e) {
      lock.release();
      lockChannel.close();
      throw e;
    }
  }

  /**
   * Opens (creating it when missing) the store in {@code dir}.
   *
   * @throws IllegalStateException when the directory cannot be used or another registry holds it
   */
  public static FileSchemaStore open(Path dir) {
    try {
      return new FileSchemaStore(dir);
    } catch (IOException e) {
      throw new IllegalStateException("cannot keep schemas in " + dir + ": " + e.getMessage(), e);
    }
  }

  private void load() throws IOException {
    int number = 0;
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = reader.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        try {
          JsonNode entry = RegistryProtocol.JSON.readTree(line);
          JsonNode value = entry.path("value");
          StoreRecord record =
              StoreRecord.decode(bytes(entry.path("key")), value.isObject() ? bytes(value) : null);
          if (record != null) {
            pending.add(record);
          }
        } catch (IOException | IllegalArgumentException e) {
          LOG.warn("skipping unreadable line {} of {}: {}", number, file, e.getMessage());
        }
      }
    }
  }

  private boolean endsWithNewline() throws IOException {
    try (FileChannel read = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer last = ByteBuffer.allocate(1);
      read.read(last, read.size() - 1);
      return last.get(0) == '\n';
    }
  }

  private static byte[] bytes(JsonNode node) {
    return node.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public synchronized List<StoreRecord> poll() {
    List<StoreRecord> records = List.copyOf(pending);
    pending.clear();
    return records;
  }

  @Override
  public synchronized void append(StoreRecord record) {
    ObjectNode entry = RegistryProtocol.JSON.createObjectNode();
    try {
      entry.set("key", RegistryProtocol.JSON.readTree(record.key()));
      byte[] value = record.value();
      entry.set(
          "value",
          value == null ? RegistryProtocol.JSON.nullNode() : RegistryProtocol.JSON.readTree(value));
      write((entry + "\n").getBytes(StandardCharsets.UTF_8));
      log.force(false);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
    }
    pending.add(record);
  }

  private void write(byte[] bytes) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    while (buffer.hasRemaining()) {
      log.write(buffer);
    }
  }

  @Override
  public String describe() {
    return file.toString();
  }

  @Override
  public synchronized void close() {
    try {
      log.close();
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close " + file, e);
    }
  }
}
