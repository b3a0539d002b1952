package io.github.drsretrybatcher.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.drsretrybatcher.PipelineScenariosSupport;
import io.github.drsretrybatcher.support.Events;
import io.github.drsretrybatcher.support.KafkaTestClient;
import io.github.drsretrybatcher.support.PipelineResource;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * W3C trace context from the input records continues through the DRS call into the outcomes' headers: one trace
 * per window, linked to every traced input.
 */
@QuarkusTest
@WithTestResource(PipelineResource.class)
class TracingTest extends PipelineScenariosSupport {

    @Inject
    InMemorySpanExporter spans;

    @Test
    void aWindowContinuesTheTraceOfItsInputsThroughTheCallIntoTheOutcomes() {
        String first = Events.jobId("ok");
        String second = Events.jobId("ok");
        String untraced = Events.jobId("ok");
        String firstParent = traceparent();
        String secondParent = traceparent();
        // one key, so one partition: the three records arrive in this order and share a window
        byte[] key = first.getBytes(StandardCharsets.UTF_8);
        kafka.send(KafkaTestClient.INPUT, key, bytes(Events.task(PipelineResource.PROJECT_A, first).toString()),
                Events.header("traceparent", firstParent));
        kafka.send(KafkaTestClient.INPUT, key, bytes(Events.task(PipelineResource.PROJECT_A, second).toString()),
                Events.header("traceparent", secondParent));
        kafka.send(KafkaTestClient.INPUT, key, bytes(Events.task(PipelineResource.PROJECT_A, untraced).toString()));

        var outcomes = outcomes(first, second, untraced);
        String traceId = firstParent.substring(3, 35);

        // the call went out inside the first input's trace
        var requests = drs.requestsFor(Set.of(first, second, untraced));
        assertThat(requests).hasSize(1);
        String sent = requests.get(0).getHeader("traceparent");
        assertThat(sent).startsWith("00-" + traceId + "-");

        // the window's span: a child of the first input, linked to both traced inputs
        SpanData window = Awaitility.await().atMost(WAIT).until(() -> spans.getFinishedSpanItems().stream()
                .filter(s -> s.getTraceId().equals(traceId) && s.getKind() == SpanKind.INTERNAL)
                .findFirst().orElse(null), s -> s != null);
        assertThat(window.getParentSpanId()).isEqualTo(firstParent.substring(36, 52));
        assertThat(window.getLinks()).extracting(LinkData::getSpanContext).extracting(SpanContext::getTraceId)
                .containsExactly(traceId, secondParent.substring(3, 35));
        assertThat(window.getAttributes().get(WindowTracing.JOBS)).isEqualTo(3L);

        // the DRS call: a client span under the window, the one whose context went on the wire
        SpanData call = Awaitility.await().atMost(WAIT).until(() -> spans.getFinishedSpanItems().stream()
                .filter(s -> s.getTraceId().equals(traceId) && s.getKind() == SpanKind.CLIENT)
                .findFirst().orElse(null), s -> s != null);
        assertThat(call.getParentSpanId()).isEqualTo(window.getSpanId());
        assertThat(sent).isEqualTo("00-" + traceId + "-" + call.getSpanId() + "-01");
        assertThat(call.getAttributes().get(WindowTracing.BATCH_ID))
                .isEqualTo(Events.json(outcomes.get(first).value()).get("batch_id").asText());

        // every outcome of the window, traced input or not, carries the window's context
        for (String job : List.of(first, second, untraced)) {
            assertThat(Events.header(outcomes.get(job), "traceparent"))
                    .isEqualTo("00-" + traceId + "-" + window.getSpanId() + "-01");
        }
    }

    @Test
    void aParentTaskOutcomeKeepsTheTraceOfItsInput() {
        String job = Events.jobId("ok");
        String parent = traceparent();
        kafka.sendTask(job, Events.task(PipelineResource.PROJECT_A, job).put("is_parent", true).toString(),
                Events.header("traceparent", parent));
        assertThat(Events.header(outcomes(job).get(job), "traceparent")).isEqualTo(parent);
    }

    private static String traceparent() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return String.format("00-%016x%016x-%016x-01", random.nextLong() | 1, random.nextLong(), random.nextLong() | 1);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
