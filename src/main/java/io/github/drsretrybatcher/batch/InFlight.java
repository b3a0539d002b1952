package io.github.drsretrybatcher.batch;

import io.github.drsretrybatcher.config.BatchConfig;
import io.github.drsretrybatcher.config.Channels;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * The input records between their arrival and their acknowledgement: bounds how many are held (past the
 * maximum, or while a gate such as an open breaker is shut, the consumer stops asking Kafka for more), knows
 * per partition which offset may be committed, and tracks the work in flight so that shutdown and rebalances
 * can wait for it.
 */
@ApplicationScoped
public class InFlight {

    private static final Logger LOG = Logger.getLogger(InFlight.class);
    static final String FAILURE_STRATEGY = "mp.messaging.incoming." + Channels.TASK_FAILED + ".failure-strategy";

    private final int maxRecords;
    private final AtomicInteger records = new AtomicInteger();
    private final Deque<CompletableFuture<Void>> waiting = new ArrayDeque<>();
    private final Map<TopicPartition, PartitionOffsets> offsets = new HashMap<>();
    private final Set<CompletableFuture<Void>> work = ConcurrentHashMap.newKeySet();
    private volatile BooleanSupplier gateOpen = () -> true;
    private volatile Runnable whenFull = () -> { };
    private volatile boolean closed;
    /** A message of the newest poll: failures are reported to the channel through it. */
    private volatile Message<?> channel;

    InFlight(BatchConfig config, MeterRegistry registry,
            @ConfigProperty(name = FAILURE_STRATEGY, defaultValue = "fail") String failureStrategy) {
        if (!"fail".equals(failureStrategy)) {
            throw new IllegalStateException(FAILURE_STRATEGY + " is '" + failureStrategy + "', but must be 'fail': a"
                    + " record whose outcome or dead letter cannot be published stops the channel uncommitted.");
        }
        this.maxRecords = config.maxBufferedRecords();
        registry.gauge("drs_batcher_buffered_records", records);
    }

    /**
     * Registers the records of one poll; the stage completes once the next poll may be taken (at most one poll
     * beyond {@code batch.max-buffered-records} is held). {@code message} is any message of the poll.
     */
    public CompletionStage<Void> admit(List<? extends ConsumerRecord<?, ?>> polled, Message<?> message) {
        channel = message;
        synchronized (offsets) {
            for (ConsumerRecord<?, ?> record : polled) {
                offsets.computeIfAbsent(partition(record), p -> new PartitionOffsets()).received(record.offset());
            }
        }
        records.addAndGet(polled.size());
        if (mayTakeMore()) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> room = new CompletableFuture<>();
        synchronized (waiting) {
            waiting.add(room);
        }
        wake();
        return room;
    }

    /**
     * Marks finished records (their outcomes or dead letters are on the broker): their offsets may now be
     * committed, and their places are free. Offsets are committed by {@link OffsetCommitter}, not by the connector.
     */
    public void ack(List<? extends ConsumerRecord<?, ?>> finished) {
        synchronized (offsets) {
            for (ConsumerRecord<?, ?> record : finished) {
                PartitionOffsets partition = offsets.get(partition(record));
                if (partition != null) {
                    partition.finished(record.offset());
                }
            }
        }
        records.addAndGet(-finished.size());
        wake();
    }

    /**
     * Reports records that could not be finished: the channel stops (its failure strategy is {@code fail}, checked
     * at start), and their offsets are never committed. The report goes through a message of the newest poll, which
     * with that strategy stops the channel whichever message carries it: buffered records keep no message.
     */
    public Uni<Void> fail(List<? extends ConsumerRecord<?, ?>> failed, Throwable failure) {
        Message<?> message = channel;
        return Uni.createFrom().completionStage(() -> message.nack(failure)).eventually(() -> {
            records.addAndGet(-failed.size());
            wake();
        });
    }

    /** Shuts the gate while {@code open} says false; {@link #wake()} must be called when it opens again. */
    public void gate(BooleanSupplier open) {
        this.gateOpen = open;
    }

    /**
     * Runs {@code whenFull} whenever the consumer waits because the maximum is reached and no work is in flight:
     * then nothing but a window's time would make room, so a window can be let go early instead.
     */
    public void whenFull(Runnable whenFull) {
        this.whenFull = whenFull;
    }

    /** Checks for the state {@link #whenFull} is for; called once a poll's records are in their windows. */
    public void relieve() {
        boolean someoneWaits;
        synchronized (waiting) {
            someoneWaits = !waiting.isEmpty();
        }
        if (someoneWaits && !closed && records.get() >= maxRecords && work.isEmpty()) {
            whenFull.run();
        }
    }

    /** Lets waiting records through if there is room and the gate is open. */
    public void wake() {
        while (mayTakeMore()) {
            CompletableFuture<Void> next;
            synchronized (waiting) {
                next = waiting.poll();
            }
            if (next == null) {
                return;
            }
            next.complete(null);
        }
    }

    private boolean mayTakeMore() {
        return !closed && records.get() < maxRecords && gateOpen.getAsBoolean();
    }

    /** The offsets that may be committed now, for the given partitions or (null) all. */
    public Map<TopicPartition, OffsetAndMetadata> committable(Collection<TopicPartition> only) {
        Map<TopicPartition, OffsetAndMetadata> result = new HashMap<>();
        synchronized (offsets) {
            offsets.forEach((partition, state) -> {
                long offset = state.committable();
                if (offset >= 0 && (only == null || only.contains(partition))) {
                    result.put(partition, new OffsetAndMetadata(offset));
                }
            });
        }
        return result;
    }

    /** Records that {@code committed} is on the broker. */
    public void committed(Map<TopicPartition, OffsetAndMetadata> committed) {
        synchronized (offsets) {
            committed.forEach((partition, offset) -> {
                PartitionOffsets state = offsets.get(partition);
                if (state != null) {
                    state.committed(offset.offset());
                }
            });
        }
    }

    /** Forgets partitions this consumer no longer owns, or owns afresh. */
    public void forget(Collection<TopicPartition> partitions) {
        synchronized (offsets) {
            partitions.forEach(offsets::remove);
        }
    }

    /** Runs {@code action} and keeps it counted until it ends. */
    public void track(Uni<Void> action) {
        CompletableFuture<Void> future = action.subscribeAsCompletionStage();
        work.add(future);
        future.whenComplete((ok, failure) -> {
            work.remove(future);
            relieve();
        });
    }

    /** Takes no more records: {@link #admit} hands out stages that never complete. */
    public void close() {
        closed = true;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Waits until no tracked work is left, at most {@code timeout}; true when everything finished. */
    public boolean awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!work.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                LOG.warnf("Gave up waiting: %d actions still in flight", work.size());
                return false;
            }
            try {
                CompletableFuture.allOf(work.toArray(CompletableFuture[]::new)).get(left, TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // a failed action is finished too; the time left is checked above
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private static TopicPartition partition(ConsumerRecord<?, ?> record) {
        return new TopicPartition(record.topic(), record.partition());
    }
}
