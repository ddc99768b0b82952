package io.reelsense.stream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.Punctuator;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The changelogged buffer of a micro-batching processor: records wait in a persistent key-value
 * store (its changelog makes them survive a crash or a move of the task to another instance) and in
 * an in-memory copy that spares decoding them again at flush time. A batch is due when the
 * processor's size limit is reached (the processor decides) or, checked by a wall-clock
 * punctuation, when the oldest waiting record has waited {@code maxWait} or a drain was asked for.
 *
 * <p>Two ways to key it: {@link #inArrivalOrder} keys each record by a zero-padded arrival sequence
 * number, so the store iterates in arrival order and every record waits on its own; {@link #byKey}
 * keys it by the caller's key, so a newer record replaces a waiting one of the same key (and goes
 * to the end of the in-memory order).
 *
 * <p>A flush is two steps: {@link #take} removes the oldest records from the in-memory copy and
 * returns them; {@link #release} deletes them from the store once the processor has forwarded what
 * it made of them. Under exactly-once both steps fall in the same transaction as the outputs, so a
 * crash in between brings the records back from the changelog and they are processed again.
 *
 * @param <V> the buffered value; {@code bufferedAt} reads when it entered the buffer (ms)
 */
public final class MicroBatchBuffer<V> {

  /** Longest interval between two checks of the buffer (max wait reached, drain requested). */
  public static final long MAX_TICK_MS = 200;

  /** Zeros to pad an arrival sequence number to 19 digits (the width of {@code Long.MAX_VALUE}). */
  private static final String ZEROS = "0000000000000000000";

  /** The records of one flush, oldest first, with their store keys. */
  public record Batch<V>(List<String> keys, List<V> values) {

    public int size() {
      return values.size();
    }
  }

  private final String storeName;
  private final boolean sequenced;
  private final long maxWaitMs;
  private final ToLongFunction<V> bufferedAt;
  private final Map<String, V> waiting = new LinkedHashMap<>();
  private KeyValueStore<String, V> store;
  private Cancellable punctuation;
  private long nextSeq;
  private long oldestBufferedAt = Long.MAX_VALUE;

  private MicroBatchBuffer(
      String storeName, boolean sequenced, Duration maxWait, ToLongFunction<V> bufferedAt) {
    this.storeName = storeName;
    this.sequenced = sequenced;
    this.maxWaitMs = Math.max(1, maxWait.toMillis());
    this.bufferedAt = bufferedAt;
  }

  /** A buffer whose records are added with {@link #append} and taken in arrival order. */
  public static <V> MicroBatchBuffer<V> inArrivalOrder(
      String storeName, Duration maxWait, ToLongFunction<V> bufferedAt) {
    return new MicroBatchBuffer<>(storeName, true, maxWait, bufferedAt);
  }

  /** A buffer whose records are added with {@link #put}: one waiting record per key. */
  public static <V> MicroBatchBuffer<V> byKey(
      String storeName, Duration maxWait, ToLongFunction<V> bufferedAt) {
    return new MicroBatchBuffer<>(storeName, false, maxWait, bufferedAt);
  }

  /**
   * Opens the store of {@code context} and reads back what it holds (records that waited when the
   * task last stopped), replacing the in-memory copy.
   */
  public void restore(ProcessorContext<?, ?> context) {
    store = context.getStateStore(storeName);
    waiting.clear();
    oldestBufferedAt = Long.MAX_VALUE;
    try (KeyValueIterator<String, V> it = store.all()) {
      while (it.hasNext()) {
        KeyValue<String, V> kv = it.next();
        waiting.put(kv.key, kv.value);
        if (sequenced) {
          nextSeq = Math.max(nextSeq, Long.parseLong(kv.key) + 1);
        }
        oldestBufferedAt = Math.min(oldestBufferedAt, bufferedAt.applyAsLong(kv.value));
      }
    }
  }

  /**
   * Schedules {@code tick} on wall-clock time, at most every {@link #MAX_TICK_MS} (so that a drain
   * at shutdown flushes promptly even with a long max wait) and four times per max wait.
   */
  public void schedule(ProcessorContext<?, ?> context, Punctuator tick) {
    long interval = Math.max(1, Math.min(maxWaitMs / 4, MAX_TICK_MS));
    punctuation =
        context.schedule(Duration.ofMillis(interval), PunctuationType.WALL_CLOCK_TIME, tick);
  }

  /** Adds a record under the next arrival number ({@link #inArrivalOrder} buffers only). */
  public void append(V value) {
    if (!sequenced) {
      throw new IllegalStateException("a keyed buffer takes put(key, value)");
    }
    add(key(nextSeq++), value);
  }

  /**
   * Adds a record under {@code key}, replacing a waiting record of that key ({@link #byKey} buffers
   * only).
   */
  public void put(String key, V value) {
    if (sequenced) {
      throw new IllegalStateException("an arrival-order buffer takes append(value)");
    }
    waiting.remove(key);
    add(key, value);
  }

  private void add(String key, V value) {
    store.put(key, value);
    waiting.put(key, value);
    oldestBufferedAt = Math.min(oldestBufferedAt, bufferedAt.applyAsLong(value));
  }

  /** Removes the record waiting under {@code key}, if any; true when there was one. */
  public boolean remove(String key) {
    if (waiting.remove(key) == null) {
      return false;
    }
    store.delete(key);
    recomputeOldest();
    return true;
  }

  /** How many records wait. */
  public int size() {
    return waiting.size();
  }

  public boolean isEmpty() {
    return waiting.isEmpty();
  }

  /**
   * Whether a punctuation at wall-clock {@code now} should flush: something waits, and a drain was
   * asked for or the oldest record has waited the max wait.
   */
  public boolean due(long now, boolean draining) {
    return !waiting.isEmpty() && (draining || now - oldestBufferedAt >= maxWaitMs);
  }

  /**
   * Takes the oldest {@code limit} records out of the in-memory copy; they stay in the store until
   * {@link #release}.
   */
  public Batch<V> take(int limit) {
    int n = Math.min(limit, waiting.size());
    List<String> keys = new ArrayList<>(n);
    List<V> values = new ArrayList<>(n);
    Iterator<Map.Entry<String, V>> taken = waiting.entrySet().iterator();
    while (taken.hasNext() && values.size() < limit) {
      Map.Entry<String, V> e = taken.next();
      keys.add(e.getKey());
      values.add(e.getValue());
      taken.remove();
    }
    return new Batch<>(keys, values);
  }

  /** Deletes a taken batch from the store: its records are done with. */
  public void release(Batch<V> batch) {
    for (String k : batch.keys()) {
      // put(k, null) deletes without reading (and decoding) the old value, as delete(k) would
      store.put(k, null);
    }
    recomputeOldest();
  }

  /**
   * When the task closes: cancels the punctuation of {@link #schedule} and empties the in-memory
   * copy; the records stay in the changelogged store and whoever gets the task next processes them.
   * Returns how many there were.
   */
  public int forget() {
    if (punctuation != null) {
      punctuation.cancel();
      punctuation = null;
    }
    int n = waiting.size();
    waiting.clear();
    oldestBufferedAt = Long.MAX_VALUE;
    return n;
  }

  private void recomputeOldest() {
    oldestBufferedAt = Long.MAX_VALUE;
    for (V v : waiting.values()) {
      oldestBufferedAt = Math.min(oldestBufferedAt, bufferedAt.applyAsLong(v));
    }
  }

  /** The store key of arrival number {@code seq}: zero-padded, so keys sort in arrival order. */
  static String key(long seq) {
    String digits = Long.toString(seq);
    return ZEROS.substring(digits.length()) + digits;
  }
}
