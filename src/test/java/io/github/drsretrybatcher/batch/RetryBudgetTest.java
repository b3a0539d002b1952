package io.github.drsretrybatcher.batch;

import static io.github.drsretrybatcher.support.Events.json;
import static io.github.drsretrybatcher.support.Events.task;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.drsretrybatcher.PipelineScenariosSupport;
import io.github.drsretrybatcher.support.Events;
import io.github.drsretrybatcher.support.KafkaTestClient;
import io.github.drsretrybatcher.support.PipelineResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A job may be sent {@code retry.max-per-job} times per period; then it is suppressed, and alerting hears of it. */
@QuarkusTest
@TestProfile(RetryBudgetTest.SmallBudget.class)
@WithTestResource(PipelineResource.class)
class RetryBudgetTest extends PipelineScenariosSupport {

    public static class SmallBudget implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("retry.cooldown", "0s", "retry.max-per-job", "2");
        }
    }

    @Test
    void theThirdSendWithinThePeriodIsSuppressed() {
        String job = Events.jobId("ok");
        for (int sent = 1; sent <= 3; sent++) {
            kafka.sendTask(job, task(PipelineResource.PROJECT_A, job).toString());
            int expected = sent;
            org.awaitility.Awaitility.await().atMost(WAIT).until(() -> kafka.readAll(KafkaTestClient.OUTCOMES,
                    r -> job.equals(Events.key(r))).size() == expected);
        }
        List<JsonNode> outcomes = kafka.readAll(KafkaTestClient.OUTCOMES, r -> job.equals(Events.key(r))).stream()
                .map(r -> json(r.value())).toList();
        assertThat(outcomes).extracting(o -> o.get("outcome").asText())
                .containsExactlyInAnyOrder("RETRY_ACCEPTED", "RETRY_ACCEPTED", "SUPPRESSED");
        JsonNode suppressed = outcomes.stream().filter(o -> o.get("outcome").asText().equals("SUPPRESSED"))
                .findFirst().orElseThrow();
        assertThat(suppressed.get("reason").asText()).isEqualTo("BUDGET_EXHAUSTED");
        assertThat(suppressed.get("attempts").asInt()).isZero();
        assertThat(drs.requestsFor(Set.of(job))).hasSize(2);
    }
}
