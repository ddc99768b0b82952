package io.reelsense.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The buffer on its own, on an in-memory store: values are their own buffered-at times (ms). */
class MicroBatchBufferTest {

  private static final String STORE = "buffer";
  private static final Duration MAX_WAIT = Duration.ofMillis(1000);

  private MockProcessorContext<String, Long> context;
  private KeyValueStore<String, Long> store;

  @BeforeEach
  void openStore() {
    context = new MockProcessorContext<>();
    store =
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(STORE), Serdes.String(), Serdes.Long())
            .withLoggingDisabled()
            .build();
    store.init(context.getStateStoreContext(), store);
    context.addStateStore(store);
  }

  private static MicroBatchBuffer<Long> arrival() {
    return MicroBatchBuffer.inArrivalOrder(STORE, MAX_WAIT, v -> v);
  }

  private static MicroBatchBuffer<Long> keyed() {
    return MicroBatchBuffer.byKey(STORE, MAX_WAIT, v -> v);
  }

  private List<KeyValue<String, Long>> stored() {
    List<KeyValue<String, Long>> out = new ArrayList<>();
    try (KeyValueIterator<String, Long> it = store.all()) {
      it.forEachRemaining(out::add);
    }
    return out;
  }

  @Test
  void arrivalOrderTakesTheOldestAndKeepsThemStoredUntilReleased() {
    MicroBatchBuffer<Long> buffer = arrival();
    buffer.restore(context);
    buffer.append(30L);
    buffer.append(10L);
    buffer.append(20L);

    assertThat(stored())
        .containsExactly(
            KeyValue.pair("0000000000000000000", 30L),
            KeyValue.pair("0000000000000000001", 10L),
            KeyValue.pair("0000000000000000002", 20L));
    MicroBatchBuffer.Batch<Long> batch = buffer.take(2);
    assertThat(batch.values()).containsExactly(30L, 10L);
    assertThat(batch.keys()).containsExactly("0000000000000000000", "0000000000000000001");
    assertThat(buffer.size()).isEqualTo(1);
    assertThat(stored()).hasSize(3);

    buffer.release(batch);
    assertThat(stored()).containsExactly(KeyValue.pair("0000000000000000002", 20L));
    // the oldest left is 20: not due at 1019, due at 1020
    assertThat(buffer.due(1019, false)).isFalse();
    assertThat(buffer.due(1020, false)).isTrue();
  }

  @Test
  void dueOnlyWithSomethingWaitingAndOnMaxWaitOrDrain() {
    MicroBatchBuffer<Long> buffer = arrival();
    buffer.restore(context);
    assertThat(buffer.due(Long.MAX_VALUE, true)).isFalse();
    buffer.append(100L);
    assertThat(buffer.due(1099, false)).isFalse();
    assertThat(buffer.due(1099, true)).isTrue();
    assertThat(buffer.due(1100, false)).isTrue();
  }

  @Test
  void restoreReadsTheStoreBackAndContinuesTheSequence() {
    store.put("0000000000000000007", 50L);
    store.put("0000000000000000003", 40L);
    MicroBatchBuffer<Long> buffer = arrival();
    buffer.restore(context);

    assertThat(buffer.size()).isEqualTo(2);
    assertThat(buffer.due(1039, false)).isFalse();
    assertThat(buffer.due(1040, false)).isTrue();
    buffer.append(60L);
    assertThat(stored()).extracting(kv -> kv.key).last().isEqualTo("0000000000000000008");
    assertThat(buffer.take(10).values()).containsExactly(40L, 50L, 60L);
  }

  @Test
  void forgetStopsTheTicksAndEmptiesMemoryButLeavesTheStoreForTheNextOwner() {
    MicroBatchBuffer<Long> buffer = arrival();
    buffer.restore(context);
    buffer.schedule(context, now -> {});
    buffer.append(1L);
    buffer.append(2L);

    assertThat(buffer.forget()).isEqualTo(2);
    assertThat(context.scheduledPunctuators())
        .singleElement()
        .satisfies(p -> assertThat(p.cancelled()).isTrue());
    assertThat(buffer.isEmpty()).isTrue();
    assertThat(stored()).hasSize(2);

    MicroBatchBuffer<Long> next = arrival();
    next.restore(context);
    assertThat(next.take(10).values()).containsExactly(1L, 2L);
  }

  @Test
  void keyedBufferReplacesAWaitingRecordAndMovesItLast() {
    MicroBatchBuffer<Long> buffer = keyed();
    buffer.restore(context);
    buffer.put("a", 10L);
    buffer.put("b", 20L);
    buffer.put("a", 30L);

    assertThat(stored()).containsExactly(KeyValue.pair("a", 30L), KeyValue.pair("b", 20L));
    MicroBatchBuffer.Batch<Long> batch = buffer.take(Integer.MAX_VALUE);
    assertThat(batch.keys()).containsExactly("b", "a");
    assertThat(batch.values()).containsExactly(20L, 30L);
    buffer.release(batch);
    assertThat(stored()).isEmpty();
  }

  @Test
  void removeDeletesFromTheStoreAndTheOldestMovesOn() {
    MicroBatchBuffer<Long> buffer = keyed();
    buffer.restore(context);
    buffer.put("old", 10L);
    buffer.put("new", 500L);
    assertThat(buffer.due(1010, false)).isTrue();

    assertThat(buffer.remove("old")).isTrue();
    assertThat(buffer.remove("unknown")).isFalse();
    assertThat(stored()).containsExactly(KeyValue.pair("new", 500L));
    assertThat(buffer.due(1010, false)).isFalse();
    assertThat(buffer.due(1500, false)).isTrue();
  }

  @Test
  void eachKindRefusesTheOtherKindsAdd() {
    MicroBatchBuffer<Long> arrival = arrival();
    arrival.restore(context);
    assertThatThrownBy(() -> arrival.put("k", 1L)).isInstanceOf(IllegalStateException.class);
    MicroBatchBuffer<Long> keyed = keyed();
    keyed.restore(context);
    assertThatThrownBy(() -> keyed.append(1L)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void ticksFourTimesPerMaxWaitButAtLeastEveryMaxTick() {
    MicroBatchBuffer.inArrivalOrder(STORE, Duration.ofMillis(100), (Long v) -> v)
        .schedule(context, now -> {});
    MicroBatchBuffer.inArrivalOrder(STORE, Duration.ofSeconds(30), (Long v) -> v)
        .schedule(context, now -> {});
    MicroBatchBuffer.inArrivalOrder(STORE, Duration.ZERO, (Long v) -> v)
        .schedule(context, now -> {});

    assertThat(context.scheduledPunctuators())
        .extracting(MockProcessorContext.CapturedPunctuator::getInterval)
        .containsExactly(
            Duration.ofMillis(25),
            Duration.ofMillis(MicroBatchBuffer.MAX_TICK_MS),
            Duration.ofMillis(1));
  }
}
