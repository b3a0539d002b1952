package io.github.drsretrybatcher.outcome;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.drsretrybatcher.config.Channels;
import io.github.drsretrybatcher.config.DrsConfig;
import io.github.drsretrybatcher.event.RetryOutcome;
import io.github.drsretrybatcher.telemetry.PipelineMetrics;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/** Publishes outcome events with CloudEvents binary-mode headers; the returned Uni ends when the broker has them. */
@ApplicationScoped
public class OutcomePublisher {

    /** The {@code ce_type} of every outcome event. */
    public static final String CE_TYPE = "drs.task.retry.outcome";

    private final MutinyEmitter<byte[]> emitter;
    private final ObjectMapper mapper;
    private final byte[] source;
    private final PipelineMetrics metrics;

    OutcomePublisher(@Channel(Channels.RETRY_OUTCOME) @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER)
            MutinyEmitter<byte[]> emitter, ObjectMapper mapper, DrsConfig config, PipelineMetrics metrics) {
        this.emitter = emitter;
        this.mapper = mapper;
        this.source = bytes(config.outcomeSource());
        this.metrics = metrics;
    }

    /** Publishes {@code outcome}; {@code traceparent} (W3C trace context, may be null) goes into its headers. */
    public Uni<Void> publish(RetryOutcome outcome, String traceparent) {
        byte[] value;
        try {
            value = mapper.writeValueAsBytes(outcome);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_specversion", bytes("1.0"));
        headers.add("ce_id", bytes(UUID.randomUUID().toString()));
        headers.add("ce_source", source);
        headers.add("ce_type", bytes(CE_TYPE));
        headers.add("ce_subject", bytes(outcome.jobId()));
        headers.add("ce_time", bytes(outcome.decidedAt()));
        headers.add("content-type", bytes("application/json"));
        if (traceparent != null) {
            headers.add("traceparent", bytes(traceparent));
        }
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(outcome.jobId())
                .withHeaders(headers)
                .build();
        return emitter.sendMessage(Message.of(value).addMetadata(metadata))
                .invoke(() -> metrics.outcome(outcome.outcome(), outcome.reason()));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
