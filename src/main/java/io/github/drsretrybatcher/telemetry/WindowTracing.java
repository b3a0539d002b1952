package io.github.drsretrybatcher.telemetry;

import io.github.drsretrybatcher.batch.PendingRecord;
import io.github.drsretrybatcher.batch.Window;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * One trace per window: the window's span continues the W3C trace context of its first traced input record and
 * links to every traced input; the DRS call is a client span under it, and the outcomes carry its
 * {@code traceparent}. Nothing is traced per record.
 */
@ApplicationScoped
public class WindowTracing {

    static final AttributeKey<String> PROJECT = AttributeKey.stringKey("drs.project_id");
    static final AttributeKey<String> REGION = AttributeKey.stringKey("drs.region");
    static final AttributeKey<Long> JOBS = AttributeKey.longKey("drs.batch.jobs");
    static final AttributeKey<Long> RECORDS = AttributeKey.longKey("drs.batch.records");
    static final AttributeKey<String> BATCH_ID = AttributeKey.stringKey("drs.batch.id");

    private static final TextMapGetter<Headers> KAFKA_HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
            List<String> keys = new ArrayList<>();
            headers.forEach(header -> keys.add(header.key()));
            return keys;
        }

        @Override
        public String get(Headers headers, String key) {
            Header header = headers == null ? null : headers.lastHeader(key);
            return header == null || header.value() == null ? null
                    : new String(header.value(), StandardCharsets.UTF_8);
        }
    };

    /** The {@code traceparent} header of an input record, as sent (null if none). */
    public static String inputTraceparent(Headers headers) {
        return KAFKA_HEADERS.get(headers, "traceparent");
    }

    private final Tracer tracer;
    private final TextMapPropagator propagator;

    WindowTracing(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer("io.github.drsretrybatcher");
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    }

    /** Starts the span of a window that is being flushed; the caller ends it when every outcome is published. */
    public Span startWindow(Window window) {
        SpanBuilder builder = tracer.spanBuilder("drs.window " + window.key().projectId())
                .setSpanKind(SpanKind.INTERNAL)
                .setAttribute(PROJECT, window.key().projectId())
                .setAttribute(REGION, window.key().region())
                .setAttribute(JOBS, (long) window.jobCount())
                .setAttribute(RECORDS, (long) window.recordCount());
        Context parent = null;
        for (Window.Job job : window.jobs()) {
            for (PendingRecord record : job.records()) {
                Headers headers = record.record().headers();
                if (headers.lastHeader("traceparent") == null) {
                    continue; // untraced input: nothing to extract (the common case, and per record)
                }
                Context input = propagator.extract(Context.root(), headers, KAFKA_HEADERS);
                SpanContext linked = Span.fromContext(input).getSpanContext();
                if (linked.isValid()) {
                    parent = parent == null ? input : parent;
                    builder.addLink(linked);
                }
            }
        }
        return builder.setParent(parent == null ? Context.root() : parent).startSpan();
    }

    /** Starts the client span of one DRS call made for the window traced by {@code window}. */
    public Span startCall(Span window, URI uri, int jobs, String batchId) {
        return tracer.spanBuilder("POST /v3/{project_id}/jobs/batch-retry-task")
                .setSpanKind(SpanKind.CLIENT)
                .setParent(Context.root().with(window))
                .setAttribute("http.request.method", "POST")
                .setAttribute("url.full", uri.toString())
                .setAttribute("server.address", uri.getHost())
                .setAttribute(JOBS, (long) jobs)
                .setAttribute(BATCH_ID, batchId)
                .startSpan();
    }

    /** The W3C {@code traceparent} of {@code span}, or null when it is not recorded anywhere. */
    public String traceparent(Span span) {
        String[] value = new String[1];
        propagator.inject(Context.root().with(span), value, (carrier, key, text) -> {
            if ("traceparent".equals(key)) {
                carrier[0] = text;
            }
        });
        return value[0];
    }
}
