package io.github.drsretrybatcher.outcome;

import io.github.drsretrybatcher.config.Channels;
import io.github.drsretrybatcher.event.DeadLetterCode;
import io.github.drsretrybatcher.telemetry.PipelineMetrics;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Copies an input record, unchanged (key, value, headers, timestamp), to the dead-letter topic with the
 * {@code dead-letter-*} headers; the returned Uni ends when the broker has it.
 */
@ApplicationScoped
public class DeadLetterPublisher {

    static final String HEADER_PREFIX = "dead-letter-";

    private final MutinyEmitter<byte[]> emitter;
    private final PipelineMetrics metrics;

    DeadLetterPublisher(@Channel(Channels.DEAD_LETTER) @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER)
            MutinyEmitter<byte[]> emitter, PipelineMetrics metrics) {
        this.emitter = emitter;
        this.metrics = metrics;
    }

    /** Dead-letters {@code record}; {@code reason} is one sentence, {@code cause} may be null. */
    public Uni<Void> publish(ConsumerRecord<byte[], byte[]> record, DeadLetterCode code, String reason,
            Throwable cause) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : record.headers()) {
            if (!header.key().startsWith(HEADER_PREFIX)) {
                headers.add(header);
            }
        }
        Throwable root = cause == null ? null : rootCause(cause);
        add(headers, "code", code.name());
        add(headers, "reason", reason);
        add(headers, "cause", root == null ? reason : String.valueOf(root.getMessage()));
        add(headers, "exception-class-name", root == null ? code.name() : root.getClass().getName());
        add(headers, "topic", record.topic());
        add(headers, "partition", Integer.toString(record.partition()));
        add(headers, "offset", Long.toString(record.offset()));
        OutgoingKafkaRecordMetadata<byte[]> metadata = OutgoingKafkaRecordMetadata.<byte[]>builder()
                .withKey(record.key())
                .withTimestamp(Instant.ofEpochMilli(record.timestamp()))
                .withHeaders(headers)
                .build();
        return emitter.sendMessage(Message.of(record.value()).addMetadata(metadata))
                .invoke(() -> metrics.deadLetter(code));
    }

    private static Throwable rootCause(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    private static void add(RecordHeaders headers, String name, String value) {
        headers.add(HEADER_PREFIX + name, value.getBytes(StandardCharsets.UTF_8));
    }
}
