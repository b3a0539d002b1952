package io.github.drsretrybatcher.ingest;

import static io.github.drsretrybatcher.event.DeadLetterCode.INVALID_EVENT;
import static io.github.drsretrybatcher.event.DeadLetterCode.MALFORMED_JSON;
import static io.github.drsretrybatcher.event.DeadLetterCode.TOO_LARGE;
import static io.github.drsretrybatcher.event.DeadLetterCode.UNSUPPORTED_EVENT_TYPE;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.OutputFormat;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.github.drsretrybatcher.event.DeadLetterException;
import io.github.drsretrybatcher.event.TaskFailed;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Turns an input record (plain JSON, or a CloudEvent in binary or structured mode) into a {@link TaskFailed},
 * or throws a {@link DeadLetterException} that names the code and the offending field.
 */
public final class TaskFailedParser {

    static final String SCHEMA = "/schemas/task-failed.schema.json";
    private static final String STRUCTURED_TYPE = "application/cloudevents+json";

    private final ObjectReader reader;
    private final JsonSchema schema;
    private final Set<String> acceptedTypes;
    private final String defaultRegion;
    private final int maxBytes;

    public TaskFailedParser(ObjectMapper mapper, Set<String> acceptedTypes, String defaultRegion, int maxBytes) {
        // duplicate keys are caught as the tree is built (the parser's own detection keeps a set per object)
        this.reader = mapper.reader()
                .with(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.schema = loadSchema();
        this.acceptedTypes = Set.copyOf(acceptedTypes);
        this.defaultRegion = defaultRegion;
        this.maxBytes = maxBytes;
    }

    /** Parses and validates one record; {@code topic}, {@code partition} and {@code offset} name it. */
    public TaskFailed parse(byte[] value, Headers headers, String topic, int partition, long offset) {
        if (value == null) {
            throw new DeadLetterException(MALFORMED_JSON, "The record has no value (null); a JSON object was expected.");
        }
        if (value.length > maxBytes) {
            throw new DeadLetterException(TOO_LARGE,
                    "The record value has " + value.length + " bytes, more than the maximum of " + maxBytes + ".");
        }
        JsonNode root = readJson(value);
        String cloudEventId = null;
        JsonNode task = root;
        if (headers != null && header(headers, "ce_specversion") != null) {
            cloudEventId = binaryCloudEventId(headers);
        } else if (isStructured(headers)) {
            requireObject(root, "The CloudEvent");
            cloudEventId = structuredCloudEventId(root);
            task = root.get("data");
            if (task == null || !task.isObject()) {
                throw new DeadLetterException(INVALID_EVENT, "The CloudEvent's data must be a task-failed JSON object.");
            }
        }
        requireObject(task, "The record value");
        validate(task);
        requireWhole(task, "project_id", "1-64 characters of [A-Za-z0-9]");
        requireWhole(task, "job_id", "1-64 characters of [A-Za-z0-9-]");
        requireWhole(task, "region", "1-32 characters of [a-z0-9-]");
        String eventId = cloudEventId != null ? cloudEventId
                : task.hasNonNull("event_id") ? task.get("event_id").asText()
                : topic + "-" + partition + "-" + offset;
        return new TaskFailed(
                task.get("project_id").asText(),
                task.get("job_id").asText(),
                eventId,
                text(task, "region", defaultRegion),
                task.path("is_parent").asBoolean(false),
                task.hasNonNull("is_sync_re_edit") ? task.get("is_sync_re_edit").asBoolean() : null,
                occurredAt(task.get("occurred_at")));
    }

    private JsonNode readJson(byte[] value) {
        if (startsLikeUtf16Or32(value)) {
            throw new DeadLetterException(MALFORMED_JSON, "The record value starts with a zero byte or a UTF-16/32"
                    + " byte-order mark; it must be UTF-8 JSON.");
        }
        try {
            JsonNode node = reader.readTree(value);
            if (node == null || node.isMissingNode()) {
                throw new DeadLetterException(MALFORMED_JSON, "The record value is empty; a JSON object was expected.");
            }
            return node;
        } catch (IOException e) {
            String why = e instanceof JacksonException jackson ? jackson.getOriginalMessage() : e.getMessage();
            throw new DeadLetterException(MALFORMED_JSON, "The record value is not valid UTF-8 JSON: " + why, e);
        }
    }

    /**
     * Jackson guesses UTF-16 and UTF-32 from zero bytes or a byte-order mark at the start of a byte array; the
     * contract is UTF-8, where neither can begin a JSON value.
     */
    private static boolean startsLikeUtf16Or32(byte[] value) {
        if (value.length > 0 && (value[0] == (byte) 0xFE || value[0] == (byte) 0xFF)) {
            return true;
        }
        for (int i = 0; i < Math.min(4, value.length); i++) {
            if (value[i] == 0) {
                return true;
            }
        }
        return false;
    }

    private String binaryCloudEventId(Headers headers) {
        String version = header(headers, "ce_specversion");
        if (!"1.0".equals(version)) {
            throw new DeadLetterException(INVALID_EVENT,
                    "Header ce_specversion is '" + version + "'; only CloudEvents 1.0 is supported.");
        }
        for (String name : List.of("ce_id", "ce_source", "ce_type")) {
            String value = header(headers, name);
            if (value == null || value.isEmpty()) {
                throw new DeadLetterException(INVALID_EVENT, "CloudEvent header " + name + " is missing or empty.");
            }
        }
        requireAcceptedType(header(headers, "ce_type"));
        return eventId(header(headers, "ce_id"), "Header ce_id");
    }

    private String structuredCloudEventId(JsonNode event) {
        if (!"1.0".equals(event.path("specversion").asText(null))) {
            throw new DeadLetterException(INVALID_EVENT, "The CloudEvent's specversion must be \"1.0\".");
        }
        for (String name : List.of("id", "source", "type")) {
            JsonNode attribute = event.get(name);
            if (attribute == null || !attribute.isTextual() || attribute.asText().isEmpty()) {
                throw new DeadLetterException(INVALID_EVENT,
                        "The CloudEvent's attribute " + name + " is missing, empty or not a string.");
            }
        }
        requireAcceptedType(event.get("type").asText());
        return eventId(event.get("id").asText(), "The CloudEvent's id");
    }

    private void requireAcceptedType(String type) {
        if (!acceptedTypes.contains(type)) {
            throw new DeadLetterException(UNSUPPORTED_EVENT_TYPE,
                    "CloudEvent type '" + type + "' is not one of the accepted types " + acceptedTypes + ".");
        }
    }

    private static String eventId(String id, String what) {
        if (id.length() > 128) {
            throw new DeadLetterException(INVALID_EVENT, what + " is longer than 128 characters.");
        }
        return id;
    }

    private void validate(JsonNode task) {
        if (schema.validate(task, OutputFormat.BOOLEAN)) {
            return; // valid: the common case, checked without collecting messages
        }
        Set<ValidationMessage> errors = schema.validate(task);
        if (!errors.isEmpty()) {
            ValidationMessage first = errors.stream()
                    .min(Comparator.comparing(ValidationMessage::getMessage)).orElseThrow();
            throw new DeadLetterException(INVALID_EVENT, "Invalid task-failed event: " + first.getMessage()
                    + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : "") + ".");
        }
    }

    /**
     * The fields that become part of a URL, matched whole. The schema has checked them against its pattern, but
     * Java's {@code $} also matches before a final line break ({@code \n}, {@code \r\n}, {@code \r},
     * {@code \u0085}, {@code \u2028}, {@code \u2029}), which must not let {@code "p1\n"} through; nothing else
     * can follow the pattern's match.
     */
    private static void requireWhole(JsonNode task, String field, String rule) {
        JsonNode value = task.get(field);
        if (value != null && endsWithLineBreak(value.asText())) {
            throw new DeadLetterException(INVALID_EVENT, "Field " + field + " must be " + rule + ".");
        }
    }

    private static boolean endsWithLineBreak(String text) {
        if (text.isEmpty()) {
            return false;
        }
        char last = text.charAt(text.length() - 1);
        return last == '\n' || last == '\r' || last == '\u0085' || last == '\u2028' || last == '\u2029';
    }

    private static Instant occurredAt(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isIntegralNumber()) {
            return Instant.ofEpochMilli(node.asLong());
        }
        try {
            return OffsetDateTime.parse(node.asText().toUpperCase(Locale.ROOT)).toInstant();
        } catch (DateTimeParseException e) {
            throw new DeadLetterException(INVALID_EVENT,
                    "Field occurred_at '" + node.asText() + "' is not an RFC 3339 time.", e);
        }
    }

    private static void requireObject(JsonNode node, String what) {
        if (!node.isObject()) {
            throw new DeadLetterException(INVALID_EVENT,
                    what + " is JSON " + node.getNodeType().name().toLowerCase(Locale.ROOT) + ", not an object.");
        }
    }

    private static String text(JsonNode task, String field, String fallback) {
        JsonNode node = task.get(field);
        return node == null || node.isNull() ? fallback : node.asText();
    }

    private static boolean isStructured(Headers headers) {
        if (headers == null) {
            return false;
        }
        for (Header header : headers) {
            if (header.key().equalsIgnoreCase("content-type") && header.value() != null
                    && new String(header.value(), StandardCharsets.UTF_8).trim().toLowerCase(Locale.ROOT)
                            .startsWith(STRUCTURED_TYPE)) {
                return true;
            }
        }
        return false;
    }

    static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static JsonSchema loadSchema() {
        try (InputStream in = TaskFailedParser.class.getResourceAsStream(SCHEMA)) {
            if (in == null) {
                throw new IllegalStateException(SCHEMA + " is missing from the classpath");
            }
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
