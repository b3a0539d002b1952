package io.github.drsretrybatcher.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.drsretrybatcher.event.DeadLetterCode;
import io.github.drsretrybatcher.event.DeadLetterException;
import io.github.drsretrybatcher.event.TaskFailed;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TaskFailedParserTest {

    private final TaskFailedParser parser = new TaskFailedParser(new ObjectMapper(), Set.of("drs.task.failed"),
            "cn-north-4", 1024);

    private TaskFailed parse(String json, RecordHeaders headers) {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8), headers, "drs.task.failed", 2, 41);
    }

    private TaskFailed parse(String json) {
        return parse(json, new RecordHeaders());
    }

    private static DeadLetterCode codeOf(Runnable action) {
        try {
            action.run();
        } catch (DeadLetterException e) {
            assertThat(e.getMessage()).isNotBlank();
            return e.code();
        }
        throw new AssertionError("accepted");
    }

    @Test
    void plainObjectWithDefaults() {
        TaskFailed task = parse("{\"project_id\":\"p1\",\"job_id\":\"j-1\",\"extra\":{\"ignored\":true}}");
        assertThat(task.projectId()).isEqualTo("p1");
        assertThat(task.jobId()).isEqualTo("j-1");
        assertThat(task.region()).isEqualTo("cn-north-4");
        assertThat(task.eventId()).isEqualTo("drs.task.failed-2-41");
        assertThat(task.isParent()).isFalse();
        assertThat(task.isSyncReEdit()).isNull();
        assertThat(task.occurredAt()).isNull();
    }

    @Test
    void everyField() {
        TaskFailed task = parse("{\"project_id\":\"p1\",\"job_id\":\"j-1\",\"event_id\":\"e1\",\"region\":\"ap-southeast-1\","
                + "\"job_name\":\"n\",\"status\":\"SOMETHING_NEW\",\"error_code\":\"c\",\"error_message\":\"m\","
                + "\"is_parent\":true,\"is_sync_re_edit\":false,\"occurred_at\":\"2026-11-29T10:00:00.5+01:00\"}");
        assertThat(task.eventId()).isEqualTo("e1");
        assertThat(task.region()).isEqualTo("ap-southeast-1");
        assertThat(task.isParent()).isTrue();
        assertThat(task.isSyncReEdit()).isFalse();
        assertThat(task.occurredAt()).isEqualTo(Instant.parse("2026-11-29T09:00:00.5Z"));
    }

    @Test
    void epochMillis() {
        assertThat(parse("{\"project_id\":\"p1\",\"job_id\":\"j\",\"occurred_at\":1000}").occurredAt())
                .isEqualTo(Instant.ofEpochMilli(1000));
    }

    @Test
    void binaryCloudEventTakesItsId() {
        RecordHeaders headers = ce("drs.task.failed");
        assertThat(parse("{\"project_id\":\"p1\",\"job_id\":\"j\"}", headers).eventId()).isEqualTo("ce-1");
    }

    @Test
    void binaryCloudEventOfAnotherTypeIsNotOurs() {
        assertThat(codeOf(() -> parse("{\"project_id\":\"p1\",\"job_id\":\"j\"}", ce("other.type"))))
                .isEqualTo(DeadLetterCode.UNSUPPORTED_EVENT_TYPE);
    }

    @Test
    void binaryCloudEventWithoutSource() {
        RecordHeaders headers = ce("drs.task.failed");
        headers.remove("ce_source");
        assertThat(codeOf(() -> parse("{\"project_id\":\"p1\",\"job_id\":\"j\"}", headers)))
                .isEqualTo(DeadLetterCode.INVALID_EVENT);
    }

    @Test
    void structuredCloudEvent() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("content-type", "application/cloudevents+json".getBytes(StandardCharsets.UTF_8));
        TaskFailed task = parse("{\"specversion\":\"1.0\",\"id\":\"s-1\",\"source\":\"/x\",\"type\":\"drs.task.failed\","
                + "\"data\":{\"project_id\":\"p1\",\"job_id\":\"j\"}}", headers);
        assertThat(task.eventId()).isEqualTo("s-1");
        assertThat(codeOf(() -> parse("{\"specversion\":\"1.0\",\"id\":\"s-1\",\"source\":\"/x\",\"type\":\"drs.task.failed\","
                + "\"data\":\"text\"}", headers))).isEqualTo(DeadLetterCode.INVALID_EVENT);
        assertThat(codeOf(() -> parse("{\"specversion\":\"1.0\",\"id\":\"s-1\",\"source\":\"/x\",\"type\":\"nope\","
                + "\"data\":{}}", headers))).isEqualTo(DeadLetterCode.UNSUPPORTED_EVENT_TYPE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "{", "nul", "{\"a\":1}{\"b\":2}", "{\"project_id\":\"p\",\"project_id\":\"q\",\"job_id\":\"j\"}",
        "{\"project_id\":\"p\",\"job_id\":\"j\",\"extra\":{\"a\":1,\"a\":2}}"})
    void malformedJson(String value) {
        assertThat(codeOf(() -> parse(value))).isEqualTo(DeadLetterCode.MALFORMED_JSON);
    }

    @Test
    void invalidUtf8AndNull() {
        assertThat(codeOf(() -> parser.parse(new byte[] {'"', (byte) 0xFF, '"'}, new RecordHeaders(), "t", 0, 0)))
                .isEqualTo(DeadLetterCode.MALFORMED_JSON);
        assertThat(codeOf(() -> parser.parse(null, new RecordHeaders(), "t", 0, 0)))
                .isEqualTo(DeadLetterCode.MALFORMED_JSON);
    }

    /** UTF-16/32 input, valid or not, is refused as not UTF-8 rather than decoded by Jackson's guess. */
    @ParameterizedTest
    @ValueSource(strings = {"0000fffe", "0000fffe7b7d", "00007b00", "007b0000", "fffe7b007d00", "feff007b007d",
            "7b007d00", "0000007b0000007d"})
    void utf16And32AreMalformed(String hex) {
        byte[] value = HexFormat.of().parseHex(hex);
        assertThat(codeOf(() -> parser.parse(value, new RecordHeaders(), "t", 0, 0)))
                .isEqualTo(DeadLetterCode.MALFORMED_JSON);
    }

    @Test
    void tooLarge() {
        String big = "{\"project_id\":\"p1\",\"job_id\":\"j\",\"job_name\":\"" + "x".repeat(1100) + "\"}";
        assertThat(codeOf(() -> parse(big))).isEqualTo(DeadLetterCode.TOO_LARGE);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "[]",
        "\"text\"",
        "{\"job_id\":\"j\"}",
        "{\"project_id\":\"p1\"}",
        "{\"project_id\":\"p.1\",\"job_id\":\"j\"}",
        "{\"project_id\":\"p/1\",\"job_id\":\"j\"}",
        "{\"project_id\":\"\",\"job_id\":\"j\"}",
        "{\"project_id\":\"p#1\",\"job_id\":\"j\"}",
        "{\"project_id\":\"p@evil.example.com\",\"job_id\":\"j\"}",
        "{\"project_id\":\"p%2F..%2Fx\",\"job_id\":\"j\"}",
        "{\"project_id\":\"..\",\"job_id\":\"j\"}",
        "{\"project_id\":\"\uff50\uff52\uff4f\uff4a\",\"job_id\":\"j\"}",
        "{\"project_id\":\"p1 \",\"job_id\":\"j\"}",
        "{\"project_id\":\"p1\\n\",\"job_id\":\"j\"}",
        "{\"project_id\":\"p1\",\"job_id\":\"j\\r\\n\"}",
        "{\"project_id\":\"p1\",\"job_id\":\"j\\r\"}",
        "{\"project_id\":\"p1\",\"job_id\":\"j\\u2028\"}",
        "{\"project_id\":\"p1\",\"job_id\":\"j\",\"region\":\"cn-north-4\\u0085\"}",
        "{\"project_id\":\"p1\\u2029\",\"job_id\":\"j\"}",
        "{\"project_id\":\"p1\",\"job_id\":\"j\",\"occurred_at\":-1}",
        "{\"project_id\":\"p1\",\"job_id\":\"j\",\"occurred_at\":true}",
        "{\"project_id\":\"0123456789012345678901234567890123456789012345678901234567890123x\",\"job_id\":\"j\"}",
        "{\"project_id\":\"p1\",\"job_id\":\"j/../../v3\"}",
        "{\"project_id\":\"p1\",\"job_id\":\"j?x=1\"}",
        "{\"project_id\":\"p1\",\"job_id\":\"j\",\"region\":\"cn-north-4.evil.example.com\"}",
        "{\"project_id\":\"p1\",\"job_id\":\"j\",\"region\":\"cn-north-4:8080\"}",
        "{\"project_id\":\"p1\",\"job_id\":\"j\",\"region\":\"cn-north-4#\"}",
        "{\"project_id\":\"p1\",\"job_id\":\"j\",\"region\":\"\u0441n-north-4\"}",
        "{\"project_id\":\"p1\",\"job_id\":\"j\",\"region\":\"abcdefghijklmnopqrstuvwxyz0123456\"}",
        "{\"project_id\":\"p1\",\"job_id\":\"j_1\"}",
        "{\"project_id\":\"p1\",\"job_id\":\"j\",\"region\":\"CN-north-4\"}",
        "{\"project_id\":\"p1\",\"job_id\":\"j\",\"region\":\"evil.com\"}",
        "{\"project_id\":\"p1\",\"job_id\":\"j\",\"region\":\"a@b\"}",
        "{\"project_id\":\"p1\",\"job_id\":\"j\",\"region\":\"cn-north-4%2F\"}",
        "{\"project_id\":\"p1\",\"job_id\":\"j\",\"region\":\"cn\u2013north\"}",
        "{\"project_id\":\"p1\",\"job_id\":\"j\",\"region\":\"\"}",
        "{\"project_id\":1,\"job_id\":\"j\"}",
        "{\"project_id\":\"p1\",\"job_id\":\"j\",\"is_parent\":\"true\"}",
        "{\"project_id\":\"p1\",\"job_id\":\"j\",\"occurred_at\":\"yesterday\"}",
        "{\"project_id\":\"p1\",\"job_id\":\"j\",\"occurred_at\":1.5}",
        "{\"project_id\":\"p1\",\"job_id\":\"j\",\"occurred_at\":1e300}",
        "{\"project_id\":\"p1\",\"job_id\":\"j\",\"event_id\":\"\"}",
        "{\"project_id\":\"p1\",\"job_id\":\"j\",\"error_code\":\"" + "0123456789012345678901234567890123456789012345678901234567890123x" + "\"}"
    })
    void invalidEvent(String value) {
        assertThat(codeOf(() -> parse(value))).isEqualTo(DeadLetterCode.INVALID_EVENT);
    }

    @Test
    void reasonNamesTheField() {
        assertThatThrownBy(() -> parse("{\"project_id\":\"p.1\",\"job_id\":\"j\"}"))
                .hasMessageContaining("project_id");
        assertThatThrownBy(() -> parse("{\"project_id\":\"p1\"}")).hasMessageContaining("job_id");
        assertThatThrownBy(() -> parse("{\"project_id\":\"p\",\"job_id\":\"j\",\"job_id\":\"k\"}"))
                .hasMessageContaining("Duplicate field 'job_id'");
    }

    @Test
    void tenantPolicy() {
        TenantPolicy policy = new TenantPolicy(Optional.of(Set.of("p1")), Optional.of(Set.of("cn-north-4")));
        policy.check(parse("{\"project_id\":\"p1\",\"job_id\":\"j\"}"));
        assertThat(codeOf(() -> policy.check(parse("{\"project_id\":\"p2\",\"job_id\":\"j\"}"))))
                .isEqualTo(DeadLetterCode.PROJECT_NOT_ALLOWED);
        assertThat(codeOf(() -> policy.check(parse("{\"project_id\":\"p1\",\"job_id\":\"j\",\"region\":\"eu-west-0\"}"))))
                .isEqualTo(DeadLetterCode.REGION_NOT_ALLOWED);
        new TenantPolicy(Optional.empty(), Optional.empty())
                .check(parse("{\"project_id\":\"p9\",\"job_id\":\"j\",\"region\":\"eu-west-0\"}"));
    }

    private static RecordHeaders ce(String type) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
        headers.add("ce_id", "ce-1".getBytes(StandardCharsets.UTF_8));
        headers.add("ce_source", "/drs".getBytes(StandardCharsets.UTF_8));
        headers.add("ce_type", type.getBytes(StandardCharsets.UTF_8));
        return headers;
    }
}
