package io.github.drsretrybatcher.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/** Builds task-failed events and reads outcome records in tests. */
public final class Events {

    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Events() {
    }

    /** A job id no other test uses; {@code fate} steers the simulator (see {@link DrsSimulator}). */
    public static String jobId(String fate) {
        return fate + "-" + UUID.randomUUID();
    }

    /** A task-failed object for {@code project} and {@code job}. */
    public static ObjectNode task(String project, String job) {
        return MAPPER.createObjectNode().put("project_id", project).put("job_id", job)
                .put("status", "INCRE_TRANSFER_FAILED").put("error_code", "DRS.E001");
    }

    public static Header header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }

    public static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    public static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : text(header.value());
    }

    public static JsonNode json(byte[] value) {
        try {
            return MAPPER.readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String key(ConsumerRecord<byte[], byte[]> record) {
        return text(record.key());
    }
}
