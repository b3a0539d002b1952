package io.github.drsretrybatcher.batch;

import io.github.drsretrybatcher.config.BatchConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Bounds the input records held in memory (past the maximum the consumer stops asking Kafka for more) and
 * tracks the work in flight, so that shutdown can wait for it.
 */
@ApplicationScoped
public class InFlight {

    private static final Logger LOG = Logger.getLogger(InFlight.class);

    private final int maxRecords;
    private final AtomicInteger records = new AtomicInteger();
    private final Deque<CompletableFuture<Void>> waiting = new ArrayDeque<>();
    private final Set<CompletableFuture<Void>> work = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    InFlight(BatchConfig config, MeterRegistry registry) {
        this.maxRecords = config.maxBufferedRecords();
        registry.gauge("drs_batcher_buffered_records", records);
    }

    /** Counts one more record held; the stage completes once there is room for the next one. */
    public CompletionStage<Void> admit() {
        if (records.incrementAndGet() < maxRecords) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> room = new CompletableFuture<>();
        synchronized (waiting) {
            waiting.add(room);
        }
        wakeIfRoom();
        return room;
    }

    /** Acknowledges an input record (its offset may then be committed) and frees its place. */
    public Uni<Void> ack(KafkaRecord<?, ?> record) {
        return Uni.createFrom().completionStage(record::ack).eventually(this::release);
    }

    /** Reports that a record could not be finished; the channel's failure strategy decides what follows. */
    public Uni<Void> nack(KafkaRecord<?, ?> record, Throwable failure) {
        return Uni.createFrom().completionStage(() -> record.nack(failure)).eventually(this::release);
    }

    private void release() {
        records.decrementAndGet();
        wakeIfRoom();
    }

    private void wakeIfRoom() {
        CompletableFuture<Void> next = null;
        synchronized (waiting) {
            if (!closed && records.get() < maxRecords) {
                next = waiting.poll();
            }
        }
        if (next != null) {
            next.complete(null);
        }
    }

    /** Runs {@code action} and keeps it counted until it ends. */
    public void track(Uni<Void> action) {
        CompletableFuture<Void> future = action.subscribeAsCompletionStage();
        work.add(future);
        future.whenComplete((ok, failure) -> work.remove(future));
    }

    /** Takes no more records: {@link #admit()} hands out stages that never complete. */
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
                LOG.warnf("Shutdown timeout: %d actions still in flight", work.size());
                return false;
            }
            try {
                CompletableFuture.allOf(work.toArray(CompletableFuture[]::new)).get(left, TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // a failed action is finished too; time left is checked above
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
