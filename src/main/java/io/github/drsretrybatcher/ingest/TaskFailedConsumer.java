package io.github.drsretrybatcher.ingest;

import io.github.drsretrybatcher.batch.BatchService;
import io.github.drsretrybatcher.batch.InFlight;
import io.github.drsretrybatcher.batch.OutcomeFactory;
import io.github.drsretrybatcher.batch.PendingRecord;
import io.github.drsretrybatcher.config.Channels;
import io.github.drsretrybatcher.event.DeadLetterCode;
import io.github.drsretrybatcher.event.DeadLetterException;
import io.github.drsretrybatcher.event.Outcome;
import io.github.drsretrybatcher.event.TaskFailed;
import io.github.drsretrybatcher.outcome.DeadLetterPublisher;
import io.github.drsretrybatcher.outcome.OutcomePublisher;
import io.github.drsretrybatcher.telemetry.PipelineMetrics;
import io.github.drsretrybatcher.telemetry.WindowTracing;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordBatchMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Takes each task-failed record: invalid or foreign ones go to the dead-letter topic, parent tasks get a
 * {@code SKIPPED} outcome, the rest join their window. The returned stage holds the stream back while the
 * buffer is full, so that records wait in Kafka rather than in memory.
 */
@ApplicationScoped
public class TaskFailedConsumer {

    private final TaskFailedParser parser;
    private final TenantPolicy tenants;
    private final BatchService batches;
    private final OutcomePublisher outcomes;
    private final DeadLetterPublisher deadLetters;
    private final InFlight inFlight;
    private final Clock clock;
    private final PipelineMetrics metrics;

    TaskFailedConsumer(TaskFailedParser parser, TenantPolicy tenants, BatchService batches, OutcomePublisher outcomes,
            DeadLetterPublisher deadLetters, InFlight inFlight, Clock clock, PipelineMetrics metrics) {
        this.parser = parser;
        this.tenants = tenants;
        this.batches = batches;
        this.outcomes = outcomes;
        this.deadLetters = deadLetters;
        this.inFlight = inFlight;
        this.clock = clock;
        this.metrics = metrics;
    }

    /**
     * Takes one poll's records; the stage completes when the next poll may come (while it does not, records wait
     * in Kafka). Records are taken a poll at a time: per-message dispatch would cost more than the work itself.
     * Polls are taken on a worker thread, one at a time and in order, so that the event loop is left to the DRS
     * calls and their answers.
     */
    @Incoming(Channels.TASK_FAILED)
    @Blocking
    public CompletionStage<Void> consume(KafkaRecordBatch<byte[], byte[]> batch) {
        if (inFlight.isClosed()) {
            return new CompletableFuture<>();
        }
        if (batch.getRecords().isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        // the Kafka records, not the connector's messages around them, are what is kept until finished
        @SuppressWarnings("unchecked")
        IncomingKafkaRecordBatchMetadata<byte[], byte[]> metadata =
                batch.getMetadata(IncomingKafkaRecordBatchMetadata.class).orElseThrow();
        List<ConsumerRecord<byte[], byte[]>> polled = new ArrayList<>(batch.getRecords().size());
        metadata.getRecords().forEach(polled::add);
        CompletionStage<Void> room = inFlight.admit(polled, batch.getRecords().get(0));
        for (ConsumerRecord<byte[], byte[]> record : polled) {
            take(record);
        }
        inFlight.relieve();
        return room;
    }

    private void take(ConsumerRecord<byte[], byte[]> record) {
        TaskFailed task;
        try {
            task = parser.parse(record.value(), record.headers(), record.topic(), record.partition(), record.offset());
            tenants.check(task);
        } catch (DeadLetterException e) {
            deadLetter(record, e);
            return;
        } catch (RuntimeException e) {
            deadLetter(record, new DeadLetterException(DeadLetterCode.INVALID_EVENT,
                    "The record could not be read as a task-failed event: " + e, e));
            return;
        }
        metrics.received(task.isParent() ? PipelineMetrics.Received.parent : PipelineMetrics.Received.valid);
        if (task.isParent()) {
            // decided without a window: the outcome keeps its input's trace
            String traceparent = WindowTracing.inputTraceparent(record.headers());
            inFlight.track(outcomes.publish(OutcomeFactory.withoutCall(List.of(task), Outcome.SKIPPED,
                            "PARENT_TASK", 0, clock.instant().toString()), traceparent)
                    .invoke(() -> inFlight.ack(List.of(record)))
                    .onFailure().call(e -> inFlight.fail(List.of(record), e)));
        } else {
            batches.add(new PendingRecord(task, record));
        }
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> record, DeadLetterException e) {
        metrics.received(PipelineMetrics.Received.dead_letter);
        inFlight.track(deadLetters.publish(record, e.code(), e.getMessage(), e)
                .invoke(() -> inFlight.ack(List.of(record)))
                .onFailure().call(failure -> inFlight.fail(List.of(record), failure)));
    }
}
