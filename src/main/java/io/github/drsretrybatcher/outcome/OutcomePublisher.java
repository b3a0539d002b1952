package io.github.drsretrybatcher.outcome;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.github.drsretrybatcher.config.Channels;
import io.github.drsretrybatcher.config.DrsConfig;
import io.github.drsretrybatcher.event.RetryOutcome;
import io.github.drsretrybatcher.telemetry.PipelineMetrics;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Publishes outcome events with CloudEvents binary-mode headers; the returned Uni ends when the broker has them.
 *
 * <p>The records go straight to the Kafka producer of the {@code retry-outcome} channel (configured, secured and
 * health-checked by the connector like any channel): an outcome per job is the service's main output, and the
 * emitter's per-message machinery cost more than building and sending the record.
 */
@ApplicationScoped
public class OutcomePublisher {

    /** The {@code ce_type} of every outcome event. */
    public static final String CE_TYPE = "drs.task.retry.outcome";

    private static final byte[] SPEC_VERSION = bytes("1.0");
    private static final byte[] TYPE = bytes(CE_TYPE);
    private static final byte[] JSON = bytes("application/json");

    private final KafkaClientService kafka;
    private final String topic;
    private final ObjectWriter writer;
    private final byte[] source;
    private final PipelineMetrics metrics;
    /** {@code ce_id}s: unique per process by a random prefix, then counted (a random UUID each costs more). */
    private final String idPrefix = UUID.randomUUID() + "-";
    private final AtomicLong ids = new AtomicLong();
    private volatile Producer<String, byte[]> producer;

    /** {@code channel} is not sent through: injecting it is what makes the connector open the channel's producer. */
    OutcomePublisher(@Channel(Channels.RETRY_OUTCOME) MutinyEmitter<byte[]> channel, KafkaClientService kafka,
            @ConfigProperty(name = "mp.messaging.outgoing." + Channels.RETRY_OUTCOME + ".topic") String topic,
            ObjectMapper mapper, DrsConfig config, PipelineMetrics metrics) {
        this.kafka = kafka;
        this.topic = topic;
        this.writer = mapper.writerFor(RetryOutcome.class);
        this.source = bytes(config.outcomeSource());
        this.metrics = metrics;
    }

    /** Publishes {@code outcome}; {@code traceparent} (W3C trace context, may be null) goes into its headers. */
    public Uni<Void> publish(RetryOutcome outcome, String traceparent) {
        return publishAll(List.of(outcome), traceparent);
    }

    /**
     * Publishes the outcomes of one window; the Uni ends when the broker has all of them, or fails with the first
     * that could not be published. They were decided together, so they share their {@code decided_at} (and
     * {@code traceparent}): each is encoded once.
     */
    public Uni<Void> publishAll(List<RetryOutcome> outcomes, String traceparent) {
        if (outcomes.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        CompletableFuture<Void> all = new CompletableFuture<>();
        AtomicInteger left = new AtomicInteger(outcomes.size());
        byte[] trace = traceparent == null ? null : bytes(traceparent);
        String decidedAt = null;
        byte[] time = null;
        for (RetryOutcome outcome : outcomes) {
            if (!outcome.decidedAt().equals(decidedAt)) {
                decidedAt = outcome.decidedAt();
                time = bytes(decidedAt);
            }
            try {
                send(outcome, time, trace, (metadata, error) -> {
                    if (error != null) {
                        all.completeExceptionally(error);
                        return;
                    }
                    metrics.outcome(outcome.outcome(), outcome.reason());
                    if (left.decrementAndGet() == 0) {
                        all.complete(null);
                    }
                });
            } catch (JsonProcessingException | RuntimeException e) {
                all.completeExceptionally(e);
                break;
            }
        }
        return Uni.createFrom().completionStage(all);
    }

    private void send(RetryOutcome outcome, byte[] time, byte[] traceparent, Callback acked)
            throws JsonProcessingException {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_specversion", SPEC_VERSION);
        headers.add("ce_id", bytes(idPrefix + ids.incrementAndGet()));
        headers.add("ce_source", source);
        headers.add("ce_type", TYPE);
        headers.add("ce_subject", bytes(outcome.jobId()));
        headers.add("ce_time", time);
        headers.add("content-type", JSON);
        if (traceparent != null) {
            headers.add("traceparent", traceparent);
        }
        producer().send(new ProducerRecord<>(topic, null, outcome.jobId(), writer.writeValueAsBytes(outcome), headers),
                acked);
    }

    private Producer<String, byte[]> producer() {
        Producer<String, byte[]> current = producer;
        if (current == null) {
            current = kafka.<String, byte[]>getProducer(Channels.RETRY_OUTCOME).unwrap();
            producer = current;
        }
        return current;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
