package io.github.drsretrybatcher.batch;

import io.github.drsretrybatcher.config.BatchConfig;
import io.github.drsretrybatcher.config.Channels;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Commits input offsets: periodically, up to the first record whose outcome is not on the broker yet; and on
 * revocation, after flushing the open windows and waiting (bounded) for them, so that another consumer does
 * not start before records this one already handled. Also the last step of a graceful shutdown.
 */
@ApplicationScoped
@Identifier(OffsetCommitter.NAME)
public class OffsetCommitter implements KafkaConsumerRebalanceListener {

    /** Name the input channel's {@code consumer-rebalance-listener.name} refers to. */
    public static final String NAME = "drs-task-failed-rebalance";

    private static final Logger LOG = Logger.getLogger(OffsetCommitter.class);

    private final InFlight inFlight;
    private final BatchService batches;
    private final KafkaClientService kafka;
    private final BatchConfig config;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "drs-offset-commit");
        thread.setDaemon(true);
        return thread;
    });

    OffsetCommitter(InFlight inFlight, BatchService batches, KafkaClientService kafka, BatchConfig config) {
        this.inFlight = inFlight;
        this.batches = batches;
        this.kafka = kafka;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        long every = config.commitInterval().toMillis();
        timer.scheduleWithFixedDelay(this::commitQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    /** After {@link GracefulShutdown} has drained the windows: the final commit, before the connector closes. */
    void stop(@Observes @Priority(2) ShutdownEvent event) throws InterruptedException {
        timer.shutdown();
        timer.awaitTermination(10, TimeUnit.SECONDS);
        commit(Duration.ofSeconds(10));
    }

    private void commitQuietly() {
        try {
            commit(config.commitInterval().multipliedBy(10));
        } catch (RuntimeException e) {
            LOG.warnf("Offset commit failed, will try again: %s", e.getMessage());
        }
    }

    private void commit(Duration timeout) {
        Map<TopicPartition, OffsetAndMetadata> offsets = inFlight.committable(null);
        if (offsets.isEmpty()) {
            return;
        }
        var consumer = kafka.getConsumer(Channels.TASK_FAILED);
        if (consumer == null) {
            return;
        }
        consumer.commit(offsets).await().atMost(timeout);
        inFlight.committed(offsets);
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        batches.flushAll();
        if (!inFlight.awaitIdle(config.rebalanceTimeout())) {
            LOG.warnf("Rebalance: outcomes still in flight after %s; their records will be consumed again",
                    config.rebalanceTimeout());
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = inFlight.committable(partitions);
        if (!offsets.isEmpty()) {
            consumer.commitSync(offsets);
        }
        inFlight.forget(partitions);
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        inFlight.forget(partitions);
    }
}
