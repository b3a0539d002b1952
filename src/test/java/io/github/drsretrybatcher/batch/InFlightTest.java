package io.github.drsretrybatcher.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.drsretrybatcher.config.BatchConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

class InFlightTest {

    private static final TopicPartition PARTITION = new TopicPartition("drs.task.failed", 0);

    @Test
    void aFailureStrategyOtherThanFailIsRefusedAtStart() {
        assertThatThrownBy(() -> new InFlight(config(), new SimpleMeterRegistry(), "ignore"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("failure-strategy is 'ignore', but must be 'fail'");
    }

    @Test
    void failedRecordsAreReportedToTheChannelAndNeverCommitted() {
        InFlight inFlight = new InFlight(config(), new SimpleMeterRegistry(), "fail");
        AtomicReference<Throwable> reported = new AtomicReference<>();
        Message<String> message = Message.of("poll").withNack(reason -> {
            reported.set(reason);
            return CompletableFuture.completedFuture(null);
        });
        List<ConsumerRecord<byte[], byte[]>> polled = List.of(record(7), record(8), record(9));
        inFlight.admit(polled, message);
        inFlight.ack(List.of(polled.get(0)));
        IllegalStateException failure = new IllegalStateException("the broker refused the outcome");

        inFlight.fail(List.of(polled.get(1)), failure).await().indefinitely();

        assertThat(reported.get()).isSameAs(failure);
        inFlight.ack(List.of(polled.get(2)));
        assertThat(inFlight.committable(null)).containsExactly(
                Map.entry(PARTITION, new OffsetAndMetadata(8)));
    }

    private static ConsumerRecord<byte[], byte[]> record(long offset) {
        return new ConsumerRecord<>(PARTITION.topic(), PARTITION.partition(), offset, null, new byte[0]);
    }

    private static BatchConfig config() {
        return new BatchConfig() {
            @Override
            public Duration window() {
                return Duration.ofSeconds(1);
            }

            @Override
            public int maxSize() {
                return 100;
            }

            @Override
            public int maxBufferedRecords() {
                return 100;
            }

            @Override
            public Duration commitInterval() {
                return Duration.ofSeconds(1);
            }

            @Override
            public Duration rebalanceTimeout() {
                return Duration.ofSeconds(10);
            }

            @Override
            public Duration shutdownTimeout() {
                return Duration.ofSeconds(10);
            }
        };
    }
}
