package io.github.drsretrybatcher;

import static io.github.drsretrybatcher.support.Events.json;
import static io.github.drsretrybatcher.support.Events.task;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.drsretrybatcher.batch.RetryBudget;
import io.github.drsretrybatcher.batch.RetryLedger;
import io.github.drsretrybatcher.support.Events;
import io.github.drsretrybatcher.support.PipelineResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The end-to-end scenarios against the service running in the test JVM. */
@QuarkusTest
@WithTestResource(PipelineResource.class)
class PipelineTest extends PipelineScenarios {

    @Inject
    RetryBudget budget;

    @Test
    void aJobAnotherInstanceSentIsHeldBack() {
        String job = Events.jobId("ok");
        String sends = "{\"sent_at\":" + Instant.now().toEpochMilli() + ",\"jobs\":[\"" + job + "\"]}";
        kafka.send("drs.task.retry.budget", null, sends.getBytes(StandardCharsets.UTF_8));
        // the budget topic is followed in the background: the record counts once it has been read
        Awaitility.await().atMost(WAIT)
                .until(() -> budget.check(job, Instant.now()) == RetryLedger.Verdict.COOLDOWN);

        kafka.sendTask(job, task(PipelineResource.PROJECT_A, job).toString());
        JsonNode outcome = json(outcomes(job).get(job).value());
        assertThat(outcome.get("outcome").asText()).isEqualTo("SUPPRESSED");
        assertThat(outcome.get("reason").asText()).isEqualTo("COOLDOWN");
        assertThat(drs.requestsFor(Set.of(job))).isEmpty();
    }
}
