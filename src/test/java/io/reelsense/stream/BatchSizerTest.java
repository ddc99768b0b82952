package io.reelsense.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class BatchSizerTest {

  @Test
  void theBatchSizeUntilTimedThenWhatFitsTheTimeLimit() {
    BatchSizer sizer = new BatchSizer(64, Duration.ofMillis(100));
    assertThat(sizer.limit()).isEqualTo(64);
    // 10 ms per record: 10 fit 100 ms
    sizer.timed(Duration.ofMillis(80).toNanos(), 8);
    assertThat(sizer.limit()).isEqualTo(10);
    // a fast batch moves the average a share of the way: 0.3 * 1 ms + 0.7 * 10 ms = 7.3 ms
    sizer.timed(Duration.ofMillis(8).toNanos(), 8);
    assertThat(sizer.nanosPerRecord()).isCloseTo(7.3e6, offset(1.0));
    assertThat(sizer.limit()).isEqualTo(13);
    // never more than the batch size, never less than one
    for (int i = 0; i < 20; i++) {
      sizer.timed(1, 1_000_000);
    }
    assertThat(sizer.limit()).isEqualTo(64);
    sizer.timed(Duration.ofHours(1).toNanos(), 1);
    assertThat(sizer.limit()).isEqualTo(1);
    // an empty batch says nothing
    sizer.timed(0, 0);
    assertThat(sizer.limit()).isEqualTo(1);
  }

  @Test
  void refusesABatchSizeBelowOne() {
    assertThatThrownBy(() -> new BatchSizer(0, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1");
  }

  @Test
  void theFlushTimeLimitIsAQuarterOfTheTighterOfTransactionTimeoutAndPollInterval() {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "x");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    // Kafka Streams' own transaction timeout under exactly-once: 10 s
    assertThat(BatchSizer.flushTimeLimit(p)).isEqualTo(Duration.ofMillis(2500));
    assertThat(BatchSizer.DEFAULT_FLUSH_TIME_LIMIT).isEqualTo(Duration.ofMillis(2500));
    p.put("producer.transaction.timeout.ms", "60000");
    assertThat(BatchSizer.flushTimeLimit(p)).isEqualTo(Duration.ofSeconds(15));
    p.put("consumer.max.poll.interval.ms", "20000");
    assertThat(BatchSizer.flushTimeLimit(p)).isEqualTo(Duration.ofSeconds(5));
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
    p.remove("consumer.max.poll.interval.ms");
    // no transaction: only the poll interval (5 min by default) counts
    assertThat(BatchSizer.flushTimeLimit(p)).isEqualTo(Duration.ofSeconds(75));
  }
}
