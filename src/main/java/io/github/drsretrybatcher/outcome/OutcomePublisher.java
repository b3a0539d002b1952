package io.github.drsretrybatcher.outcome;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.concurrent.atomic.AtomicLong;
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
    private final ObjectMapper mapper;
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
        this.mapper = mapper;
        this.source = bytes(config.outcomeSource());
        this.metrics = metrics;
    }

    /** Publishes {@code outcome}; {@code traceparent} (W3C trace context, may be null) goes into its headers. */
    public Uni<Void> publish(RetryOutcome outcome, String traceparent) {
        return Uni.createFrom().completionStage(send(outcome, traceparent));
    }

    /** Publishes the outcomes of one window; the Uni ends when the broker has all of them. */
    public Uni<Void> publishAll(List<RetryOutcome> outcomes, String traceparent) {
        CompletableFuture<?>[] acks = new CompletableFuture<?>[outcomes.size()];
        for (int i = 0; i < acks.length; i++) {
            acks[i] = send(outcomes.get(i), traceparent);
        }
        return Uni.createFrom().completionStage(CompletableFuture.allOf(acks));
    }

    private CompletableFuture<Void> send(RetryOutcome outcome, String traceparent) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        try {
            RecordHeaders headers = new RecordHeaders();
            headers.add("ce_specversion", SPEC_VERSION);
            headers.add("ce_id", bytes(idPrefix + ids.incrementAndGet()));
            headers.add("ce_source", source);
            headers.add("ce_type", TYPE);
            headers.add("ce_subject", bytes(outcome.jobId()));
            headers.add("ce_time", bytes(outcome.decidedAt()));
            headers.add("content-type", JSON);
            if (traceparent != null) {
                headers.add("traceparent", bytes(traceparent));
            }
            producer().send(new ProducerRecord<>(topic, null, outcome.jobId(), mapper.writeValueAsBytes(outcome),
                    headers), (metadata, error) -> {
                        if (error == null) {
                            metrics.outcome(outcome.outcome(), outcome.reason());
                            acked.complete(null);
                        } else {
                            acked.completeExceptionally(error);
                        }
                    });
        } catch (JsonProcessingException | RuntimeException e) {
            acked.completeExceptionally(e);
        }
        return acked;
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
