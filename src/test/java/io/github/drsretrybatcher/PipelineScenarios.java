package io.github.drsretrybatcher;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.github.drsretrybatcher.support.Events.header;
import static io.github.drsretrybatcher.support.Events.json;
import static io.github.drsretrybatcher.support.Events.key;
import static io.github.drsretrybatcher.support.Events.task;
import static io.github.drsretrybatcher.support.Events.text;
import static io.github.drsretrybatcher.support.KafkaTestClient.DEAD_LETTERS;
import static io.github.drsretrybatcher.support.PipelineResource.OTHER_REGION;
import static io.github.drsretrybatcher.support.PipelineResource.PROJECT_A;
import static io.github.drsretrybatcher.support.PipelineResource.PROJECT_B;
import static io.github.drsretrybatcher.support.PipelineResource.REGION;
import static io.github.drsretrybatcher.support.PipelineResource.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.drsretrybatcher.support.DrsSimulator;
import io.github.drsretrybatcher.support.Events;
import io.github.drsretrybatcher.support.KafkaTestClient;
import io.github.drsretrybatcher.support.Schemas;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.drsretrybatcher.event.DeadLetterException;
import io.github.drsretrybatcher.event.TaskFailed;
import io.github.drsretrybatcher.ingest.HostileRecords;
import io.github.drsretrybatcher.ingest.TaskFailedParser;
import io.github.drsretrybatcher.ingest.TenantPolicy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Optional;
import java.util.Random;
import org.apache.kafka.common.header.internals.RecordHeaders;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * End-to-end scenarios on a real broker and a simulated DRS over HTTP; run in-process by {@code PipelineTest}
 * and against the packaged jar by {@code PackagedJarIT}.
 */
public abstract class PipelineScenarios extends PipelineScenariosSupport {

    @Test
    void oneCallPerWindowAndProjectWithFoldedDuplicates() {
        String a1 = Events.jobId("ok");
        String a2 = Events.jobId("ok");
        String b1 = Events.jobId("ok");
        String r1 = Events.jobId("ok");
        kafka.sendTasks(a1,
                task(PROJECT_A, a1).put("event_id", "ev-a1-first").put("occurred_at", "2026-11-29T10:00:05Z").toString(),
                task(PROJECT_A, a2).put("is_sync_re_edit", true).toString(),
                task(PROJECT_B, b1).toString(),
                task(PROJECT_A, r1).put("region", OTHER_REGION).toString(),
                task(PROJECT_A, a1).put("event_id", "ev-a1-again").put("occurred_at", 1795946400000L).toString());

        Map<String, ConsumerRecord<byte[], byte[]>> outcomes = outcomes(a1, a2, b1, r1);

        JsonNode first = json(outcomes.get(a1).value());
        assertThat(first.get("outcome").asText()).isEqualTo("RETRY_ACCEPTED");
        assertThat(first.get("drs_status").asText()).isEqualTo("success");
        assertThat(first.get("source_event_ids")).extracting(JsonNode::asText)
                .containsExactly("ev-a1-first", "ev-a1-again");
        assertThat(first.get("event_time").asText()).isEqualTo("2026-11-29T10:00:00Z");
        assertThat(first.get("attempts").asInt()).isEqualTo(1);
        assertThat(first.get("batch_size").asInt()).isEqualTo(2);
        assertThat(first.get("request_id").asText()).isNotBlank();
        assertThat(first.get("region").asText()).isEqualTo(REGION);
        assertThat(json(outcomes.get(r1).value()).get("region").asText()).isEqualTo(OTHER_REGION);

        for (ConsumerRecord<byte[], byte[]> record : outcomes.values()) {
            Schemas.assertValid(Schemas.OUTCOME, text(record.value()));
            assertThat(Events.header(record, "ce_specversion")).isEqualTo("1.0");
            assertThat(Events.header(record, "ce_type")).isEqualTo("drs.task.retry.outcome");
            assertThat(Events.header(record, "ce_subject")).isEqualTo(key(record));
            assertThat(Events.header(record, "ce_source")).isNotBlank();
            assertThat(Events.header(record, "ce_id")).isNotBlank();
            assertThat(text(record.value())).doesNotContain(TOKEN);
        }
        assertThat(outcomes.values().stream().map(r -> Events.header(r, "ce_id")).distinct()).hasSize(4);

        List<LoggedRequest> calls = drs.requestsFor(Set.of(a1, a2, b1, r1));
        assertThat(calls).hasSize(3);
        LoggedRequest callA = calls.stream().filter(r -> r.getUrl().contains("/" + REGION + "/v3/" + PROJECT_A + "/"))
                .findFirst().orElseThrow();
        assertThat(DrsSimulator.jobIds(callA)).containsExactly(a1, a2);
        assertThat(callA.getUrl()).isEqualTo("/" + REGION + "/v3/" + PROJECT_A + "/jobs/batch-retry-task");
        assertThat(callA.getHeader("Content-Type")).startsWith("application/json");
        assertThat(callA.getHeader("X-Auth-Token")).isEqualTo(TOKEN);
        assertThat(callA.getHeader("X-Language")).isEqualTo("en-us");
        assertThat(json(callA.getBody()).toString()).isEqualTo(
                "{\"jobs\":[{\"job_id\":\"" + a1 + "\"},{\"job_id\":\"" + a2 + "\",\"is_sync_re_edit\":true}]}");
        for (LoggedRequest call : calls) {
            Schemas.assertValid(Schemas.DRS_REQUEST, call.getBodyAsString());
        }
        assertThat(calls).anyMatch(r -> r.getUrl().startsWith("/" + OTHER_REGION + "/v3/" + PROJECT_A + "/"));
        assertThat(calls).anyMatch(r -> r.getUrl().startsWith("/" + REGION + "/v3/" + PROJECT_B + "/"));

        org.awaitility.Awaitility.await().atMost(WAIT)
                .until(() -> kafka.committedToEnd(KafkaTestClient.GROUP, KafkaTestClient.INPUT));
    }

    @Test
    void perItemAnswersMapToOutcomes() {
        String ok = Events.jobId("ok");
        String notFound = Events.jobId("notfound");
        String silent = Events.jobId("silent");
        String busy = Events.jobId("busy");
        kafka.sendTasks(ok, task(PROJECT_B, ok).toString(), task(PROJECT_B, notFound).toString(),
                task(PROJECT_B, silent).toString(), task(PROJECT_B, busy).toString());
        Map<String, ConsumerRecord<byte[], byte[]>> outcomes = outcomes(ok, notFound, silent, busy);

        assertThat(json(outcomes.get(ok).value()).get("outcome").asText()).isEqualTo("RETRY_ACCEPTED");
        JsonNode rejected = json(outcomes.get(notFound).value());
        assertThat(rejected.get("outcome").asText()).isEqualTo("RETRY_REJECTED");
        assertThat(rejected.get("error_code").asText()).isEqualTo("DRS.M05003");
        assertThat(rejected.get("error_msg").asText()).isEqualTo("The task does not exist.");
        assertThat(rejected.get("drs_status").asText()).isEqualTo("failed");
        JsonNode noResult = json(outcomes.get(silent).value());
        assertThat(noResult.get("outcome").asText()).isEqualTo("FAILED");
        assertThat(noResult.get("reason").asText()).isEqualTo("NO_RESULT");
        assertThat(noResult.get("attempts").asInt()).isEqualTo(3);
        JsonNode stillBusy = json(outcomes.get(busy).value());
        assertThat(stillBusy.get("outcome").asText()).isEqualTo("RETRY_REJECTED");
        assertThat(stillBusy.get("error_code").asText()).isEqualTo("DRS.M01504");
        assertThat(stillBusy.get("attempts").asInt()).isEqualTo(3);
        // first call carries all four; the busy and the silent job are asked again, alone together, twice
        assertThat(drs.requestsFor(Set.of(ok, notFound, silent, busy))).hasSize(3);
    }

    @Test
    void aJobThatFailsTheWholeBatchIsIsolated() {
        List<String> good = List.of(Events.jobId("ok"), Events.jobId("ok"), Events.jobId("ok"),
                Events.jobId("ok"), Events.jobId("ok"));
        String poison = Events.jobId("poison");
        for (String job : good) {
            kafka.sendTask(job, task(PROJECT_A, job).toString());
        }
        kafka.sendTask(poison, task(PROJECT_A, poison).toString());
        String[] all = java.util.stream.Stream.concat(good.stream(), java.util.stream.Stream.of(poison))
                .toArray(String[]::new);
        Map<String, ConsumerRecord<byte[], byte[]>> outcomes = outcomes(all);

        JsonNode rejected = json(outcomes.get(poison).value());
        assertThat(rejected.get("outcome").asText()).isEqualTo("RETRY_REJECTED");
        assertThat(rejected.get("error_code").asText()).isEqualTo("DRS.M05003");
        for (String job : good) {
            assertThat(json(outcomes.get(job).value()).get("outcome").asText()).as(job).isEqualTo("RETRY_ACCEPTED");
        }
        // 6 jobs, one bad: the first call, then at most two calls per halving level (ceil(log2 6) = 3)
        assertThat(drs.requestsFor(Set.of(all)).size()).isBetween(2, 1 + 2 * 3);
    }

    @Test
    void aJobSentMomentsAgoIsNotSentAgain() {
        String job = Events.jobId("ok");
        kafka.sendTask(job, task(PROJECT_A, job).toString());
        assertThat(json(outcomes(job).get(job).value()).get("outcome").asText()).isEqualTo("RETRY_ACCEPTED");
        kafka.sendTask(job, task(PROJECT_A, job).put("event_id", "again").toString());
        JsonNode second = kafka.await(KafkaTestClient.OUTCOMES, r -> job.equals(key(r)), 2, WAIT).stream()
                .map(r -> json(r.value())).filter(o -> o.get("source_event_ids").get(0).asText().equals("again"))
                .findFirst().orElseThrow();
        assertThat(second.get("outcome").asText()).isEqualTo("SUPPRESSED");
        assertThat(second.get("reason").asText()).isEqualTo("COOLDOWN");
        assertThat(drs.requestsFor(Set.of(job))).hasSize(1);
    }

    @Test
    void parentTasksAreSkippedWithoutACall() {
        String parent = Events.jobId("ok");
        kafka.sendTask(parent, task(PROJECT_A, parent).put("is_parent", true).toString());
        JsonNode outcome = json(outcomes(parent).get(parent).value());
        assertThat(outcome.get("outcome").asText()).isEqualTo("SKIPPED");
        assertThat(outcome.get("reason").asText()).isEqualTo("PARENT_TASK");
        assertThat(outcome.get("attempts").asInt()).isZero();
        assertThat(drs.requestsFor(Set.of(parent))).isEmpty();
    }

    @Test
    void cloudEventsInBinaryAndStructuredMode() {
        String binary = Events.jobId("ok");
        String structured = Events.jobId("ok");
        kafka.sendTask(binary, task(PROJECT_A, binary).toString(),
                header("ce_specversion", "1.0"), header("ce_id", "ce-bin-1"),
                header("ce_source", "/drs/events"), header("ce_type", "drs.task.failed"));
        String envelope = Events.MAPPER.createObjectNode().put("specversion", "1.0").put("id", "ce-str-1")
                .put("source", "/drs/events").put("type", "drs.task.failed")
                .set("data", task(PROJECT_A, structured)).toString();
        kafka.sendTask(structured, envelope, header("content-type", "application/cloudevents+json; charset=UTF-8"));

        Map<String, ConsumerRecord<byte[], byte[]>> outcomes = outcomes(binary, structured);
        assertThat(json(outcomes.get(binary).value()).get("source_event_ids").get(0).asText()).isEqualTo("ce-bin-1");
        assertThat(json(outcomes.get(structured).value()).get("source_event_ids").get(0).asText()).isEqualTo("ce-str-1");
        assertThat(json(outcomes.get(structured).value()).get("outcome").asText()).isEqualTo("RETRY_ACCEPTED");
    }

    @Test
    void recordsThatCannotBeHandledAreDeadLetteredUnchanged() {
        String marker = Events.jobId("dlq");
        byte[] tooLarge = task(PROJECT_A, Events.jobId("ok")).put("job_name", "x".repeat(70_000)).toString()
                .getBytes(StandardCharsets.UTF_8);
        List<Object[]> cases = List.of(
                new Object[] {"{not json".getBytes(StandardCharsets.UTF_8), "MALFORMED_JSON"},
                new Object[] {new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'}, "MALFORMED_JSON"},
                new Object[] {"{\"project_id\":\"projA1\",\"project_id\":\"projB2\",\"job_id\":\"j1\"}"
                        .getBytes(StandardCharsets.UTF_8), "MALFORMED_JSON"},
                new Object[] {"[1,2,3]".getBytes(StandardCharsets.UTF_8), "INVALID_EVENT"},
                new Object[] {"{\"project_id\":\"projA1\"}".getBytes(StandardCharsets.UTF_8), "INVALID_EVENT"},
                new Object[] {task("proj.A1", "j-1").toString().getBytes(StandardCharsets.UTF_8), "INVALID_EVENT"},
                new Object[] {task(PROJECT_A, "j-1").put("region", "evil.example.com/x").toString()
                        .getBytes(StandardCharsets.UTF_8), "INVALID_EVENT"},
                new Object[] {task(PROJECT_A, "j-1").put("is_parent", "yes").toString()
                        .getBytes(StandardCharsets.UTF_8), "INVALID_EVENT"},
                new Object[] {task(PROJECT_A, "j".repeat(65)).toString().getBytes(StandardCharsets.UTF_8), "INVALID_EVENT"},
                new Object[] {tooLarge, "TOO_LARGE"},
                new Object[] {task("projZ9", "j-1").toString().getBytes(StandardCharsets.UTF_8), "PROJECT_NOT_ALLOWED"},
                new Object[] {task(PROJECT_A, "j-1").put("region", "eu-west-0").toString()
                        .getBytes(StandardCharsets.UTF_8), "REGION_NOT_ALLOWED"});
        int requestsBefore = drs.requests().size();
        for (int i = 0; i < cases.size(); i++) {
            kafka.send(KafkaTestClient.INPUT, (marker + "-" + i).getBytes(StandardCharsets.UTF_8),
                    (byte[]) cases.get(i)[0], header("x-trace", marker + "-" + i));
        }
        String unsupported = task(PROJECT_A, Events.jobId("ok")).toString();
        kafka.send(KafkaTestClient.INPUT, (marker + "-ce").getBytes(StandardCharsets.UTF_8),
                unsupported.getBytes(StandardCharsets.UTF_8), header("ce_specversion", "1.0"), header("ce_id", "x"),
                header("ce_source", "/x"), header("ce_type", "com.example.other"));
        kafka.send(KafkaTestClient.INPUT, (marker + "-null").getBytes(StandardCharsets.UTF_8), null);

        Map<String, ConsumerRecord<byte[], byte[]>> letters = kafka.await(DEAD_LETTERS,
                        r -> r.key() != null && text(r.key()).startsWith(marker), cases.size() + 2, WAIT)
                .stream().collect(Collectors.toMap(Events::key, Function.identity()));

        for (int i = 0; i < cases.size(); i++) {
            ConsumerRecord<byte[], byte[]> letter = letters.get(marker + "-" + i);
            assertThat(letter.value()).as("case %d", i).isEqualTo((byte[]) cases.get(i)[0]);
            assertThat(Events.header(letter, "dead-letter-code")).as("case %d", i).isEqualTo(cases.get(i)[1]);
            assertThat(Events.header(letter, "x-trace")).isEqualTo(marker + "-" + i);
            assertThat(Events.header(letter, "dead-letter-reason")).isNotBlank().doesNotContain(TOKEN);
            assertThat(Events.header(letter, "dead-letter-topic")).isEqualTo(KafkaTestClient.INPUT);
            assertThat(Long.parseLong(Events.header(letter, "dead-letter-offset"))).isNotNegative();
            assertThat(Integer.parseInt(Events.header(letter, "dead-letter-partition"))).isNotNegative();
            assertThat(Events.header(letter, "dead-letter-cause")).isNotNull();
            assertThat(Events.header(letter, "dead-letter-exception-class-name")).isNotBlank();
        }
        assertThat(Events.header(letters.get(marker + "-5"), "dead-letter-reason")).contains("project_id");
        assertThat(Events.header(letters.get(marker + "-6"), "dead-letter-reason")).contains("region");
        assertThat(Events.header(letters.get(marker + "-ce"), "dead-letter-code")).isEqualTo("UNSUPPORTED_EVENT_TYPE");
        assertThat(Events.header(letters.get(marker + "-ce"), "ce_type")).isEqualTo("com.example.other");
        assertThat(letters.get(marker + "-null").value()).isNull();
        assertThat(Events.header(letters.get(marker + "-null"), "dead-letter-code")).isEqualTo("MALFORMED_JSON");
        assertThat(drs.requests().stream().skip(requestsBefore).map(LoggedRequest::getUrl))
                .noneMatch(url -> url.contains("evil") || url.contains("projZ9") || url.contains("eu-west-0"));
    }

    @Test
    void hostileRecordsAreEachDeadLetteredOrDecidedAndTheConsumerKeepsGoing() {
        TaskFailedParser oracle = new TaskFailedParser(new ObjectMapper(), Set.of("drs.task.failed"), REGION, 65536);
        TenantPolicy tenants = new TenantPolicy(Optional.of(Set.of(PROJECT_A, PROJECT_B)),
                Optional.of(Set.of(REGION, OTHER_REGION)));
        Random random = new Random(42);
        List<String> values = new ArrayList<>();
        HostileRecords.json().sampleStream().limit(150).forEach(values::add);
        HostileRecords.valid(PROJECT_A, PROJECT_B, "projZ9").sampleStream().limit(50).forEach(values::add);
        Map<String, String> expectedLetters = new HashMap<>();
        Set<String> expectedEvents = new HashSet<>();
        String run = Events.jobId("fuzz");
        for (int i = 0; i < values.size(); i++) {
            String id = run + "-" + i;
            byte[] value = i % 37 == 0 ? null : values.get(i).getBytes(StandardCharsets.UTF_8);
            if (i % 23 == 0) {
                value = new byte[random.nextInt(200)];
                random.nextBytes(value);
            }
            RecordHeaders headers = new RecordHeaders();
            headers.add("x-fuzz", id.getBytes(StandardCharsets.UTF_8));
            if (i % 5 == 1) {
                headers.add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
                if (i % 10 != 1) {
                    headers.add("ce_id", id.getBytes(StandardCharsets.UTF_8));
                }
                headers.add("ce_source", "/fuzz".getBytes(StandardCharsets.UTF_8));
                headers.add("ce_type", (i % 15 == 1 ? "other" : "drs.task.failed").getBytes(StandardCharsets.UTF_8));
            }
            byte[] key = i % 3 == 0 ? null : id.getBytes(StandardCharsets.UTF_8);
            var sent = kafka.send(KafkaTestClient.INPUT, key, value, headers.toArray());
            try {
                TaskFailed task = oracle.parse(value, headers, KafkaTestClient.INPUT, sent.partition(), sent.offset());
                tenants.check(task);
                expectedEvents.add(task.eventId());
            } catch (DeadLetterException e) {
                expectedLetters.put(id, e.code().name());
            }
        }
        assertThat(expectedLetters).isNotEmpty();
        assertThat(expectedEvents).isNotEmpty();

        Map<String, String> letters = kafka.await(DEAD_LETTERS, r -> {
            String fuzz = Events.header(r, "x-fuzz");
            return fuzz != null && fuzz.startsWith(run + "-");
        }, expectedLetters.size(), WAIT).stream()
                .collect(Collectors.toMap(r -> Events.header(r, "x-fuzz"), r -> Events.header(r, "dead-letter-code")));
        assertThat(letters).isEqualTo(expectedLetters);
        Set<String> decided = new HashSet<>();
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> {
            kafka.readAll(KafkaTestClient.OUTCOMES, r -> true).forEach(r ->
                    json(r.value()).get("source_event_ids").forEach(idNode -> decided.add(idNode.asText())));
            return decided.containsAll(expectedEvents);
        });
        // and the consumer did not stall on any of it
        String after = Events.jobId("ok");
        kafka.sendTask(after, task(PROJECT_A, after).toString());
        assertThat(json(outcomes(after).get(after).value()).get("outcome").asText()).isEqualTo("RETRY_ACCEPTED");
    }

    @Test
    void bisectionCostsFewExtraCalls() {
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            jobs.add(Events.jobId(i == 9 || i == 50 ? "poison" : "ok"));
        }
        kafka.sendTasks(jobs.get(0), jobs.stream().map(job -> task(PROJECT_B, job).toString()).toArray(String[]::new));
        Map<String, ConsumerRecord<byte[], byte[]>> outcomes = outcomes(jobs.toArray(String[]::new));
        assertThat(outcomes.values()).filteredOn(r -> json(r.value()).get("outcome").asText().equals("RETRY_REJECTED"))
                .extracting(Events::key).containsExactlyInAnyOrder(jobs.get(9), jobs.get(50));
        // k = 2 bad jobs in n = 64: at most 1 + 2 * k * log2(n) = 25 calls
        assertThat(drs.requestsFor(new HashSet<>(jobs)).size()).isLessThanOrEqualTo(25);
    }

    @Test
    void transientErrorsAreRetriedWithBackoff() {
        String job = Events.jobId("ok");
        drs.server().stubFor(post(urlPathMatching(DrsSimulator.PATH_PATTERN)).atPriority(1)
                .withRequestBody(containing(job))
                .inScenario(job).whenScenarioStateIs(Scenario.STARTED).willSetStateTo("second")
                .willReturn(aResponse().withStatus(503).withBody("{\"error_code\":\"APIGW.0201\"}")));
        drs.server().stubFor(post(urlPathMatching(DrsSimulator.PATH_PATTERN)).atPriority(1)
                .withRequestBody(containing(job))
                .inScenario(job).whenScenarioStateIs("second").willSetStateTo("recovered")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "0")
                        .withBody("{\"error_code\":\"APIGW.0308\"}")));
        kafka.sendTask(job, task(PROJECT_B, job).toString());

        JsonNode outcome = json(outcomes(job).get(job).value());
        assertThat(outcome.get("outcome").asText()).isEqualTo("RETRY_ACCEPTED");
        assertThat(outcome.get("attempts").asInt()).isEqualTo(3);
        assertThat(drs.requestsFor(Set.of(job))).hasSize(3);
    }

    @Test
    void anUnavailableApiEndsInFailedOutcomesAndDeadLetters() {
        String job = Events.jobId("ok");
        drs.server().stubFor(post(urlPathMatching(DrsSimulator.PATH_PATTERN)).atPriority(1)
                .withRequestBody(containing(job))
                .willReturn(aResponse().withStatus(500).withBody("{\"error_code\":\"DRS.M00004\",\"error_msg\":\"busy\"}")));
        String value = task(PROJECT_B, job).toString();
        kafka.sendTask(job, value);

        JsonNode outcome = json(outcomes(job).get(job).value());
        assertThat(outcome.get("outcome").asText()).isEqualTo("FAILED");
        assertThat(outcome.get("reason").asText()).isEqualTo("API_UNAVAILABLE");
        assertThat(outcome.get("error_code").asText()).isEqualTo("DRS.M00004");
        assertThat(outcome.get("attempts").asInt()).isEqualTo(3);
        ConsumerRecord<byte[], byte[]> letter = deadLetter(job);
        assertThat(Events.header(letter, "dead-letter-code")).isEqualTo("API_UNAVAILABLE");
        assertThat(text(letter.value())).isEqualTo(value);
        assertThat(drs.requestsFor(Set.of(job))).hasSize(3);
    }

    @Test
    void authenticationFailuresAreNotRetried() {
        String job = Events.jobId("ok");
        drs.server().stubFor(post(urlPathMatching(DrsSimulator.PATH_PATTERN)).atPriority(1)
                .withRequestBody(containing(job))
                .willReturn(aResponse().withStatus(403).withBody("{\"error_code\":\"DRS.M00102\",\"error_msg\":\"no\"}")));
        kafka.sendTask(job, task(PROJECT_A, job).toString());

        JsonNode outcome = json(outcomes(job).get(job).value());
        assertThat(outcome.get("outcome").asText()).isEqualTo("FAILED");
        assertThat(outcome.get("reason").asText()).isEqualTo("AUTH_FAILED");
        assertThat(Events.header(deadLetter(job), "dead-letter-code")).isEqualTo("AUTH_FAILED");
        assertThat(drs.requestsFor(Set.of(job))).hasSize(1);
    }

}
