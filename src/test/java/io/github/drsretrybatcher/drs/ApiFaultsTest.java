package io.github.drsretrybatcher.drs;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.github.drsretrybatcher.support.Events.json;
import static io.github.drsretrybatcher.support.Events.task;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.github.drsretrybatcher.PipelineScenariosSupport;
import io.github.drsretrybatcher.support.DrsSimulator;
import io.github.drsretrybatcher.support.Events;
import io.github.drsretrybatcher.support.PipelineResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.quarkus.test.common.http.TestHTTPResource;
import jakarta.inject.Inject;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The API misbehaving: slower than the timeout, connections reset, down past the give-up time, and failing long
 * enough to open the circuit breaker, which stops the consumer until the API answers again.
 */
@QuarkusTest
@TestProfile(ApiFaultsTest.TightBreaker.class)
@WithTestResource(PipelineResource.class)
class ApiFaultsTest extends PipelineScenariosSupport {

    public static class TightBreaker implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "drs.breaker.request-volume-threshold", "2",
                    "drs.breaker.failure-ratio", "0.5",
                    "drs.breaker.delay", "4s",
                    "drs.call.read-timeout", "300ms",
                    "drs.call.max-attempts", "6",
                    "drs.call.max-backoff", "2s",
                    "drs.call.give-up-after", "15s");
        }
    }

    @Inject
    CircuitBreakerMaintenance breakers;

    @Inject
    MeterRegistry registry;

    @TestHTTPResource("/q/health/well")
    URL wellness;

    @TestHTTPResource("/q/health/ready")
    URL readiness;

    private static int status(URL url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(url.toURI()).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @BeforeEach
    void closeBreaker() {
        breakers.resetAll();
    }

    @Test
    void anApiSlowerThanTheTimeoutIsGivenUpWithinTheAttemptBound() {
        String job = Events.jobId("ok");
        drs.server().stubFor(post(urlPathMatching(DrsSimulator.PATH_PATTERN)).atPriority(1)
                .withRequestBody(containing(job))
                .willReturn(aResponse().withStatus(200).withFixedDelay(1500).withBody("{\"results\":[],\"count\":0}")));
        kafka.sendTask(job, task(PipelineResource.PROJECT_A, job).toString());

        JsonNode outcome = json(outcomes(job).get(job).value());
        assertThat(outcome.get("outcome").asText()).isEqualTo("FAILED");
        assertThat(outcome.get("reason").asText()).isEqualTo("API_UNAVAILABLE");
        // the last failure is a timeout, or the breaker those timeouts opened
        assertThat(outcome.get("error_msg").asText()).containsAnyOf("imeout", "circuit breaker was still open");
        assertThat(Events.header(deadLetter(job), "dead-letter-code")).isEqualTo("API_UNAVAILABLE");
        assertThat(drs.requestsFor(Set.of(job)).size()).isBetween(1, 6);
    }

    @Test
    void aBurstOf429IsWaitedOutHonouringRetryAfter() {
        String job = Events.jobId("ok");
        for (int i = 0; i < 2; i++) {
            drs.server().stubFor(post(urlPathMatching(DrsSimulator.PATH_PATTERN)).atPriority(1)
                    .withRequestBody(containing(job))
                    .inScenario(job).whenScenarioStateIs(i == 0 ? com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED
                            : "throttled-" + i).willSetStateTo("throttled-" + (i + 1))
                    .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")
                            .withBody("{\"error_code\":\"APIGW.0308\",\"error_msg\":\"throttled\"}")));
        }
        double retriesBefore = registry.get("drs_batcher_api_retries").counter().count();
        kafka.sendTask(job, task(PipelineResource.PROJECT_B, job).toString());
        JsonNode outcome = json(outcomes(job).get(job).value());
        assertThat(outcome.get("outcome").asText()).isEqualTo("RETRY_ACCEPTED");
        assertThat(outcome.get("attempts").asInt()).isEqualTo(3);
        assertThat(registry.get("drs_batcher_api_retries").counter().count() - retriesBefore).isEqualTo(2.0);
        assertThat(drs.requestsFor(Set.of(job))).hasSize(3);
        var times = drs.requestsFor(Set.of(job)).stream().map(r -> r.getLoggedDate().getTime()).sorted().toList();
        assertThat(times.get(1) - times.get(0)).as("Retry-After: 1 honoured").isGreaterThanOrEqualTo(950);
        assertThat(times.get(2) - times.get(1)).isGreaterThanOrEqualTo(950);
    }

    @Test
    void resetConnectionsAreRetriedThenGivenUp() {
        String job = Events.jobId("ok");
        drs.server().stubFor(post(urlPathMatching(DrsSimulator.PATH_PATTERN)).atPriority(1)
                .withRequestBody(containing(job))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        kafka.sendTask(job, task(PipelineResource.PROJECT_B, job).toString());

        JsonNode outcome = json(outcomes(job).get(job).value());
        assertThat(outcome.get("outcome").asText()).isEqualTo("FAILED");
        assertThat(outcome.get("reason").asText()).isEqualTo("API_UNAVAILABLE");
        assertThat(Events.header(deadLetter(job), "dead-letter-code")).isEqualTo("API_UNAVAILABLE");
        assertThat(drs.requestsFor(Set.of(job)).size()).isBetween(1, 6);
    }

    @Test
    void anOpenBreakerPausesConsumptionAndNothingIsDeadLetteredBeforeTheGiveUpTime() throws Exception {
        String first = Events.jobId("ok");
        String second = Events.jobId("ok");
        String third = Events.jobId("ok");
        StubMapping down = drs.server().stubFor(post(urlPathMatching(DrsSimulator.PATH_PATTERN)).atPriority(1)
                .willReturn(aResponse().withStatus(503).withBody("{\"error_code\":\"APIGW.0201\"}")));
        kafka.sendTask(first, task(PipelineResource.PROJECT_A, first).toString());
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> breakers.currentState(DrsClient.BREAKER) == CircuitBreakerState.OPEN);
        assertThat(registry.get("drs_batcher_breaker_open").gauge().value()).isEqualTo(1.0);
        assertThat(status(wellness)).as("the breaker has its own check").isEqualTo(503);
        assertThat(status(readiness)).as("an open breaker does not take the pod out of readiness").isEqualTo(200);

        // the poll in hand when the gate shut is taken; the next one waits in Kafka
        kafka.sendTask(second, task(PipelineResource.PROJECT_A, second).toString());
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> registry.get("drs_batcher_buffered_records").gauge().value() == 2.0);
        kafka.sendTask(third, task(PipelineResource.PROJECT_A, third).toString());
        Awaitility.await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                .until(() -> registry.get("drs_batcher_buffered_records").gauge().value() == 2.0);
        assertThat(kafka.readAll(io.github.drsretrybatcher.support.KafkaTestClient.DEAD_LETTERS,
                r -> Set.of(first, second, third).contains(Events.key(r)))).isEmpty();

        drs.server().removeStub(down);
        var outcomes = outcomes(first, second, third);
        for (String job : new String[] {first, second, third}) {
            assertThat(json(outcomes.get(job).value()).get("outcome").asText()).as(job).isEqualTo("RETRY_ACCEPTED");
        }
        assertThat(breakers.currentState(DrsClient.BREAKER)).isEqualTo(CircuitBreakerState.CLOSED);
        assertThat(status(wellness)).isEqualTo(200);
    }
}
